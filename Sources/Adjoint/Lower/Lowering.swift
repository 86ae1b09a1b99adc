/// Lowering: schedules a graph into fused loops, straight-line scalar code and runtime calls.
///
/// Each node gets a time. Elementwise nodes that read a same-shape operand at their own index
/// may share its time, and nodes of one shape and one time form one loop, so chains of
/// elementwise ops (and the reductions that consume them) fuse. Everything else waits until what
/// it reads is complete. At each time the kernel runs the scalar statements, then the loops, then
/// the routine calls.
extension LoopProgram {
    /// Lowers the function with results `outputs` (and `guards` to check) of `graph`, whose
    /// `.input(i)` leaves have `inputShapes[i]`.
    package init(graph full: Graph, outputs: [NodeID], guards: [Guard], inputShapes: [[Int]]) {
        // The traced graph itself, not a pruned copy: what no output or guard needs gets the role
        // `.dead`, and every stage passes over it. (Copying W6's 140,000 nodes took up to 15 ms
        // a setup, with the page faults of 11 MB of fresh memory.)
        self.graph = full
        self.inputShapes = inputShapes
        self.outputs = outputs
        self.guards = guards
        (roles, storage, times) = ([], [], [])
        var live = full.reachable(from: outputs + guards.map(\.condition))
        readTraits()
        let n = self.graph.count
        // A routine writes every result of its tuple: each projection of a live tuple is live.
        live += [Bool](repeating: false, count: n - live.count)
        for (tuple, results) in projections where live[tuple.int] { for p in results { live[p.int] = true } }
        roles = [Role](repeating: .dead, count: n)
        storage = [Storage](repeating: .none, count: n)
        times = [Int](repeating: 0, count: n)
        findAbsorbedTransposes(live: live)
        assignRoles(live: live)
        users = consumers()
        assignTimes()
        sinkIntoUsers()
        formLoops()
        findRowPasses()
        assignStorage()
        schedule()
        pairSinesAndCosines()
        reroll()
        planMemory()
        placeTapes()
    }

    /// What node `id` reads (a routine call reads through absorbed transposes).
    package func reads(_ id: NodeID) -> Operands {
        var operands = graph.nodes[id.int].operands
        if case .routine = roles[id.int] {
            for k in 0..<operands.count { operands[k] = routineSource(operands[k]).node }
        }
        return operands
    }

    /// The consumers of each live node, by what they read (each consumer once).
    package func consumers() -> Users {
        Users(count: graph.count) { visit in
            for index in 0..<graph.count where roles[index] != .dead {
                let operands = reads(NodeID(index))
                for (k, operand) in operands.enumerated() where !operands[..<k].contains(operand) {
                    visit(operand, NodeID(index))
                }
            }
        }
    }

    /// True when the node reduces its operand (it accumulates inside its operand's loop).
    package func isReduction(_ id: NodeID) -> Bool { reduces[id.int] }

    /// True when the node is computed element by element (it fuses into its operands' loop).
    package func isElementwise(_ id: NodeID) -> Bool { forms[id.int] != nil }

    /// The shape a member's loop runs over: the operand's for a reduction, else its own.
    package func loopShape(_ id: NodeID) -> [Int] {
        isReduction(id) ? graph.shape(graph[id].operands[0]) : graph.shape(id)
    }

    /// Does `consumer` read `operand` at its own loop index (so both can share one loop)?
    package func readsDirectly(_ consumer: NodeID, _ operand: NodeID) -> Bool {
        let c = graph[consumer]
        if isReduction(consumer) { return c.operands[0] == operand }
        return isElementwise(consumer) && graph.shape(operand) == c.shape
    }

