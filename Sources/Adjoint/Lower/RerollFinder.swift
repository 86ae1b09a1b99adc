/// The search for rerollable runs (Reroll.swift) in a scheduled program's straight-line code.
///
/// Candidates come from statements of the same op and operand pattern a short distance apart;
/// each candidate period is checked statement by statement against the next period, and a run of
/// at least `rerollMinimumCount` equal iterations is then checked as a whole (who reads its
/// values) before it is taken. Linear in the statements for regular code such as W6's 30,000.
struct RerollFinder {
    let program: LoopProgram
    /// The step index of each node's statement, or -1 for nodes that are not statements.
    private var step: [Int32]
    private(set) var runs: [LoopProgram.Reroll] = []
    private(set) var index: LoopProgram.RerollIndex
    /// Per step (statements only): a number for its op (equal numbers, equal ops) and its
    /// operands, flat (`operands[operandStart[s] ..< operandStart[s + 1]]`). Read once, so the
    /// matching compares integers instead of copying nodes.
    private var opNumber: [Int32]
    private var operandStart: [Int32]
    private var operands: [NodeID] = []

    init(program: LoopProgram) {
        self.program = program
        step = [Int32](repeating: -1, count: program.graph.count)
        index = LoopProgram.RerollIndex(count: program.graph.count)
        opNumber = [Int32](repeating: -1, count: program.steps.count)
        operandStart = [Int32](repeating: 0, count: program.steps.count + 1)
        var numbers: [Op: Int32] = [:]
        for (k, s) in program.steps.enumerated() {
            operandStart[k] = Int32(operands.count)
            guard case .scalar(let id) = s else { continue }
            step[id.int] = Int32(k)
            let node = program.graph.nodes[id.int]
            opNumber[k] = numbers[node.op] ?? {
                numbers[node.op] = Int32(numbers.count)
                return Int32(numbers.count - 1)
            }()
            operands.append(contentsOf: node.operands)
        }
        operandStart[program.steps.count] = Int32(operands.count)
    }

    /// Whether `id` is a rank-0 constant: an operand that may change from iteration to iteration,
    /// read from a table.
    func isNumber(_ id: NodeID) -> Bool {
        let node = program.graph.nodes[id.int]
        return node.op.constantValue != nil && node.shape.isEmpty
    }

    /// The operands of the statement at step `s`.
    private func operands(_ s: Int) -> ArraySlice<NodeID> { operands[Int(operandStart[s])..<Int(operandStart[s + 1])] }

    mutating func find() {
        var start = 0
        let steps = program.steps
        while start < steps.count {
            guard case .scalar = steps[start] else { start += 1; continue }
            var end = start
            while end < steps.count, case .scalar = steps[end] { end += 1 }
            if end - start >= 2 * LoopProgram.rerollMinimumCount { search(start, end) }
            start = end
        }
    }

    private func node(_ s: Int) -> NodeID {
        guard case .scalar(let id) = program.steps[s] else { preconditionFailure("not a statement") }
        return id
    }

    /// A hash of a statement's op and operand pattern: the operands' distances when they are
    /// statements close by, the operands themselves otherwise.
    private func key(_ s: Int) -> Int {
        var hasher = Hasher()
        hasher.combine(opNumber[s])
        for operand in operands(s) {
            let p = Int(step[operand.int])
            if p >= 0 && s - p <= 2 * LoopProgram.rerollMaximumPeriod {
                hasher.combine(s - p)
            } else {
                // Numbers may differ between iterations (a table): all hash alike.
                hasher.combine(isNumber(operand) ? Int32.min : ~operand.index)
            }
        }
        return hasher.finalize()
    }

    /// Looks for runs among the consecutive statements at steps start..<end.
    private mutating func search(_ start: Int, _ end: Int) {
        var seen: [Int: [Int]] = [:]
        var s = start
        while s < end {
            let k = key(s)
            let earlier = seen[k] ?? []
            var taken = false
            for previous in earlier.reversed() where s - previous <= LoopProgram.rerollMaximumPeriod {
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
        let iterationStart = a + (i - a) / period * period
        for (o1, o2) in zip(operands(i), operands(j)) {
            let (p1, p2) = (Int(step[o1.int]), Int(step[o2.int]))
            if p1 < 0 || p2 < 0 {
                // The same leaf, or the same value computed by a loop or a call; or two numbers
                // read by an elementwise op (a table, which the emitter reads for the op's operand).
                if o1 != o2 && !(p1 < 0 && p2 < 0 && isNumber(o1) && isNumber(o2) && program.isElementwise(node(i))) {
                    return false
                }
                continue
            }
            if p2 - p1 == period && p1 >= iterationStart - period { continue }  // this run's previous iteration, or its own
            if o1 == o2 && p1 < a { continue }  // an invariant computed before the run
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
        var run = LoopProgram.Reroll(nodes: nodes, period: period, count: count)
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
        let a = Int(step[nodes[0].int])
        for q in 0..<period {
            let (first, second) = (operands(a + q), operands(a + period + q))
            for (o0, o1) in zip(first, second) {
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
        let outputs = Set(program.outputs + program.guards.map(\.condition))
        let carried = (0..<period).map { initials[$0] != nil }
        for (k, id) in nodes.enumerated() {
            // A carried value read after the run only at its last iteration is the carried local
            // then; anything else read after the run needs its tape.
            let local = carried[k % period] && k / period == count - 1
            if outputs.contains(id) && !local { taped[k % period] = true }
            let served = program.users.forEach(id) { user in
                if let u = position(user) {
                    let ahead = u / period - k / period
                    return ahead == 0 || (ahead == 1 && carried[k % period])
                }
                switch program.roles[user.int] {
                case .scalar, .member:
                    if !local { taped[k % period] = true }
                    return true
                case .dead, .leaf, .routine, .result, .alias: return false
                }
            }
            if !served { return nil }
        }
        run.tapes = taped.indices.filter { taped[$0] }.map { (position: $0, offset: -1) }
        run.tables = tables(a, period: period, count: count)
        return run
    }

    /// The operands of the run's body that are numbers changing from one iteration to another,
    /// with every iteration's number.
    private func tables(_ a: Int, period: Int, count: Int) -> [LoopProgram.Reroll.Table] {
        var tables: [LoopProgram.Reroll.Table] = []
        for q in 0..<period {
            for (m, o) in operands(a + q).enumerated() where step[o.int] < 0 && isNumber(o) {
                let column = (0..<count).map { c in operands[Int(operandStart[a + c * period + q]) + m] }
                guard column.contains(where: { $0 != o }) else { continue }
                tables.append(.init(position: q, operand: m, values: column.map { program.graph.nodes[$0.int].op.constantValue! }))
            }
        }
        return tables
    }
}
