/// The search for rerollable runs (Reroll.swift) in a scheduled program's straight-line code and
/// in the bodies of its loops.
///
/// The statements searched are one flat list in program order: each stretch of straight-line
/// scalar statements, and each loop's members, with a break between stretches (a run never
/// crosses one). One index of runs covers them all, so a run in one stretch may read an earlier
/// run of another at a fixed stride (the reverse pass's loop reads the forward pass's tapes).
///
/// Candidates come from statements of the same op and operand pattern a short distance apart;
/// each candidate period is checked statement by statement against the next period, and a run of
/// at least `rerollMinimumCount` equal iterations is then checked as a whole (who reads its
/// values) before it is taken. Linear in the statements for regular code such as W6's 30,000.
struct RerollFinder {
    let program: LoopProgram
    /// The position of each node's statement in `statements`, or -1 for nodes that are not statements.
    private var step: [Int32]
    private(set) var runs: [LoopProgram.Reroll] = []
    private(set) var index: LoopProgram.RerollIndex
    /// Per step (statements only): a number for its op (equal numbers, equal ops) and its
    /// operands, flat (`operands[operandStart[s] ..< operandStart[s + 1]]`). Read once, so the
    /// matching compares integers instead of copying nodes.
    private var opNumber: [Int32]
    private var operandStart: [Int32]
    private var operands: [NodeID] = []

    /// The searched statements in program order, nil between stretches; and, for each, the loop
    /// whose members it is in (-1 for straight-line code).
    private var statements: [NodeID?] = []
    /// For each period whose run failed the checks in the stretch being searched: where its match ended.
    private var failed: [Int: (until: Int, tries: Int)] = [:]
    private var loopOf: [Int32] = []
    /// Per node: an output or a guard's condition (read by the kernel's caller).
    private var isOutput: [Bool]

    init(program: LoopProgram) {
        self.program = program
        step = [Int32](repeating: -1, count: program.graph.count)
        index = LoopProgram.RerollIndex(count: program.graph.count)
        isOutput = [Bool](repeating: false, count: program.graph.count)
        for id in program.outputs + program.guards.map(\.condition) { isOutput[id.int] = true }
        for s in program.steps {
            switch s {
            case .scalar(let id):
                statements.append(id)
                loopOf.append(-1)
            case .loop(let l):
                statements.append(nil)
                loopOf.append(-1)
                for member in program.loops[l].members {
                    statements.append(member)
                    loopOf.append(Int32(l))
                }
                statements.append(nil)
                loopOf.append(-1)
            default:
                statements.append(nil)
                loopOf.append(-1)
            }
        }
        opNumber = [Int32](repeating: -1, count: statements.count)
        operandStart = [Int32](repeating: 0, count: statements.count + 1)
        operands.reserveCapacity(2 * statements.count)
        var numbers = OpNumbers()
        for k in statements.indices {
            operandStart[k] = Int32(operands.count)
            guard let id = statements[k] else { continue }
            step[id.int] = Int32(k)
            opNumber[k] = numbers.number(of: id, in: program)
            // A reshape has no statement of its own: its reader reads the memory of its operand.
            for operand in program.graph.nodes[id.int].operands { operands.append(program.root(operand)) }
        }
        operandStart[statements.count] = Int32(operands.count)
    }

    /// Whether operand `id` of the statement at `s` may be a different value at every iteration,
    /// read from a table: a rank-0 constant, or, in a loop, a tensor constant the statement reads
    /// at its own element (a loop over data: `xs[t]` of a sequence, each its own constant).
    func isTableable(_ id: NodeID, in s: Int) -> Bool {
        let node = program.graph.nodes[id.int]
        if node.shape.isEmpty { return node.op.constantValue != nil }
        guard loopOf[s] >= 0, case .data = node.op, let user = statements[s] else { return false }
        return program.isElementwise(user) && node.shape == program.graph.nodes[user.int].shape
    }

    /// The operands of the statement at step `s`.
    private func operands(_ s: Int) -> ArraySlice<NodeID> { operands[Int(operandStart[s])..<Int(operandStart[s + 1])] }

    mutating func find() {
        var start = 0
        while start < statements.count {
            guard statements[start] != nil else { start += 1; continue }
            var end = start
            while end < statements.count, statements[end] != nil { end += 1 }
            if end - start >= 2 * LoopProgram.rerollMinimumCount { search(start, end) }
            start = end
        }
    }

