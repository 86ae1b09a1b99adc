import Testing
import TestSupport

@testable import Adjoint

/// Every function of the command line's language, called through the language: it checks to the
/// shape it evaluates to, and its gradient compiled agrees with the interpreted one. The Swift
/// and NumPy spellings of a row compute the same values.
@Suite struct ExpressionFunctionTests {
    static let bindings: [String: Tensor] = [
        "x": Tensor(shape: [2, 3], scalars: [0.3, 0.45, 0.6, 0.35, 0.5, 0.65]),
        "y": Tensor(shape: [3], scalars: [0.55, 0.4, 0.7]),
        "z": Tensor(shape: [2, 1], scalars: [0.2, 0.8]),
    ]

    /// A call of `f` on the bindings: one argument per tensor parameter, 0 for integer ones.
    static func call(_ f: ExpressionFunction) -> String? {
        switch f.family {
        case .elementwise, .transpose: "\(f.rawValue)(x)"
        case .reduction: "\(f.rawValue)(x, -1)"
        case .power: "\(f.rawValue)(x, y)"
        case .select: "\(f.rawValue)(x, z, y)"
        case .matrixProduct: "\(f.rawValue)(x, y)"
        case .general: generalCalls[f.rawValue] ?? "\(f.rawValue)(x)"
        }
    }

    /// Calls of the functions that take more than one tensor or integers.
    static let generalCalls: [String: String] = [
        "outer": "outer(x, y)", "inner": "inner(x, y)", "kron": "kron(x, z)", "cross": "cross(y, x)",
        "tensordot": "tensordot(x, y, 1)", "einsum": "einsum('ij,j->i', x, y)",
        "cumsum": "cumsum(x, axis=1)", "cumprod": "cumprod(x, 0)", "softmax": "softmax(x, 0)",
        "expandDims": "expandDims(x, -1)", "expand_dims": "expand_dims(x, 0)", "swapAxes": "swapAxes(x, 0, 1)",
        "swapaxes": "swapaxes(x, 1, 0)", "moveAxis": "moveAxis(x, 0, -1)", "moveaxis": "moveaxis(x, 1, 0)",
        "tile": "tile(x, 2)", "repeated": "repeated(x, 2, axis=1)", "repeat": "repeat(x, 2)", "roll": "roll(x, 1, axis=1)",
        "flip": "flip(x, 0)", "diagonal": "diagonal(x, offset=1)", "diag": "diag(y, k=-1)", "trace": "trace(x)",
        "triu": "triu(x, k=1)", "tril": "tril(x, -1)", "take": "take(x, 0 * z + 1, axis=1)", "sort": "sort(x, axis=0)",
        "convolve": "convolve(x, z, 'same')", "conv2d": "conv2d(expand_dims(expand_dims(x, 0), 0), expand_dims(expand_dims(z, 0), 0), padding=1)",
    ].merging(linearAlgebraCalls) { a, _ in a }

    /// The linear algebra on a symmetric positive-definite matrix made from the bindings.
    static let linearAlgebraCalls: [String: String] = {
        let m = "transpose(x) @ x + diag(1 + y)"
        let calls = ["solve": "solve(\(m), y)", "inv": "inv(\(m))", "det": "det(\(m))", "cholesky": "cholesky(\(m))",
                     "solveTriangular": "solveTriangular(\(m), y, 1)", "solve_triangular": "solve_triangular(\(m), y)",
                     "pinv": "pinv(x)", "eigvalsh": "eigvalsh(\(m))", "svdvals": "svdvals(x)"]
        return calls.merging(calls.map { ("linalg." + $0.key, "linalg." + $0.value) }) { a, _ in a }
    }()

