/// Rerolling: a run of straight-line statements that repeats one body (a Swift `for` loop over
/// scalars, traced N times, and the reverse pass's N steps) becomes one C loop with the body once.
///
/// Found in the scheduled steps: a stretch of consecutive scalar statements where statement s + L
/// computes the same op as statement s on operands shifted by one period L (the previous step's
/// results), on the same values (leaves, or statements before the run: invariants), or on the
/// same body position of an earlier run L's iterations apart, at a fixed stride (the reverse pass
/// reads the forward pass's step N-1-i in its step i). Values a step hands to the next are
/// carried in locals (read after the run, the last one is the local); other values read after
/// the run (by the reverse pass, at every step) are kept in a tape of N entries in the
/// workspace. An operand that is a different number at every iteration (a loop over data) is read
/// from a table, a tensor constant of the kernel. A guard between statements breaks the run there,
/// as does a read two steps back or a read by a routine call.
///
/// Runs are found the same way among the members of a fused loop: a Swift loop over vector steps
/// whose work is elementwise (an LSTM's time steps, each on its hidden vector) fuses into one
/// loop over the vector's elements with every step's members in it, and that body repeats per
/// step. The run becomes an inner loop over the steps inside the loop over the elements (each
/// element's recurrence is carried in locals); its values read outside the run are in tapes of
/// steps × elements, each step's value in its entry (the storage outside readers read); a
/// reduction in the body (a per-step sum) accumulates into a tape of one number a step; each
/// step's data vector (a different tensor constant per step) is read from a table of steps ×
/// elements, and the constants themselves leave the kernel.
extension LoopProgram {
    package struct Reroll: Sendable, Equatable {
        /// The run's statements in order: `count` iterations of `period` statements each.
        package var nodes: [NodeID]
        package var period: Int
        package var count: Int
        /// The loop whose members the run is, for a run inside a loop's body (each iteration then
        /// works on the loop's element; its values are the loop's shape, or a reduction's number);
        /// nil for straight-line statements.
        package var loop: Int?
        /// Body positions whose value the next iteration reads, with the node iteration 0 reads
        /// instead (computed before the run).
        package var carried: [(position: Int, initial: NodeID)] = []
        /// Body positions whose values are read after the run: a tape of `count` entries each (an
        /// entry is the position's value, `elements` doubles), at `tapes[k].offset` in the workspace.
        package var tapes: [(position: Int, offset: Int)] = []
        /// For each earlier run this one reads: the change in that run's iteration per iteration of this one.
        package var strides: [Int: Int] = [:]
        /// Operands that are a different number at every iteration (a loop over data: `xs[i]` of a
        /// `scan`, or of a Swift loop over an array's elements): the body reads them from a table of
        /// `count` numbers, tensor constant `data` of the kernel (`adj_data<data>`).
        package var tables: [Table] = []

        package struct Table: Sendable {
            /// The body statement, and which of its operands.
            package var position: Int, operand: Int
            package var values: [Double]
            /// The kernel's tensor constant holding `values`, set after the memory plan.
            package var data = -1
        }

        /// The table read as `operand` of body position `position`, if there is one.
        package func table(at position: Int, operand: Int) -> Int? {
            tables.firstIndex { $0.position == position && $0.operand == operand }
        }

        package static func == (a: Reroll, b: Reroll) -> Bool {
            a.nodes == b.nodes && a.period == b.period && a.count == b.count
        }

        /// Iteration 0's statements: the body as emitted.
        package var body: ArraySlice<NodeID> { nodes[0..<period] }

        /// The offset in the workspace of iteration `m`'s value of a taped `position`, whose
        /// entries are `elements` doubles each.
        package func tapeOffset(_ position: Int, iteration m: Int, elements: Int) -> Int? {
            tapes.first { $0.position == position }.map { $0.offset + m * elements }
        }
    }

    /// Where each node sits in the rerolled runs: run, and index in the run's `nodes`.
    package struct RerollIndex: Sendable {
        package var run: [Int32]
        package var index: [Int32]

        init(count: Int) {
            run = [Int32](repeating: -1, count: count)
            index = [Int32](repeating: 0, count: count)
        }
    }

    /// Runs shorter than this many iterations stay straight-line code.
    package static let rerollMinimumCount = 4
    /// The longest body looked for.
    package static let rerollMaximumPeriod = 512

