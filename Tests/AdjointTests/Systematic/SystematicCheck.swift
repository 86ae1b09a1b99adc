import Testing
import TestSupport

@testable import Adjoint

/// What every grid case is put through: reverse and forward mode against central differences
/// at first and second order, and compiled kernels (the function, its gradient, a second
/// derivative) against the interpreter.
///
/// The case is seen through one flat parameter vector `p`: the operands are slices of it, so
/// one gradient covers every operand, and `F(p) = Σₖ sum(wₖ · resultₖ)` weighs every element.
enum SystematicCheck {
    struct Point {
        let c: GridCase
        let p: Tensor
        let weights: [Tensor]
        let operands0: [Tensor]

        init(_ c: GridCase) {
            self.c = c
            var rng = SplitMix64(seed: c.testDescription.utf8.reduce(1469598103934665603) { ($0 ^ UInt64($1)) &* 1099511628211 })
            var operands = c.shapes.indices.map { k in rng.tensor(c.shapes[k], in: c.domain(k)) }
            if let prepare = c.prepare { operands = prepare(operands) }
            p = Tensor(shape: [operands.reduce(0) { $0 + $1.count }], scalars: operands.flatMap(\.scalars))
            weights = c.f(operands).map { rng.tensor($0.shape) }
            operands0 = operands
        }

        func operands(_ p: Tensor) -> [Tensor] {
            var offset = 0
            return c.shapes.map { shape in
                let n = shape.reduce(1, *)
                defer { offset += n }
                return p[offset..<(offset + n)].reshaped(shape)
            }
        }

        /// The scalar the derivative checks differentiate.
        func F(_ p: Tensor) -> Tensor {
            zip(c.f(operands(p)), weights).map { sum($0 * $1) }.reduce(Tensor(0), +)
        }

        /// What the central differences are taken of: `F`, or the same sum over the case's reference.
        func R(_ p: Tensor) -> Tensor {
            guard let reference = c.reference else { return F(p) }
            return zip(reference(operands(p), operands0), weights).map { sum($0 * $1) }.reduce(Tensor(0), +)
        }

        /// Every result element, flattened and joined.
        func all(_ p: Tensor) -> Tensor {
            let flat = c.f(operands(p)).map { $0.reshaped([$0.count]) }
            return flat.count == 1 ? flat[0] : concatenate(flat, axis: 0)
        }
    }

    static func centralDifference(_ f: (Tensor) -> Tensor, at p: Tensor, along v: Tensor) -> Double {
        let h = 1e-5
        return (f(p + h * v).scalar - f(p - h * v).scalar) / (2 * h)
    }

    static func expectClose(_ ad: Double, _ fd: Double, _ tolerance: Double, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Swift.abs(ad - fd) <= tolerance * Swift.max(1, Swift.abs(fd)), "\(what): \(ad) vs central difference \(fd)",
                sourceLocation: sourceLocation)
    }

    /// All the checks of one case.
    static func check(_ c: GridCase, sourceLocation: SourceLocation = #_sourceLocation) {
        let x = Point(c)
        guard x.p.count > 0 else { return }
        var rng = SplitMix64(seed: 7)
        let (v, w) = (rng.tensor(x.p.shape), rng.tensor(x.p.shape))
        // First order.
        let fd = centralDifference(x.R, at: x.p, along: v)
        expectClose(innerProduct(grad(x.F)(x.p), v), fd, c.tolerance, "reverse mode", sourceLocation: sourceLocation)
        expectClose(jvp(x.F, at: x.p, tangent: v).tangent.scalar, fd, c.tolerance, "forward mode", sourceLocation: sourceLocation)
        // Second order, each mode over itself.
        let reverse: (Tensor) -> Tensor = { p in sum(grad(x.F)(p) * w) }
        let forward: (Tensor) -> Tensor = { p in jvp(x.F, at: p, tangent: w).tangent }
        let fd2 = centralDifference({ p in sum(grad(x.R)(p) * w) }, at: x.p, along: v)
        expectClose(innerProduct(grad(reverse)(x.p), v), fd2, 2 * c.tolerance, "reverse over reverse", sourceLocation: sourceLocation)
        expectClose(jvp(forward, at: x.p, tangent: v).tangent.scalar, fd2, 2 * c.tolerance, "forward over forward",
                    sourceLocation: sourceLocation)
        // Compiled against interpreted.
        let second: (Tensor) -> Tensor = { p in grad(reverse)(p) }
        #expect(relativeError(compile(x.all)(x.p), x.all(x.p)) <= 1e-12, "compiled value", sourceLocation: sourceLocation)
        #expect(relativeError(compile(grad(x.F))(x.p), grad(x.F)(x.p)) <= 1e-12, "compiled gradient",
                sourceLocation: sourceLocation)
        #expect(relativeError(compile(second)(x.p), second(x.p)) <= 1e-9, "compiled second derivative",
                sourceLocation: sourceLocation)
    }
}