    @Test(arguments: ExpressionFunction.allCases.map(\.rawValue))
    func callsCheckEvaluateAndCompile(_ name: String) throws {
        let f = try #require(ExpressionFunction(rawValue: name))
        guard let text = Self.call(f) else { return }
        let expression = try Expression(parsing: name == "polygamma" ? "polygamma(2, x)" : text)
        let shape = try expression.check(shapes: Self.bindings.mapValues(\.shape))
        let value = expression.evaluate(Self.bindings)
        #expect(value.shape == shape)
        let loss: ([Tensor]) -> Tensor = { xs in
            sum(expression.evaluate(["x": xs[0], "y": xs[1], "z": xs[2]]))
        }
        let args = [Self.bindings["x"]!, Self.bindings["y"]!, Self.bindings["z"]!]
        let interpreted = grad(loss)(args), compiled = compile(grad(loss))(args)
        for (a, b) in zip(interpreted, compiled) {
            // acosh is NaN below 1: NaN where the interpreter has NaN, close elsewhere.
            let nan = zip(a.scalars, b.scalars).map { $0.isNaN || $1.isNaN }
            #expect(zip(a.scalars, b.scalars).allSatisfy { $0.isNaN == $1.isNaN }, "\(name)")
            let (p, q) = (zip(a.scalars, nan).map { $1 ? 0 : $0 }, zip(b.scalars, nan).map { $1 ? 0 : $0 })
            #expect(relativeError(Tensor(shape: a.shape, scalars: p), Tensor(shape: b.shape, scalars: q)) <= 1e-12, "\(name)")
        }
    }

    @Test func numpySpellingsAreTheSameFunctions() throws {
        for rule in Rule.catalog where rule.spellings.count > 1 && rule.arity == 1 {
            let values = try rule.spellings.map { name in
                let e = try Expression(parsing: "\(name)(y)")
                _ = try e.check(shapes: ["y": [3]])
                return e.evaluate(["y": Self.bindings["y"]!]).scalars
            }
            for v in values.dropFirst() { #expect(v.elementsEqual(values[0]) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(rule.spellings)") }
        }
    }

    @Test func percentIsNumPysFloorModulo() throws {
        let e = try Expression(parsing: "x % -0.25 + 7 % 3")
        _ = try e.check(shapes: ["x": [2, 3]])
        let r = e.evaluate(Self.bindings)
        #expect(r.scalars.map { ($0 * 1e12).rounded() / 1e12 } == [-0.2, -0.05, -0.15, -0.15, 0, -0.1].map { $0 + 1 })
    }

    @Test func functionTableListsEveryNameWithItsArity() {
        let table = Expression.functionTable
        #expect(Set(table.map(\.name)) == Set(ExpressionFunction.allCases.map(\.rawValue)))
        #expect(table.contains { $0.name == "arctan2" && $0.arguments == "2" })
        #expect(table.contains { $0.name == "clip" && $0.arguments == "3" && $0.parameters == "(x, min, max)" })
        #expect(table.contains { $0.name == "sum" && $0.arguments == "1-2" })
    }
}

/// Strings exist for einsum's subscripts, and only there.
@Suite struct ExpressionStringTests {
    static func check(_ text: String, _ shapes: [String: [Int]]) -> Result<[Int], ExpressionError> {
        Result { () throws(ExpressionError) in try Expression(parsing: text).check(shapes: shapes) }
    }

    @Test func einsumTakesItsSubscriptsAsAString() throws {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), b = Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        for text in ["einsum('ij,jk->ik', A, B)", "einsum(\"ij,jk->ik\", A, B)", "einsum(subscripts='ij,jk', a=A, b=B)"] {
            let e = try Expression(parsing: text)
            #expect(try e.check(shapes: ["A": [2, 3], "B": [3, 2]]) == [2, 2])
            #expect(e.evaluate(["A": a, "B": b]) == matmul(a, b), "\(text)")
            #expect(try Expression(parsing: e.description).check(shapes: ["A": [2, 3], "B": [3, 2]]) == [2, 2])
        }
    }

    @Test(arguments: [
        ("'ij' + A", "a string is only an argument of einsum"),
        ("sum('ij')", "a string is only an argument of einsum"),
        ("einsum(A, A)", "must be a quoted string"),
        ("einsum('ij', 'ij')", "a string is only an argument of einsum"),
        ("einsum('ij->k', A)", "output letter 'k' appears in no operand"),
        ("einsum('ij,jk', A)", "einsum"),
        ("einsum('ij", "never closed"),
        ("einsum('i\u{e9}', A)", "printable ASCII"),
    ])
    func badStringsAreReported(_ text: String, _ message: String) {
        guard case .failure(let error) = Self.check(text, ["A": [2, 3]]) else {
            Issue.record("\(text) checked")
            return
        }
        #expect(error.description.contains(message), "\(text): \(error.description)")
    }
}
