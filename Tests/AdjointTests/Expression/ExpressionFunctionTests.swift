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
        case .general: nil
        }
    }

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
