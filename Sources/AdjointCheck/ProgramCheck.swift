import Adjoint
import ExampleSupport

/// Checks one random program four ways (issue 12): compiled against interpreted (on libtcc's code
/// and, when asked, on the optimized tier, bit for bit), reverse against forward mode
/// (`<u, J v>` both ways), the gradient and a second derivative against central differences, and
/// every evaluation repeated giving the same bits. A failure names the check and the numbers.
public struct ProgramCheck: Sendable {
    public var program: RandomProgram
    /// Also build the optimized tier of the gradient kernel and compare it bit for bit (costs a
    /// system-compiler run, ~50 ms).
    public var optimizedTier = false
    /// The seed of the point and the directions the program is checked at.
    public var seed: UInt64

    public init(program: RandomProgram, seed: UInt64, optimizedTier: Bool = false) {
        self.program = program
        self.seed = seed
        self.optimizedTier = optimizedTier
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// Which of the checks failed ("compiled value", "forward/reverse", …).
        public var check: String
        public var detail: String
        public var description: String { "\(check): \(detail)" }
    }

    /// The point, weights and directions of this check.
    struct Probe {
        var x: Tensor, u: Tensor, v: Tensor, w: Tensor
    }

    func probe(outputCount: Int) -> Probe {
        var rng = SeededGenerator(seed: seed)
        func vector(_ n: Int) -> Tensor {
            Tensor((0..<n).map { _ in Double.random(in: -1...1, using: &rng) })
        }
        return Probe(x: vector(RandomProgram.inputCount), u: vector(outputCount),
                     v: vector(RandomProgram.inputCount), w: vector(outputCount))
    }

    /// All checks; the failures found (empty when the program passes).
    public func run() -> [Failure] {
        let program = self.program
        let x0 = probe(outputCount: 1).x
        let m = program(x0).count
        let p = probe(outputCount: m)
        let w = p.w
        let loss: (Tensor) -> Tensor = { x in sum(program(x) * w) }
        var failures: [Failure] = []
        failures += compiledAgainstInterpreted(p, loss)
        failures += forwardAgainstReverse(p)
        failures += againstCentralDifferences(p, loss)
        failures += repeatable(p, loss)
        return failures
    }

    /// Relative difference, scaled by the larger magnitude (at least 1); NaN where exactly one is NaN.
    static func difference(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        var worst = 0.0
        let scale = Swift.max(1, (a + b).filter(\.isFinite).map(\.magnitude).max() ?? 0)
        for (x, y) in zip(a, b) {
            if x.isNaN && y.isNaN || x == y { continue }
            if x.isNaN || y.isNaN || !x.isFinite || !y.isFinite { return .infinity }
            worst = Swift.max(worst, Swift.abs(x - y) / scale)
        }
        return worst
    }

    static func inner(_ a: Tensor, _ b: Tensor) -> Double {
        zip(a.scalars, b.scalars).reduce(0) { $0 + $1.0 * $1.1 }
    }

    func expectClose(_ check: String, _ a: Tensor, _ b: Tensor, _ tolerance: Double, into failures: inout [Failure]) {
        let d = Self.difference(a.scalars, b.scalars)
        if a.shape != b.shape || d > tolerance {
            failures.append(Failure(check: check, detail: "differ by \(d) (> \(tolerance)): \(a.scalars) vs \(b.scalars)"))
        }
    }
}
