import Testing
import TestSupport

@testable import Adjoint

#if canImport(Glibc)
import Glibc
#endif

/// Reverse mode preaccumulates scalar chains (Transforms/Reverse+Preaccumulation.swift): a
/// step of a scalar recurrence multiplies the cotangent flowing back once, by a factor built
/// from forward values, as a hand-written adjoint does.
@Suite struct PreaccumulationTests {
    static func step(_ x: Tensor) -> Tensor { sin(x) * 0.9 + 0.1 * cos(x * 1.3) }

    static func recurrence(steps: Int) -> (Tensor) -> Tensor {
        { x0 in
            var x = x0
            for _ in 0..<steps { x = step(x) }
            return x
        }
    }

    /// d x_K / d x_0 as the product of the steps' derivatives, in long double.
    static func handGradient(_ x0: Double, steps: Int) -> Double {
        var x = x0
        var product: Float80 = 1
        for _ in 0..<steps {
            product *= Float80(0.9 * Glibc.cos(x) - 0.13 * Glibc.sin(1.3 * x))
            x = Glibc.sin(x) * 0.9 + 0.1 * Glibc.cos(x * 1.3)
        }
        return Double(product)
    }

    /// With the seed an input of its own, the nodes that depend on it are the cotangent's path:
    /// one product per step (and the result), not one per op of the step.
    @Test(arguments: [1, 2, 10, 100])
    func theCotangentPassesOneProductPerStep(steps: Int) {
        var traced = Staging.trace([Tensor(0.3), Tensor(1.0)]) { xs in [Self.recurrence(steps: steps)(xs[0])] }
        let seed = traced.inputs[1]
        let start = traced.graph.count
        let gradient = traced.graph.reverse(output: traced.outputs[0], seed: seed, wrt: [traced.inputs[0]])[0]
        let onPath = traced.graph.activity(from: [seed], upTo: traced.graph.count)[start...].filter { $0 }.count
        #expect(onPath == steps, "\(onPath) nodes on the cotangent's path for \(steps) steps")
        traced.outputs = [gradient]
        let value = Staging.bind(traced, to: [Tensor(0.3), Tensor(0.5)])[0].scalar
        #expect(Swift.abs(value - 0.5 * Self.handGradient(0.3, steps: steps)) <= 1e-14 * Swift.abs(value))
    }

    /// The gradient against the product of the steps' derivatives, interpreted and compiled, and
    /// where the cotangent underflows (W6's 10,000 steps) still agreeing between the two.
    @Test(arguments: [3, 200, 2000])
    func gradientsMatchTheProductOfTheStepDerivatives(steps: Int) {
        let f = Self.recurrence(steps: steps)
        let interpreted = grad(f)(Tensor(0.3)).scalar
        let compiled = compile(grad(f))(Tensor(0.3)).scalar
        let expected = Self.handGradient(0.3, steps: steps)
        #expect(compiled == interpreted)
        if expected.isNormal {
            #expect(Swift.abs(interpreted - expected) <= 1e-12 * Swift.abs(expected), "\(interpreted) vs \(expected)")
        } else {
            #expect(Swift.abs(interpreted - expected) <= 4 * Double.leastNonzeroMagnitude.ulp + 1e-3 * Swift.abs(expected))
        }
    }

    /// Chains that fan in from different roots, ops that are not preaccumulated (exp, division,
    /// a product with an unbounded factor) and a masked branch mixed with preaccumulated ones:
    /// the gradient against central differences, and compiled against interpreted.
    @Test func mixedScalarGraphsKeepTheirGradients() {
        let f: (Tensor) -> Tensor = { x in
            let a = sin(x) * cos(x * 2) - tanh(x) * x
            let b = exp(a) / (1 + x * x)
            let c = `where`(x .> 0, sqrt(x), -x)
            return a * b + c * tanh(a) - log(1 + a * a) * x
        }
        for x0 in [-1.3, -0.2, 0.05, 0.4, 2.5] {
            let g = grad(f)(Tensor(x0)).scalar
            let h = 1e-6
            let numeric = (f(Tensor(x0 + h)).scalar - f(Tensor(x0 - h)).scalar) / (2 * h)
            #expect(g.isFinite)
            #expect(Swift.abs(g - numeric) <= 1e-6 * Swift.max(1, Swift.abs(numeric)), "at \(x0): \(g) vs \(numeric)")
            let compiled = compile(grad(f))(Tensor(x0)).scalar
            #expect(Swift.abs(compiled - g) <= 1e-14 * Swift.max(1, Swift.abs(g)))
        }
    }
}
