import Adjoint
import Foundation
import Testing
import TestSupport

/// `adjoint eval` against the library's own results and against exact derivatives.
@Suite struct EvalTests {
    /// Exact values and gradients worked out by hand.
    @Test func exactDerivatives() throws {
        // f = sum(sin(x) * x): df/dx = cos(x) x + sin(x).
        let xs = [0.3, -1.2, 2.5]
        var value = 0.0
        var gradient: [Double] = []
        for x in xs {
            let s: Double = sin(x), c: Double = cos(x)
            value += s * x
            gradient.append(c * x + s)
        }
        var r = try CLI.evalJSON(["sum(sin(x) * x)", "--var", "x:3", "--at", "x=0.3,-1.2,2.5", "--grad", "x"])
        #expect(relativeError(r.value, [value]) < 1e-14)
        #expect(relativeError(r.gradients["x"]!, gradient) < 1e-14)

        // f = dot(W @ x, x) = xᵀ W x: df/dW = x xᵀ, df/dx = (W + Wᵀ) x, hessian W + Wᵀ.
        r = try CLI.evalJSON(["dot(W @ x, x)", "--var", "W:2x2", "--var", "x:2", "--at", "W=1,2,3,4", "--at", "x=0.5,-2",
                              "--grad", "W", "--grad", "x", "--hessian", "x"])
        // x = (0.5, -2): xᵀ W x = 0.25·1 + (0.5·-2)·(2 + 3) + 4·4 = 11.25.
        #expect(r.value == [11.25])
        #expect(r.gradients["W"] == [0.25, -1, -1, 4])
        #expect(r.gradients["x"] == [-9, -13.5])
        #expect(r.gradients["hessian x"] == [2, 5, 5, 8])
        #expect(r.shapes["hessian x"] == [2, 2])

        // f = tanh(y): f' = 1 - tanh², the hessian (f'') = -2 tanh (1 - tanh²).
        let y = 0.7, t = tanh(y)
        r = try CLI.evalJSON(["tanh(y)", "--var", "y", "--at", "y=0.7", "--grad", "y", "--hessian", "y"])
        #expect(relativeError(r.gradients["y"]!, [1 - t * t]) < 1e-15)
        #expect(relativeError(r.gradients["hessian y"]!, [-2 * t * (1 - t * t)]) < 1e-14)
        #expect(r.shapes["hessian y"] == [])
    }

    static let cases: [(expression: String, variables: [String: [Int]], grads: [String])] = [
        ("sum(sigmoid(W @ x + b) ** 2)", ["W": [3, 4], "x": [4], "b": [3]], ["W", "x", "b"]),
        ("mean(where(x > 0, x, 0.1 * x)) + max(x) - min(x)", ["x": [6]], ["x"]),
        ("sum(A @ B) + sum(transpose(A) * 2)", ["A": [3, 2], "B": [2, 4]], ["A", "B"]),
        ("mean(A, axis=1) @ x + sum(abs(A))", ["A": [3, 5], "x": [3]], ["A", "x"]),
        ("sum(log1p(exp(x)) + expm1(x / 4) + sqrt(x * x + 1) + softplus(-x) + relu(x) * cos(x))", ["x": [5]], ["x"]),
        ("x[1:3] @ x[0:2] + x[-1] ** 3 + 2 ^ x[0] + pi", ["x": [4]], ["x"]),
        ("sum(max(M, 0)) + sum(min(M, axis=1)) + dot(M[0], M[1])", ["M": [2, 3]], ["M"]),
        ("x * y / (1 + z ** 2)", ["x": [], "y": [], "z": []], ["x", "y", "z"]),
    ]

    /// The CLI, compiled and interpreted, agrees with the library called directly.
    @Test(arguments: cases.indices)
    func agreesWithTheLibrary(_ k: Int) throws {
        let (text, shapes, grads) = Self.cases[k]
        let names = shapes.keys.sorted()
        var rng = SplitMix64(seed: UInt64(k) + 1)
        let values = names.map { name in
            (0..<shapes[name]!.reduce(1, *)).map { _ in (Double.random(in: -2...2, using: &rng) * 1000).rounded() / 1000 }
        }
        var arguments = [text]
        for (name, scalars) in zip(names, values) {
            let shape = shapes[name]!
            arguments += ["--var", shape.isEmpty ? name : name + ":" + shape.map(String.init).joined(separator: "x")]
            arguments += ["--at", name + "=" + scalars.map { "\($0)" }.joined(separator: ",")]
        }
        for g in grads { arguments += ["--grad", g] }

        // The library, directly: valueAndGrad over the parameter list.
        let expression = try Adjoint.Expression(parsing: text)
        let tensors = zip(names, values).map { Tensor(shape: shapes[$0]!, scalars: $1) }
        let loss = { (xs: [Tensor]) -> Tensor in expression.evaluate(Dictionary(uniqueKeysWithValues: zip(names, xs))) }
        let expected = valueAndGrad(loss)(tensors)

        for mode in [[], ["--interpret"]] {
            let r = try CLI.evalJSON(arguments + mode)
            #expect(relativeError(r.value, expected.value.scalars) <= 1e-12, "\(text) \(mode)")
            for g in grads {
                let i = names.firstIndex(of: g)!
                #expect(relativeError(r.gradients[g] ?? [], expected.gradient[i].scalars) <= 1e-12, "\(text) d/d\(g) \(mode)")
                #expect(r.shapes[g] == shapes[g])
            }
        }
    }

    /// The people's format: a scalar, a vector on one line, a matrix with aligned columns.
    @Test func humanOutput() throws {
        let output = try CLI.succeed(["eval", "x * A", "--var", "x", "--var", "A:2x2", "--at", "x=2", "--at", "A=1,-2,3.5,4"])
        #expect(output == "value =\n  [[ 2.0, -4.0],\n   [ 7.0,  8.0]]\n")
        let gradient = try CLI.succeed(["eval", "sum(v ** 2)", "--var", "v:3", "--at", "v=1,2,3", "--grad", "v"])
        #expect(gradient == "value = 14.0\ngradient v = [2.0, 4.0, 6.0]\n")
    }

    /// JSON exactly in API.md's shape, and infinities as null (JSON has no infinity).
    @Test func jsonShape() throws {
        let output = try CLI.succeed(["eval", "sum(v ** 2)", "--var", "v:3", "--at", "v=1,2,3", "--grad", "v", "--json"])
        #expect(output == "{\"value\": {\"shape\": [], \"values\": [14.0]}, \"gradients\": {\"v\": {\"shape\": [3], \"values\": [2.0, 4.0, 6.0]}}}\n")
        let plain = try CLI.succeed(["eval", "1 / x", "--var", "x:2", "--at", "x=0,2", "--json"])
        #expect(plain == "{\"value\": {\"shape\": [2], \"values\": [null, 0.5]}, \"gradients\": {}}\n")
    }

    /// Constants only: no variable, no argument.
    @Test func noVariables() throws {
        #expect(try CLI.succeed(["eval", "2 ** 10 - pi * 0"]) == "value = 1024.0\n")
    }
}