    /// Finds the runs in the scheduled steps and replaces each run's statements by one step.
    mutating func reroll() {
        let statements = steps.count + loops.reduce(0) { $0 + $1.members.count }
        guard statements >= 2 * LoopProgram.rerollMinimumCount else { return }
        var finder = RerollFinder(program: self)
        finder.find()
        guard !finder.runs.isEmpty else { return }
        rerolls = finder.runs
        rerollIndex = finder.index
        for r in rerolls.indices where rerolls[r].loop != nil {
            let l = rerolls[r].loop!
            let inRun = Set(rerolls[r].nodes)
            loops[l].members.removeAll { inRun.contains($0) && rerollIndex.index[$0.int] >= rerolls[r].period }
        }
        var replaced: [LoopProgram.Step] = []
        replaced.reserveCapacity(steps.count)
        for step in steps {
            if case .scalar(let id) = step, rerollIndex.run[id.int] >= 0 {
                let r = Int(rerollIndex.run[id.int])
                if rerollIndex.index[id.int] == 0 { replaced.append(.rerolled(r)) }
                continue
            }
            replaced.append(step)
        }
        steps = replaced
    }

    /// Each tape gets workspace of its own after the memory plan (tapes live from their run to the
    /// end of the kernel), and each table becomes a tensor constant of the kernel. A run in a loop
    /// gives each of its values the storage that readers outside the run read it from: its entry
    /// of its tape, or the body's local.
    mutating func placeTapes() {
        defer { dropTabledData() }
        for r in rerolls.indices {
            for k in rerolls[r].tapes.indices {
                rerolls[r].tapes[k].offset = workspaceCount
                workspaceCount += rerolls[r].count * graph[rerolls[r].nodes[rerolls[r].tapes[k].position]].count
            }
            if rerolls[r].loop != nil {
                let run = rerolls[r]
                for (k, id) in run.nodes.enumerated() {
                    let elements = graph[id].count
                    // An output written in place is copied from its tape entry instead.
                    if case .output(let j) = storage[id.int] { steps.append(.copy(output: j, id)) }
                    storage[id.int] = run.tapeOffset(k % run.period, iteration: k / run.period, elements: elements)
                        .map { .buffer(offset: $0) } ?? .loopLocal
                }
            }
            for k in rerolls[r].tables.indices {
                graph.data.append(rerolls[r].tables[k].values)
                dataArrays.append(graph.data.count - 1)
                rerolls[r].tables[k].data = dataArrays.count - 1
            }
        }
    }

    /// The tensor constants that only tables read (each iteration's `xs[t]` of a loop over data,
    /// now read from its run's table) are not the kernel's: their storage goes, and the kernel's
    /// data arrays are numbered again without them.
    private mutating func dropTabledData() {
        var tabled = Set<Int>()  // user * 4 + operand, for operands read from a table
        var candidates = Set<NodeID>()
        for run in rerolls {
            for table in run.tables {
                for c in 0..<run.count {
                    let user = run.nodes[c * run.period + table.position]
                    let operand = graph[user].operands[table.operand]
                    guard case .data = storage[operand.int] else { continue }
                    tabled.insert(user.int * 4 + table.operand)
                    candidates.insert(operand)
                }
            }
        }
        guard !candidates.isEmpty else { return }
        var used = [Bool](repeating: false, count: dataArrays.count)
        for index in 0..<graph.count {
            guard case .data(let k) = storage[index] else { continue }
            let id = NodeID(index)
            let onlyTables = candidates.contains(id) && users.forEach(id) { user in
                graph[user].operands.indices.allSatisfy { m in graph[user].operands[m] != id || tabled.contains(user.int * 4 + m) }
            }
            if onlyTables { storage[index] = .none } else { used[k] = true }
        }
        for r in rerolls.indices { for t in rerolls[r].tables.indices { used[rerolls[r].tables[t].data] = true } }
        var renumbered = [Int](repeating: -1, count: dataArrays.count)
        var kept: [Int] = []
        for k in dataArrays.indices where used[k] {
            renumbered[k] = kept.count
            kept.append(dataArrays[k])
        }
        dataArrays = kept
        for index in 0..<graph.count { if case .data(let k) = storage[index] { storage[index] = .data(renumbered[k]) } }
        for r in rerolls.indices {
            for t in rerolls[r].tables.indices { rerolls[r].tables[t].data = renumbered[rerolls[r].tables[t].data] }
        }
    }
}
