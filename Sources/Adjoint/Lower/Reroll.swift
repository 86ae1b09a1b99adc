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
extension LoopProgram {
    package struct Reroll: Sendable, Equatable {
        /// The run's statements in order: `count` iterations of `period` statements each.
        package var nodes: [NodeID]
        package var period: Int
        package var count: Int
        /// Body positions whose value the next iteration reads, with the node iteration 0 reads
        /// instead (computed before the run).
        package var carried: [(position: Int, initial: NodeID)] = []
        /// Body positions whose values are read after the run: a tape of `count` entries each,
        /// at `tapes[k].offset` in the workspace.
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
        guard steps.count >= 2 * LoopProgram.rerollMinimumCount else { return }
        var finder = RerollFinder(program: self)
        finder.find()
        guard !finder.runs.isEmpty else { return }
        rerolls = finder.runs
        rerollIndex = finder.index
        placeTapes()
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
    /// end of the kernel), and each table becomes a tensor constant of the kernel.
    private mutating func placeTapes() {
        for r in rerolls.indices {
            for k in rerolls[r].tapes.indices {
                rerolls[r].tapes[k].offset = workspaceCount
                workspaceCount += rerolls[r].count
            }
            for k in rerolls[r].tables.indices {
                graph.data.append(rerolls[r].tables[k].values)
                dataArrays.append(graph.data.count - 1)
                rerolls[r].tables[k].data = dataArrays.count - 1
            }
        }
    }
}
