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
    var step: [Int32]
    private(set) var runs: [LoopProgram.Reroll] = []
    private(set) var index: LoopProgram.RerollIndex
    /// Per step (statements only): a number for its op (equal numbers, equal ops) and its
    /// operands, flat (`operands[operandStart[s] ..< operandStart[s + 1]]`). Read once, so the
    /// matching compares integers instead of copying nodes.
    var opNumber: [Int32]
    var operandStart: [Int32]
    var operands: [NodeID] = []

    /// The searched statements in program order, nil between stretches; and, for each, the loop
    /// whose members it is in (-1 for straight-line code).
    var statements: [NodeID?] = []
    /// For each period whose run failed the checks in the stretch being searched: where its match ended.
    private var failed: [Int: (until: Int, tries: Int)] = [:]
    var loopOf: [Int32] = []
    /// Per node: an output or a guard's condition (read by the kernel's caller).
    var isOutput: [Bool]

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
    func operands(_ s: Int) -> ArraySlice<NodeID> { operands[Int(operandStart[s])..<Int(operandStart[s + 1])] }

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

    func node(_ s: Int) -> NodeID {
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