    /// Reads each node's row once: whether it reduces or is elementwise, and, since a routine
    /// writes every result of a tuple node, each needs memory even when nothing reads it: a
    /// projection the trace never made is added here (after its tuple, so the arena stays in order).
    private mutating func readTraits() {
        var tuples: [NodeID] = []
        reduces = [Bool](repeating: false, count: graph.count)
        forms = [CForm?](repeating: nil, count: graph.count)
        kinds = [Lowering.Kind](repeating: .leaf, count: graph.count)
        rows = [ObjectIdentifier](repeating: ObjectIdentifier(Tuples.result), count: graph.count)
        for index in 0..<graph.count {
            let (reduction, form, kind, results, row) = graph.nodes[index].withRule { rule in
                (rule.isReduction, rule.elementwise?.c, rule.loweringKind, rule.results, ObjectIdentifier(rule))
            }
            reduces[index] = reduction
            forms[index] = form
            kinds[index] = kind
            rows[index] = row
            if results > 1 { tuples.append(NodeID(index)) }
        }
        for tuple in tuples { projections[tuple] = graph.results(of: tuple) }
        let added = graph.count - reduces.count
        reduces += [Bool](repeating: false, count: added)
        forms += [CForm?](repeating: nil, count: added)
        kinds += [Lowering.Kind](repeating: .projection, count: added)
        rows += [ObjectIdentifier](repeating: ObjectIdentifier(Tuples.result), count: added)
    }

    /// The routine call that reads `operand` at `position` can read it transposed.
    private static func readsTransposed(_ graph: Graph, _ user: NodeID, _ operand: NodeID) -> Bool {
        guard case .routine(let call) = graph[user].rule.lowering else { return false }
        let operands = graph[user].operands
        return operands.indices.allSatisfy { operands[$0] != operand || call.transposable.contains($0) }
    }

    /// A transpose of each matrix of a stack (`[1, 0]` for a matrix): what a routine reads by a flag.
    private static func swapsLastAxes(_ perm: [Int]) -> Bool {
        let r = perm.count
        return r >= 2 && perm == Array(0..<(r - 2)) + [r - 1, r - 2]
    }

    private mutating func findAbsorbedTransposes(live: [Bool]) {
        let graph = self.graph
        let transpose = ObjectIdentifier(Op.transpose([1, 0]).rule)
        let transposes = graph.nodes.indices.contains { live[$0] && graph.nodes[$0].withRule { ObjectIdentifier($0) } == transpose }
        guard transposes else { return }
        let users = Users(count: graph.count) { visit in
            for (index, node) in graph.nodes.enumerated() where live[index] {
                for operand in node.operands { visit(operand, NodeID(index)) }
            }
        }
        for (index, node) in graph.nodes.enumerated() where live[index] {
            guard case .transpose(let perm) = node.op, LoopProgram.swapsLastAxes(perm), graph[node.operands[0]].count > 1 else { continue }
            let id = NodeID(index)
            let inPlace = !users[id].isEmpty && users[id].allSatisfy { LoopProgram.readsTransposed(graph, $0, id) }
            if inPlace && !outputs.contains(id) && !guards.contains(where: { $0.condition == id }) {
                absorbed.insert(id)
            }
        }
    }

    private mutating func assignRoles(live: [Bool]) {
        for index in 0..<graph.count where live[index] && (absorbed.isEmpty || !absorbed.contains(NodeID(index))) {
            switch kinds[index] {
            case .leaf: roles[index] = .leaf
            case .alias: roles[index] = .alias
            case .routine: roles[index] = .routine
            case .projection: roles[index] = .result
            case .reduction: roles[index] = graph[graph.nodes[index].operands[0]].count != 1 ? .member(loop: -1) : .scalar
            case .elementwise, .index: roles[index] = graph.nodes[index].count != 1 ? .member(loop: -1) : .scalar
            }
        }
        // A splat constant that a routine reads needs memory: fill it in a loop.
        for index in 0..<graph.count where roles[index] == .routine {
            for operand in reads(NodeID(index)) where graph[operand].op.constantValue != nil && graph[operand].count != 1 {
                roles[operand.int] = .member(loop: -1)
            }
        }
    }

