/// The reroll finder's checks (RerollFinder.swift): whether two statements compute the same
/// thing one iteration apart, and whether a run found is one the loop can serve.
extension RerollFinder {
    /// Whether statement i + period computes what statement i does, one iteration on.
    func matches(_ i: Int, _ period: Int, runStart a: Int, strides: inout [Int: Int]) -> Bool {
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
    func checked(_ nodes: [NodeID], period: Int, count: Int) -> LoopProgram.Reroll? {
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