    private func node(_ s: Int) -> NodeID {
        guard let id = statements[s] else { preconditionFailure("not a statement") }
        return id
    }

    /// A hash of a statement's op and operand pattern: for an operand of an earlier run, its
    /// position in that run's body (a reverse pass's step reads the same position of another
    /// forward iteration each time); else the operands' distances when they are statements close
    /// by, the operands themselves otherwise.
    private func key(_ s: Int) -> Int {
        func mix(_ h: UInt64, _ x: Int) -> UInt64 { Node.mix(h, UInt64(bitPattern: Int64(x))) }
        var h = UInt64(UInt32(bitPattern: opNumber[s]))
        for m in Int(operandStart[s])..<Int(operandStart[s + 1]) {
            let operand = operands[m]
            let p = Int(step[operand.int])
            let r = Int(index.run[operand.int])
            if r >= 0 {
                h = mix(mix(h, -1 - r), Int(index.index[operand.int]) % runs[r].period)
            } else if p >= 0 && s - p <= 2 * LoopProgram.rerollMaximumPeriod {
                h = mix(h, s - p)
            } else {
                // Numbers and tensor constants may differ between iterations (a table): all hash alike.
                h = mix(h, isTableable(operand, in: s) ? Int(Int32.min) : Int(~operand.index))
            }
        }
        return Int(bitPattern: UInt(Node.finalize(h)))
    }

    /// Looks for runs among the consecutive statements at start..<end of one stretch.
    private mutating func search(_ start: Int, _ end: Int) {
        var seen: [Int: [Int]] = [:]
        failed = [:]
        var s = start
        while s < end {
            let k = key(s)
            let earlier = seen[k] ?? []
            var taken = false
            for previous in earlier.reversed() where s - previous <= LoopProgram.rerollMaximumPeriod {
                // A period whose long match failed the checks is tried again from each of the
                // body's other statements (a run may start one statement later), then not again
                // inside that match (every try would match it again: quadratic).
                if let (until, tries) = failed[s - previous], s < until, tries > s - previous { continue }
                if let next = tryRun(from: previous, period: s - previous, end: end) {
                    s = next
                    taken = true
                    break
                }
            }
            if taken { seen = [:]; continue }
            seen[k] = Array((earlier + [s]).suffix(3))
            s += 1
        }
    }

    /// A run that starts at step `a` with period `period`, if one of enough iterations passes the
    /// checks: the step after it.
    private mutating func tryRun(from a: Int, period: Int, end: Int) -> Int? {
        var strides: [Int: Int] = [:]
        var matched = 0
        while a + matched + period < end, matches(a + matched, period, runStart: a, strides: &strides) { matched += 1 }
        let count = matched / period + 1
        guard count >= LoopProgram.rerollMinimumCount else { return nil }
        let nodes = (a..<(a + count * period)).map(node)
        let r = Int32(runs.count)
        for (k, id) in nodes.enumerated() {
            index.run[id.int] = r
            index.index[id.int] = Int32(k)
        }
        guard var run = checked(nodes, period: period, count: count) else {
            for id in nodes { index.run[id.int] = -1 }
            let tries = failed[period].map { a < $0.until ? $0.tries + 1 : 1 } ?? 1
            failed[period] = (until: Swift.max(a + matched + period, failed[period]?.until ?? 0), tries: tries)
            return nil
        }
        run.strides = strides
        runs.append(run)
        return a + count * period
    }
}