    /// When `consumer` may run, as far as reading `operand` is concerned.
    private func ready(_ operand: NodeID, for consumer: NodeID) -> Int {
        let t = times[operand.int]
        switch roles[operand.int] {
        case .dead, .leaf: return 0
        case .scalar, .alias: return t
        case .routine, .result: return t + 1
        case .member:
            if case .routine = roles[consumer.int] { return t }
            if case .member = roles[consumer.int], !isReduction(operand),
               loopShape(consumer) == loopShape(operand), readsDirectly(consumer, operand) { return t }
            return t + 1
        }
    }

    private mutating func assignTimes() {
        for index in 0..<graph.count where roles[index] != .dead && roles[index] != .leaf {
            let id = NodeID(index)
            var time = 0
            for operand in reads(id) { time = Swift.max(time, ready(operand, for: id)) }
            if roles[index] == .alias {
                let operand = graph[id].operands[0]
                switch roles[operand.int] {
                case .member, .routine, .result: time = times[operand.int] + 1
                case .dead, .leaf, .scalar, .alias: time = times[operand.int]
                }
            }
            // A projection is written when its tuple's call runs.
            if roles[index] == .result { time = times[graph[id].operands[0].int] }
            times[index] = time
        }
    }

    /// Moves elementwise work that could run early (it reads only inputs, say) into the loop of its
    /// users when they all read it at their own index in one loop: there it is a local, not a buffer
    /// filled by a loop of its own.
    private mutating func sinkIntoUsers() {
        let isOutput = Set(outputs)
        for index in stride(from: graph.count - 1, through: 0, by: -1) {
            let id = NodeID(index)
            guard case .member = roles[index], !isReduction(id), !isOutput.contains(id) else { continue }
            let readers = users[id]
            guard let first = readers.first, case .member = roles[first.int] else { continue }
            let time = times[first.int]
            let fits = readers.allSatisfy { user in
                if case .member = roles[user.int] {
                    return times[user.int] == time && loopShape(user) == loopShape(id) && readsDirectly(user, id)
                }
                return false
            }
            if fits && time > times[index] { times[index] = time }
        }
    }

    private mutating func formLoops() {
        var index: [LoopKey: Int] = [:]
        for i in 0..<graph.count {
            guard case .member = roles[i] else { continue }
            let key = LoopKey(time: times[i], shape: loopShape(NodeID(i)))
            let loop = index[key] ?? {
                loops.append(Loop(shape: key.shape, time: key.time))
                index[key] = loops.count - 1
                return loops.count - 1
            }()
            roles[i] = .member(loop: loop)
            loops[loop].members.append(NodeID(i))
        }
    }

    private struct LoopKey: Hashable {
        var time: Int
        var shape: [Int]
    }
}

/// Who reads each node, in one flat array (graphs of 100k nodes would otherwise need 100k arrays).
package struct Users {
    private var start: [Int]
    private var list: [NodeID]

    /// `edges` calls its argument once per (operand, user) pair.
    init(count: Int, _ edges: ((NodeID, NodeID) -> Void) -> Void) {
        var degree = [Int](repeating: 0, count: count + 1)
        edges { operand, _ in degree[operand.int + 1] += 1 }
        for i in 0..<count { degree[i + 1] += degree[i] }
        var fill = degree
        var list = [NodeID](repeating: NodeID(0), count: degree[count])
        edges { operand, user in
            list[fill[operand.int]] = user
            fill[operand.int] += 1
        }
        self.start = degree
        self.list = list
    }

    package subscript(id: NodeID) -> ArraySlice<NodeID> { list[start[id.int]..<start[id.int + 1]] }

    /// Calls `body` with each user of `id` in turn, without making a slice (for hot loops).
    package func forEach(_ id: NodeID, _ body: (NodeID) -> Bool) -> Bool {
        for k in start[id.int]..<start[id.int + 1] where !body(list[k]) { return false }
        return true
    }
}
