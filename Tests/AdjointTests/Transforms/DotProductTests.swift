import Testing
import TestSupport
import Adjoint

/// The dot-product test for every primitive, in both modes and at first and second order:
/// `<u, J v>` from jvp equals `<Jᵀu, v>` from vjp to 1e-12 relative, both match central
/// differences, and the batched rules (a Jacobian as one graph, in either mode) give the same
/// number. The primitives and shapes are those of `PrimitiveGradientTests`.
@Suite struct DotProductTests {
    typealias Function = ([Tensor]) -> Tensor

    /// Checks `f` at `xs` along random `u` and `vs`.
    static func check(_ f: @escaping Function, at xs: [Tensor], rng: inout SplitMix64, differenceTolerance: Double,
                      _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let y = f(xs)
        let u = rng.tensor(y.shape), vs = xs.map { rng.tensor($0.shape) }
        let forward = innerProduct(u, jvp(f, at: xs, tangent: vs).tangent)
        let reverse = zip(vjp(f, at: xs, cotangent: u).cotangent, vs).reduce(0) { $0 + innerProduct($1.0, $1.1) }
        let scale = max(1, Swift.abs(forward), Swift.abs(reverse))
        #expect(Swift.abs(forward - reverse) <= 1e-12 * scale, "\(label): <u, Jv> \(forward) vs <Jᵀu, v> \(reverse)",
                sourceLocation: sourceLocation)
        let h = 1e-5
        let plus = f(zip(xs, vs).map { $0 + h * $1 }), minus = f(zip(xs, vs).map { $0 - h * $1 })
        let central = (innerProduct(u, plus) - innerProduct(u, minus)) / (2 * h)
        #expect(Swift.abs(forward - central) <= differenceTolerance * max(1, Swift.abs(central)),
                "\(label): <u, Jv> \(forward) vs central difference \(central)", sourceLocation: sourceLocation)
        for mode in [JacobianMode.forward, .reverse] {
            let js = jacobian(f, mode: mode)(xs)
            let batched = zip(js, vs).reduce(0) { $0 + contract(u, $1.0, $1.1) }
            #expect(Swift.abs(batched - forward) <= 1e-12 * scale, "\(label): batched \(mode) \(batched) vs jvp \(forward)",
                    sourceLocation: sourceLocation)
        }
    }

    /// `<u, J v>` for a Jacobian `j` of shape `u.shape + v.shape`.
    static func contract(_ u: Tensor, _ j: Tensor, _ v: Tensor) -> Double {
        let m = u.count, n = v.count
        var total = 0.0
        for i in 0..<m { for k in 0..<n { total += u.scalars[i] * j.scalars[i * n + k] * v.scalars[k] } }
        return total
    }

    /// First order on `f`, then second order on its derivatives: the jvp along fixed random
    /// tangents (forward) and the vjp for a fixed random cotangent (reverse), each argument's.
    static func checkBothOrders(_ f: @escaping Function, at xs: [Tensor], seed: UInt64, _ label: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        var rng = SplitMix64(seed: seed)
        check(f, at: xs, rng: &rng, differenceTolerance: 1e-6, label, sourceLocation: sourceLocation)
        let ws = xs.map { rng.tensor($0.shape) }
        let u = rng.tensor(f(xs).shape)
        check({ jvp(f, at: $0, tangent: ws).tangent }, at: xs, rng: &rng, differenceTolerance: 1e-5,
              "\(label) (jvp)", sourceLocation: sourceLocation)
        for i in xs.indices {
            check({ vjp(f, at: $0, cotangent: u).cotangent[i] }, at: xs, rng: &rng, differenceTolerance: 1e-5,
                  "\(label) (vjp, argument \(i))", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: PrimitiveGradientTests.unary, PrimitiveGradientTests.shapes)
    func unary(_ op: PrimitiveGradientTests.Unary, shape: [Int]) {
        var rng = SplitMix64(seed: UInt64(shape.count * 17 + op.name.count))
        let x = rng.tensor(shape, in: op.domain)
        Self.checkBothOrders({ op.f($0[0]) }, at: [x], seed: UInt64(op.name.count), "\(op.name) \(shape)")
    }

    @Test(arguments: PrimitiveGradientTests.binary)
    func binary(_ op: PrimitiveGradientTests.Binary) {
        for (sa, sb) in PrimitiveGradientTests.shapePairs {
            var rng = SplitMix64(seed: UInt64(sa.count * 3 + sb.count))
            let a = rng.tensor(sa, in: op.domain), b = rng.tensor(sb, in: op.domain)
            Self.checkBothOrders({ op.f($0[0], $0[1]) }, at: [a, b], seed: UInt64(sa.count + 5 * sb.count),
                                 "\(op.name) \(sa) \(sb)")
        }
    }

    @Test func structuralOps() {
        var rng = SplitMix64(seed: 23)
        let x = rng.tensor([3, 4])
        for (name, f) in CompiledParityTests.structural {
            Self.checkBothOrders({ f($0[0]) }, at: [x], seed: UInt64(name.count), name)
        }
        // Matrix products with both factors varying, and a product of three.
        let a = rng.tensor([2, 3]), b = rng.tensor([3, 4])
        Self.checkBothOrders({ matmul($0[0], $0[1]) }, at: [a, b], seed: 1, "matmul")
        Self.checkBothOrders({ sin(matmul(matmul($0[0], $0[1]), $0[1].transposed())) }, at: [a, b], seed: 2, "matmul³")
        Self.checkBothOrders({ concatenate([$0[0], $0[1].transposed()[..<2]], axis: 0) * 2 }, at: [a, rng.tensor([3, 3])],
                             seed: 3, "concatenate two")
    }
}