extension RerollFinder {
    /// Whether statement i + period computes what statement i does, one iteration on.
    private func matches(_ i: Int, _ period: Int, runStart a: Int, strides: inout [Int: Int]) -> Bool {
        let j = i + period
        guard opNumber[i] == opNumber[j], operandStart[i + 1] - operandStart[i] == operandStart[j + 1] - operandStart[j] else { return false }
        // In a loop, members of one op may differ in shape (a reduction, a broadcast).
        if loopOf[i] >= 0 && program.graph.nodes[node(i).int].shape != program.graph.nodes[node(j).int].shape { return false }
        let iterationStart = a + (i - a) / period * period
        let shift = Int(operandStart[j] - operandStart[i])
        for m in Int(operandStart[i])..<Int(operandStart[i + 1]) {
            let (o1, o2) = (operands[m], operands[m + shift])
            let (p1, p2) = (Int(step[o1.int]), Int(step[o2.int]))
            if p1 < 0 || p2 < 0 {
                // The same leaf, or the same value computed by a call; or two numbers (in a loop, two
                // tensor constants) read by an elementwise op: a table, which the emitter reads for
                // the op's operand. Else values of an earlier run, below.
                if o1 == o2 { continue }
                if p1 < 0 && p2 < 0 && isTableable(o1, in: i) && isTableable(o2, in: j) && program.isElementwise(node(i)) {
                    continue
                }
                if p1 >= 0 || p2 >= 0 { return false }
            }
            if p1 >= 0 && p2 >= 0 {
                if p2 - p1 == period && p1 >= iterationStart - period { continue }  // this run's previous iteration, or its own
                if o1 == o2 && p1 < a { continue }  // an invariant computed before the run
            }
            let (r1, r2) = (index.run[o1.int], index.run[o2.int])
            guard r1 >= 0, r1 == r2 else { return false }
            let earlier = runs[Int(r1)]
            let (k1, k2) = (Int(index.index[o1.int]), Int(index.index[o2.int]))
            guard k1 % earlier.period == k2 % earlier.period else { return false }
            let stride = k2 / earlier.period - k1 / earlier.period
            if let known = strides[Int(r1)], known != stride { return false }
            strides[Int(r1)] = stride
        }
        return true
    }

    /// The run of `nodes` with its carried values and tapes, if every reader of its values is one
    /// the loop can serve: a statement of the same or the next iteration, or a reader after the run.
    private func checked(_ nodes: [NodeID], period: Int, count: Int) -> LoopProgram.Reroll? {
        let a = Int(step[nodes[0].int])
        let loop = loopOf[a] >= 0 ? Int(loopOf[a]) : nil
        var run = LoopProgram.Reroll(nodes: nodes, period: period, count: count)
        run.loop = loop
        // In a loop, a reduction accumulates across the loop's elements: each iteration's sum is a
        // number of a tape (a partial reduction, to an array, is not rerolled).
        if loop != nil, nodes[..<period].contains(where: { program.isReduction($0) && !program.graph.nodes[$0.int].shape.isEmpty }) {
            return nil
        }
        // A sine and cosine written as one call (SineCosinePairs.swift) stay in one iteration: a
        // run whose iterations would cut a pair starts one statement later instead.
        for k in 0..<period {
            if program.isSecondOfPair(nodes[k]) && (k == 0 || program.sineCosine(nodes[k - 1]) == nil) { return nil }
            if program.sineCosine(nodes[k]) != nil && (k + 1 == period || !program.isSecondOfPair(nodes[k + 1])) { return nil }
        }
        let r = Int32(runs.count)  // the run's nodes carry this index already
        func position(_ id: NodeID) -> Int? { index.run[id.int] == r ? Int(index.index[id.int]) : nil }
        // Carried values: what iteration 1 reads of iteration 0, and what iteration 0 reads instead.
        var initials: [Int: NodeID] = [:]
        var invariants = Set<NodeID>()
        for q in 0..<period {
            let shift = Int(operandStart[a + period + q] - operandStart[a + q])
            for m in Int(operandStart[a + q])..<Int(operandStart[a + q + 1]) {
                let (o0, o1) = (operands[m], operands[m + shift])
                guard let k = position(o1), k < period else {
                    if o0 == o1 { invariants.insert(o0) }
                    continue
                }
                if let known = initials[k], known != o0 { return nil }
                initials[k] = o0
            }
        }
        if initials.values.contains(where: { invariants.contains($0) || position($0) != nil }) { return nil }
        run.carried = initials.sorted { $0.key < $1.key }.map { (position: $0.key, initial: $0.value) }
        // Tapes: values read after the run, or by the kernel's caller.
        var taped = [Bool](repeating: false, count: period)
        let carried = (0..<period).map { initials[$0] != nil }
        let users = program.users
        for (k, id) in nodes.enumerated() {
            // A carried value read after the run only at its last iteration is the carried local
            // then; anything else read after the run needs its tape. (In a loop the local lives in
            // one element's iteration, so what is read after the run is always taped; a reduction
            // is read after its loop.)
            let local = loop == nil && carried[k % period] && k / period == count - 1
            if loop != nil && program.isReduction(id) { taped[k % period] = true }
            if isOutput[id.int] && !local { taped[k % period] = true }
            let served = users.forEach(id) { user in
                if let u = position(user) {
                    let ahead = u / period - k / period
                    return ahead == 0 || (ahead == 1 && carried[k % period])
                }
                switch program.roles[user.int] {
                case .scalar, .member:
                    // Read as a value (the emitter finds its tape or local); a structural read
                    // (a slice, a concatenation) reads memory by name, which a later iteration's
                    // value does not have.
                    if !local { taped[k % period] = true }
                    return readsValues(user)
                case .alias:
                    // A reshape read after the run, by a reader that reads values (an elementwise
                    // op, a reduction, a broadcast: the emitter's `read`, which finds the tape by
                    // the reshape's root); one read inside the run, or read as memory (a slice, a
                    // routine), is not rerolled.
                    taped[k % period] = true
                    return program.users.forEach(user) { position($0) == nil && readsValues($0) }
                case .dead, .leaf, .routine, .result: return false
                }
            }
            if !served { return nil }
        }
        run.tapes = taped.indices.filter { taped[$0] }.map { (position: $0, offset: -1) }
        run.tables = tables(a, period: period, count: count)
        return run
    }

