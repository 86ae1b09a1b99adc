import Testing
import TestSupport

@testable import Adjoint

/// NaN is never lost, and derivatives at the awkward points of `pow` are the limits autograd
/// and JAX give, interpreted and compiled, in both modes (issue 12).
@Suite struct NonFiniteTests {
    /// d/dy 0ʸ = 0 for y > 0: one zero in x must not poison the gradient of `sum(pow(x, y))`.
    @Test func powOfZeroHasAFiniteExponentDerivative() throws {
        let f: (Tensor) -> Tensor = { y in pow(Tensor(0.0), y) }
        #expect(grad(f)(0.5).scalar == 0)
        #expect(compile(grad(f))(0.5).scalar == 0)
        #expect(jvp(f, at: 0.5, tangent: 1.0).tangent.scalar == 0)
        #expect(grad(grad(f))(0.5).scalar == 0)
        let x: Tensor = [0.0, 2.0, 3.0]
        let g: (Tensor) -> Tensor = { y in sum(pow(x, y)) }
        let expected = Foundation_log(2) * 4 + Foundation_log(3) * 9  // d/dy (2ʸ + 3ʸ) at y = 2
        #expect(Swift.abs(grad(g)(2.0).scalar - expected) < 1e-12)
        #expect(Swift.abs(compile(grad(g))(2.0).scalar - expected) < 1e-12)
        // In both arguments at once: the base's derivative stays y·xʸ⁻¹ (0 at x = 0 for y = 2).
        let both: (Tensor, Tensor) -> Tensor = { x, y in sum(pow(x, y)) }
        let gs = compile(grad(both, wrt: [0, 1]))(x, 2.0)
        #expect(gs[0].scalars == [0, 4, 6])
        #expect(Swift.abs(gs[1].scalar - expected) < 1e-12)
    }

    /// d/dx x⁰ is 0, not 0·0⁻¹ = NaN at x = 0 (an exponent that is not a constant, so nothing folds).
    @Test func powWithZeroExponentHasZeroBaseDerivative() {
        let f: (Tensor, Tensor) -> Tensor = { x, y in pow(x, y) }
        #expect(grad(f, wrt: 0)(0.0, 0.0).scalar == 0)
        #expect(compile(grad(f, wrt: 0))(0.0, 0.0).scalar == 0)
        #expect(grad(f, wrt: 0)(2.0, 3.0).scalar == 12)
    }

    @Test func reductionsPropagateNaN() {
        let v = Tensor([1, .nan, 2])
        #expect(max(v).scalar.isNaN)
        #expect(min(v).scalar.isNaN)
        #expect(compile { max($0) }(v).scalar.isNaN)
        #expect(compile { min($0) }(v).scalar.isNaN)
        #expect(compile { max($0 * 2, axis: 0) }(v).scalar.isNaN)
        let m = Tensor(shape: [2, 2], scalars: [1, .nan, 3, 4])
        #expect(max(m, axis: 1).scalars[0].isNaN && max(m, axis: 1).scalars[1] == 4)
        #expect(compile { max($0, axis: 1) }(m).scalars[0].isNaN)
        #expect(compile { max($0, axis: 1) }(m).scalars[1] == 4)
        // The first element NaN too (nothing compares above it, so it must not be replaced).
        #expect(compile { max($0) }(Tensor([.nan, 1, 2])).scalar.isNaN)
    }

    @Test func elementwiseChoicesPropagateNaN() {
        let a = Tensor([.nan, 1, 2, .nan])
        let b = Tensor([0, .nan, 1, .nan])
        let check: (Tensor) -> Bool = { t in t.scalars[0].isNaN && t.scalars[1].isNaN && t.scalars[3].isNaN }
        #expect(check(maximum(a, b)) && maximum(a, b).scalars[2] == 2)
        #expect(check(minimum(a, b)) && minimum(a, b).scalars[2] == 1)
        #expect(check(compile { maximum($0, $1) }(a, b)))
        #expect(check(compile { minimum($0, $1) }(a, b)))
        #expect(relu(Tensor(.nan)).scalar.isNaN)
        #expect(compile { relu($0) }(Tensor(.nan)).scalar.isNaN)
        #expect(relu([-1, 0, 2] as Tensor).scalars == [0, 0, 2])
        #expect(grad { sum(relu($0)) }([-1, 0, 2] as Tensor).scalars == [0, 0, 1])
    }

    /// The compiled function agrees with the uncompiled one on non-finite inputs: `x - x` is not
    /// folded to 0.
    @Test func differenceOfItselfIsNotFolded() {
        let f: (Tensor) -> Tensor = { x in x - x }
        for x in [Double.nan, .infinity, -.infinity] {
            #expect(f(Tensor(x)).scalar.isNaN)
            #expect(compile(f)(Tensor(x)).scalar.isNaN)
        }
        #expect(compile(f)(Tensor(3)).scalar == 0)
    }

    @Test func meanOfNothingIsAnError() {
        #expect(throws: ShapeError.self) { try Tensor.checkingShapes { mean(Tensor.zeros([0])) } }
        #expect(throws: ShapeError.self) { try Tensor.checkingShapes { mean(Tensor.zeros([2, 0]), axis: 1) } }
        do {
            _ = try Tensor.checkingShapes { mean(Tensor.zeros([0])) }
        } catch {
            #expect("\(error)".contains("empty"))
        }
        #expect(mean(Tensor.zeros([0, 2]), axis: 1).shape == [0])
    }
}
