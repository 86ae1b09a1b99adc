import Testing

@testable import Adjoint

/// The transforms' missing pieces in the grid: functions with rules of their own
/// (`customDerivative`, checked against their rule's derivative to second order, both modes,
/// compiled) and gradients with respect to a subset of the arguments (themselves differentiated
/// twice more, so the loss to third order).
enum TransformGrid {
    /// log(1 + eˣ) with the rule `g · σ(x)`: the rule is the true derivative, so no reference.
    @Sendable static func log1pexp(_ x: Tensor) -> Tensor {
        customDerivative(of: { x in log(1 + exp(x)) }, pullback: { x, _, g in g * sigmoid(x) })(x)
    }

    /// x³ with both rules given.
    @Sendable static func cube(_ x: Tensor) -> Tensor {
        customDerivative(of: { x in x * x * x }, pullback: { x, _, g in 3 * g * x * x },
                         pushforward: { x, _, t in 3 * t * x * x })(x)
    }

    /// a · sin(b) for a parameter list, its rule derived by hand (forward mode by transposition).
    @Sendable static func product(_ p: [Tensor]) -> Tensor {
        customDerivative(of: { (p: [Tensor]) in p[0] * sin(p[1]) },
                         pullback: { p, _, g in [g * sin(p[1]), g * p[0] * cos(p[1])] })(p)
    }

    /// eˣ with a rule that reads the value: `g · y` (so its derivatives go through the rule again).
    @Sendable static func exp(_ x: Tensor) -> Tensor {
        customDerivative(of: { x in Adjoint.exp(x) }, pullback: { _, y, g in g * y })(x)
    }

    /// The Euclidean norm of any shape, a scalar, with the rule `g · x / y`.
    @Sendable static func norm(_ x: Tensor) -> Tensor {
        customDerivative(of: { x in sqrt(sum(x * x)) }, pullback: { x, y, g in g * x / y })(x)
    }

    static let custom: [GridCase] = [
        GridCase.unary("customDerivative", -4...4) { log1pexp($0) },
        GridCase.shapes.map { GridCase("customDerivative", [$0], [-2...2], note: "reads y") { exp($0[0]) } },
        GridCase.shapes.map { GridCase("customDerivative", [$0], [0.5...2], note: "to a scalar") { norm($0[0]) } },
        GridCase.shapes.map { shape in
            // A straight-through clip: its derivative is the identity's, not the clip's.
            var c = GridCase("customDerivative", [shape], [-2...2], note: "straight-through") { x in
                customDerivative(of: { x in minimum(maximum(x, Tensor(-1)), Tensor(1)) }, pullback: { _, _, g in g })(x[0])
            }
            c.reference = { x, _ in [x[0]] }
            return c
        },
        GridCase.shapes.map { GridCase("customDerivative", [$0], [-2...2], note: "pushforward") { cube($0[0]) } },
        GridCase.shapes.map { GridCase("customDerivative", [$0, $0], [-2...2], note: "[Tensor]") { product($0) } },
    ].flatMap { $0 }

    static func loss(_ p: [Tensor]) -> Tensor { sum(p[0] * p[0] * sin(p[1])) + sum(p[1] * p[1] * p[1]) }

    static let pairs: [[[Int]]] = [[[], []], [[3], [3]], [[2, 3], [3]], [[3], [2, 3]], [[2, 1, 3], [1, 3]]]

    static let subsets: [GridCase] = pairs.flatMap { shapes in [
        GridCase("grad(wrt:)", shapes, [-2...2], note: "wrt: [1]") { grad(loss, wrt: [1])($0)[0] },
        GridCase("grad(wrt:)", shapes, [-2...2], note: "wrt: 0") { grad(loss, wrt: 0)($0) },
        GridCase(function: "valueAndGrad(wrt:)", shapes: shapes, domains: [-2...2], note: "wrt: [1, 0]") { p in
            let r = valueAndGrad(loss, wrt: [1, 0])(p)
            return [r.value] + r.gradient
        },
    ] }
}

extension TransformGrid {
    static let cases = custom + subsets
}

@Suite struct TransformGridTests {
    @Test(arguments: TransformGrid.custom) func customDerivative(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: TransformGrid.subsets) func subsets(_ c: GridCase) { SystematicCheck.check(c) }
}
