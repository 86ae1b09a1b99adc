import Testing
import TestSupport

@testable import Adjoint

#if canImport(Glibc)
import Glibc
#endif

/// `scan(initial:over:_:)`, JAX's `lax.scan`: its values, its derivatives in both modes and to
/// second order against the same loop written in Swift and against central differences, its
/// compiled form, and its errors.
@Suite struct ScanTests {
    static let xs = Tensor(shape: [6, 2], scalars: [0.3, -1.2, 0.8, 0.5, -0.4, 1.1, 0.9, -0.7, 0.2, 0.6, -1.5, 0.1])

    @Test func carriesAndStacksLikeCumsum() {
        let x = Tensor([1, 2, 3, 4])
        let (total, partial) = scan(initial: Tensor(0.0), over: x) { carry, xi in
            let next = carry + xi
            return (carry: next, output: next)
        }
        #expect(total.scalar == 10)
        #expect(partial.shape == [4])
        #expect(partial.scalars == cumsum(x).scalars)
    }

    /// A recurrence over rows, with a vector carry and a vector output per step.
    static func recurrence(_ h0: Tensor, _ w: Tensor) -> Tensor {
        let (h, ys) = scan(initial: h0, over: xs) { h, x in
            let next = tanh(h * w + x)
            return (carry: next, output: sin(next) * h)
        }
        return sum(ys * ys) + sum(h)
    }

    static func unrolled(_ h0: Tensor, _ w: Tensor) -> Tensor {
        var h = h0, total = Tensor(0.0)
        for i in 0..<xs.shape[0] {
            let next = tanh(h * w + xs[i])
            let y = sin(next) * h
            total = total + sum(y * y)
            h = next
        }
        return total + sum(h)
    }

    @Test func derivativesMatchTheLoopWrittenOut() {
        let h0 = Tensor([0.2, -0.3]), w = Tensor([0.7, 1.4])
        let a = grad(Self.recurrence, wrt: [0, 1])(h0, w), b = grad(Self.unrolled, wrt: [0, 1])(h0, w)
        for k in 0..<2 {
            for (u, v) in zip(a[k].scalars, b[k].scalars) { #expect(Swift.abs(u - v) <= 1e-14 * Swift.max(1, Swift.abs(v))) }
        }
        // Central differences in h0.
        let h = 1e-6
        for i in 0..<2 {
            var plus = h0.scalars, minus = h0.scalars
            plus[i] += h
            minus[i] -= h
            let numeric = (Self.recurrence(Tensor(plus), w).scalar - Self.recurrence(Tensor(minus), w).scalar) / (2 * h)
            #expect(Swift.abs(a[0].scalars[i] - numeric) <= 1e-7 * Swift.max(1, Swift.abs(numeric)))
        }
        // Forward mode and a Hessian agree with the written-out loop too.
        let f = { (h0: Tensor) in Self.recurrence(h0, w) }, g = { (h0: Tensor) in Self.unrolled(h0, w) }
        let tangent = Tensor([1.0, -2.0])
        #expect(Swift.abs(jvp(f, at: h0, tangent: tangent).tangent.scalar - jvp(g, at: h0, tangent: tangent).tangent.scalar) <= 1e-13)
        for (u, v) in zip(hessian(f)(h0).scalars, hessian(g)(h0).scalars) { #expect(Swift.abs(u - v) <= 1e-12 * Swift.max(1, Swift.abs(v))) }
    }

    @Test func compiledAgreesWithTheInterpreter() {
        let h0 = Tensor([0.2, -0.3]), w = Tensor([0.7, 1.4])
        let interpreted = grad(Self.recurrence, wrt: [0, 1])(h0, w)
        let compiled = compile(grad(Self.recurrence, wrt: [0, 1]))(h0, w)
        for k in 0..<2 {
            for (u, v) in zip(compiled[k].scalars, interpreted[k].scalars) { #expect(Swift.abs(u - v) <= 1e-12 * Swift.max(1, Swift.abs(v))) }
        }
    }

    /// A scalar carry over many steps compiles to one C loop: the reroller finds the steps, and
    /// reads the rows of `xs` (a different number each step) from a table; so does a body that
    /// reads only the carry (JAX's `scan` over `length` steps).
    @Test(arguments: [false, true])
    func aScalarScanCompilesToALoop(readsRows: Bool) throws {
        let ts = readsRows ? Tensor(linspace: 0, 1, count: 2000) : Tensor.zeros([2000])
        let f: (Tensor) -> Tensor = { x0 in
            scan(initial: x0, over: ts) { x, t in
                let next = sin(x) * 0.9 + 0.1 * cos(x * (1.3 + t))
                return (carry: next, output: next)
            }.carry
        }
        let source = compile(grad(f)).cSource(for: [[]])
        #expect(source.utf8.count < 20_000, "\(source.utf8.count) bytes")
        #expect(source.contains("rerolled"))
        #expect(source.contains("table_") == readsRows)
        let compiled = compile(grad(f))(Tensor(0.3)).scalar, interpreted = grad(f)(Tensor(0.3)).scalar
        #expect(Swift.abs(compiled - interpreted) <= 1e-12 * Swift.abs(interpreted))
    }

    @Test func severalCarries() {
        let (carry, outputs) = scan(initial: [Tensor(1.0), Tensor(0.0)], over: Tensor([1, 2, 3])) { c, x in
            (carry: [c[0] * x, c[1] + x], output: c[0] + c[1])
        }
        #expect(carry[0].scalar == 6 && carry[1].scalar == 6)
        #expect(outputs.scalars == [1, 2, 5])
    }

    @Test func noRowsGiveAnEmptyStackOfTheOutputShape() {
        let (carry, outputs) = scan(initial: Tensor([1.0, 2.0]), over: Tensor.zeros([0, 3])) { c, x in
            (carry: c, output: sum(x) * c)
        }
        #expect(carry.scalars == [1, 2])
        #expect(outputs.shape == [0, 2])
    }

    @Test func errorsNameScanAndTheShapes() {
        #expect(throws: ShapeError.self) {
            try Tensor.checkingShapes { _ = scan(initial: Tensor(0.0), over: Tensor(1.0)) { c, x in (carry: c, output: x) } }
        }
        let error = #expect(throws: ShapeError.self) {
            try Tensor.checkingShapes {
                _ = scan(initial: Tensor(0.0), over: Tensor([1, 2])) { c, x in (carry: Tensor([1.0, 2.0]) * c, output: x) }
            }
        }
        let text = error?.description ?? ""
        #expect(text.contains("scan"))
        #expect(text.contains("carry 0's shape from () to (2,)"), "\(text)")
    }
}
