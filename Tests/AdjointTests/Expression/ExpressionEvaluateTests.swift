// ExpressionEvaluateTests — tests of `Expression.evaluate(_:)`.
//
// Written against the Tensor API named in API.md (`Tensor(shape:scalars:)`, `Tensor(_:)`,
// `.shape`, `.scalars`) and run, while the core was being written, against a throwaway eager
// stand-in. They need the real Tensor: enable them once it exists (they use no other API).
import Adjoint
import Foundation
import Testing

private func tensor(_ shape: [Int], _ scalars: [Double]) -> Tensor {
    Tensor(shape: shape, scalars: scalars)
}

private let bindings: [String: Tensor] = [
    "x": tensor([3], [1, 2, 3]),
    "A": tensor([2, 3], [1, 2, 3, 4, 5, 6]),
    "B": tensor([3, 2], [1, 0, 0, 1, 1, 1]),
    "s": Tensor(0.5),
]

/// Checks `text` against the bindings' shapes, evaluates it, and returns (shape, scalars).
private func evaluate(_ text: String) throws -> ([Int], [Double]) {
    let expression = try Expression(parsing: text)
    let shape = try expression.check(shapes: bindings.mapValues(\.shape))
    let value = expression.evaluate(bindings)
    #expect(value.shape == shape, "checked shape and evaluated shape differ for \(text)")
    return (value.shape, value.scalars)
}

private func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}

@Suite struct ExpressionEvaluateTests {
    @Test(arguments: [
        ("x**2 + 3*x", [3], [4, 10, 18]),
        ("-2**2", [], [-4]),
        ("2**-1", [], [0.5]),
        ("2^3^2", [], [512]),
        ("+x - -1", [3], [2, 3, 4]),
        ("8 / 4 / 2", [], [1]),
        ("2 * pi", [], [2 * Double.pi]),
        ("x > 2", [3], [0, 0, 1]),
        ("x >= 2", [3], [0, 1, 1]),
        ("x < 2", [3], [1, 0, 0]),
        ("x <= 2", [3], [1, 1, 0]),
        ("where(x > 1, x, 0)", [3], [0, 2, 3]),
        ("A + x", [2, 3], [2, 4, 6, 5, 7, 9]),
        ("sum(A)", [], [21]),
        ("sum(A, 0)", [3], [5, 7, 9]),
        ("mean(A, axis=1)", [2], [2, 5]),
        ("max(A, -1)", [2], [3, 6]),
        ("min(A, axis=0)", [3], [1, 2, 3]),
        ("max(x) + min(x) + mean(x)", [], [6]),
        ("A @ B", [2, 2], [4, 5, 10, 11]),
        ("A @ x", [2], [14, 32]),
        ("x @ B", [2], [4, 5]),
        ("x @ x", [], [14]),
        ("dot(x, x)", [], [14]),
        ("dot(s, x)", [3], [0.5, 1, 1.5]),
        ("dot(A, x)", [2], [14, 32]),
        ("matmul(A, B)", [2, 2], [4, 5, 10, 11]),
        ("transpose(A)", [3, 2], [1, 4, 2, 5, 3, 6]),
        ("transpose(x)", [3], [1, 2, 3]),
        ("pow(x, 2)", [3], [1, 4, 9]),
        ("x[-1]", [], [3]),
        ("A[1, 2]", [], [6]),
        ("A[-1][0]", [], [4]),
        ("A[1]", [3], [4, 5, 6]),
        ("x[1:]", [2], [2, 3]),
        ("x[-2:]", [2], [2, 3]),
        ("x[:-1]", [2], [1, 2]),
        ("A[:1]", [1, 3], [1, 2, 3]),
        ("A[1:][0]", [3], [4, 5, 6]),
        ("sum(x, axis=(-1))", [], [6]),
        ("sigmoid(0 * s) + relu(-s) + abs(-s) + sqrt(4 * s * s)", [], [2]),
    ] as [(String, [Int], [Double])])
    func value(text: String, shape: [Int], scalars: [Double]) throws {
        let (actualShape, actualScalars) = try evaluate(text)
        #expect(actualShape == shape)
        #expect(close(actualScalars, scalars), "\(text) = \(actualScalars)")
    }

    @Test func elementwiseFunctionsMatchLibm() throws {
        let s = 0.5
        let expected: [(String, Double)] = [
            ("exp", Foundation.exp(s)), ("log", Foundation.log(s)), ("sin", Foundation.sin(s)),
            ("cos", Foundation.cos(s)), ("tan", Foundation.tan(s)), ("tanh", Foundation.tanh(s)),
            ("sqrt", Foundation.sqrt(s)), ("abs", s), ("sigmoid", 1 / (1 + Foundation.exp(-s))), ("relu", s),
            ("softplus", Foundation.log1p(Foundation.exp(s))), ("log1p", Foundation.log1p(s)),
            ("expm1", Foundation.expm1(s)),
        ]
        for (name, value) in expected {
            let (shape, scalars) = try evaluate("\(name)(s)")
            #expect(shape == [])
            #expect(close(scalars, [value]), "\(name)(0.5) = \(scalars)")
        }
    }

    @Test func everyCheckedFuzzExpressionEvaluatesToItsCheckedShape() throws {
        let fuzzBindings: [String: Tensor] = [
            "x": tensor([3], [0.5, -1, 2]), "y": tensor([3], [1, 2, 3]),
            "A": tensor([2, 3], [1, -2, 3, -4, 5, -6]), "s": Tensor(0.25),
        ]
        var checked = 0
        for text in ExpressionFuzz.expressions(count: 3_000, seed: 3) {
            guard let expression = try? Expression(parsing: text),
                  let shape = try? expression.check(shapes: ExpressionFuzz.shapes) else { continue }
            checked += 1
            #expect(expression.evaluate(fuzzBindings).shape == shape, "\(text)")
        }
        #expect(checked > 300)
    }
}