    /// Whether `user` reads its operands as values (through the emitter's `read`), not as memory.
    private func readsValues(_ user: NodeID) -> Bool {
        if program.isElementwise(user) || program.isReduction(user) { return true }
        let node = program.graph[user]
        guard program.roles[user.int] != .alias, case .index(let map) = node.rule.lowering,
              case .broadcast = map(node.op, node.operands.map { program.graph.shape($0) }) else { return false }
        return true
    }

    /// The operands of the run's body that are numbers changing from one iteration to another,
    /// with every iteration's number.
    private func tables(_ a: Int, period: Int, count: Int) -> [LoopProgram.Reroll.Table] {
        var tables: [LoopProgram.Reroll.Table] = []
        for q in 0..<period {
            for (m, o) in operands(a + q).enumerated() where step[o.int] < 0 && isTableable(o, in: a + q) {
                let column = (0..<count).map { c in operands[Int(operandStart[a + c * period + q]) + m] }
                guard column.contains(where: { $0 != o }) else { continue }
                tables.append(.init(position: q, operand: m, values: column.flatMap { value in
                    if let number = program.graph.nodes[value.int].op.constantValue { return [number] }
                    guard case .data(let d) = program.graph.nodes[value.int].op else { preconditionFailure("not a constant") }
                    return program.graph.data[d]
                }))
            }
        }
        return tables
    }
}

/// Numbers for the distinct ops of a program's statements (equal numbers, equal ops). An op
/// without payload is its row, found among the few rows seen; the rest by the hash the graph's
/// table uses (a dictionary keyed by `Op` would SipHash every statement's op).
private struct OpNumbers {
    private var count: Int32 = 0
    private var rows: [(rule: ObjectIdentifier, number: Int32)] = []
    private var slots = [Int32](repeating: -1, count: 64)
    private var ops: [(hash: UInt64, op: Op, number: Int32)] = []

    mutating func number(of id: NodeID, in program: LoopProgram) -> Int32 {
        let key = program.rows[id.int]
        if let found = rows.first(where: { $0.rule == key }) { return found.number }
        let (payloadHash, code) = program.graph.nodes[id.int].withRule { ($0.payloadHash, $0.code) }
        guard let payloadHash else {
            rows.append((key, count))
            count += 1
            return count - 1
        }
        let op = program.graph.nodes[id.int].op
        let hash = Node.finalize(payloadHash(op, code))
        var i = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[i] >= 0 {
            let entry = ops[Int(slots[i])]
            if entry.hash == hash && entry.op == op { return entry.number }
            i = (i + 1) & (slots.count - 1)
        }
        ops.append((hash, op, count))
        count += 1
        if ops.count * 2 > slots.count { grow() } else { slots[i] = Int32(ops.count - 1) }
        return count - 1
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for (k, entry) in ops.enumerated() {
            var i = Int(truncatingIfNeeded: entry.hash) & (slots.count - 1)
            while slots[i] >= 0 { i = (i + 1) & (slots.count - 1) }
            slots[i] = Int32(k)
        }
    }
}
