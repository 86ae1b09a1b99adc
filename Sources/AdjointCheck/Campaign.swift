import ExampleSupport

/// Many random programs from one seed, each checked four ways; failures shrunk to a minimal program.
public struct Campaign: Sendable {
    public var seed: UInt64
    public var programs: Int
    /// Every this many programs, the optimized tier is built and compared too (0: never).
    public var optimizedEvery: Int
    /// Instructions per program, drawn uniformly.
    public var lengths: ClosedRange<Int>

    public init(seed: UInt64, programs: Int, optimizedEvery: Int = 0, lengths: ClosedRange<Int> = 1...10) {
        self.seed = seed
        self.programs = programs
        self.optimizedEvery = optimizedEvery
        self.lengths = lengths
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var checked = 0
        /// Each failing program (its index in the campaign), shrunk or not, with what failed.
        public var failures: [(index: Int, program: RandomProgram, shrunk: Bool, failures: [ProgramCheck.Failure])] = []

        public var description: String {
            var text = "\(checked) programs, \(failures.count) failing"
            for f in failures.prefix(5) {
                let size = "\(f.program.instructions.count) instructions"
                text += "\n-- program \(f.index), \(f.shrunk ? "shrunk to " + size : size + ", not shrunk"):\n\(f.program)\n"
                text += f.failures.map { "   \($0)" }.joined(separator: "\n")
            }
            return text
        }
    }

    /// The k-th program and the check that runs it (the same for the same seed and k).
    public func check(_ k: Int) -> ProgramCheck {
        var rng = SeededGenerator(seed: seed &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15)
        let program = RandomProgram.random(length: Int.random(in: lengths, using: &rng), using: &rng)
        return ProgramCheck(program: program, seed: rng.next(),
                            optimizedTier: optimizedEvery > 0 && k % optimizedEvery == 0)
    }

    /// Runs programs `range` (all by default); `shrinkLimit` failing programs are shrunk.
    public func run(_ range: Range<Int>? = nil, shrinkLimit: Int = 3, progress: ((Int, Report) -> Void)? = nil) -> Report {
        var report = Report()
        for k in range ?? 0..<programs {
            let check = self.check(k)
            let failures = check.run()
            report.checked += 1
            if let first = failures.first {
                if report.failures.count < shrinkLimit {
                    let shrunk = check.shrunk(failing: first.check)
                    report.failures.append((k, shrunk.program, true, shrunk.failures))
                } else {
                    report.failures.append((k, check.program, false, failures))
                }
            }
            progress?(k, report)
        }
        return report
    }
}
