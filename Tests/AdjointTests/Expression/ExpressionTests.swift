import Adjoint
import Testing
import TestSupport

// Tests of the command line's expression language: parsing (precedence, golden parenthesized
// forms), the shape checker, error messages with their carets, and robustness (huge, deep,
// binary and random inputs never crash or hang; each either checks or throws ExpressionError).

/// Parses, optionally checks, and returns the error thrown, if any.
private func failure(_ text: String, shapes: [String: [Int]]? = nil) -> ExpressionError? {
    do throws(ExpressionError) {
        let expression = try Expression(parsing: text)
        if let shapes { _ = try expression.check(shapes: shapes) }
        return nil
    } catch {
        return error
    }
}

/// The fully parenthesized form, or the error message.
private func parenthesized(_ text: String) -> String {
    do throws(ExpressionError) {
        return try Expression(parsing: text).description
    } catch {
        return "error: " + error.message
    }
}

@Suite struct ExpressionParsingTests {
    @Test(arguments: [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("8 / 4 / 2", "((8 / 4) / 2)"),
        ("-x**2", "(-(x ** 2))"),
        ("-x^2", "(-(x ** 2))"),
        ("2**-1", "(2 ** (-1))"),
        ("2**3**2", "(2 ** (3 ** 2))"),
        ("2^3^2", "(2 ** (3 ** 2))"),
        ("2**-x*3", "((2 ** (-x)) * 3)"),
        ("a ** -b ** c", "(a ** (-(b ** c)))"),
        ("a * -b ** c", "(a * (-(b ** c)))"),
        ("- -x", "(-(-x))"),
        ("+x - -1", "((+x) - (-1))"),
        ("a @ b * c", "((a @ b) * c)"),
        ("a + b @ c", "(a + (b @ c))"),
        ("a * b @ c", "((a * b) @ c)"),
        ("x + 1 > 0", "((x + 1) > 0)"),
        ("x <= y * 2", "(x <= (y * 2))"),
        ("(a < b) < c", "((a < b) < c)"),
        ("-x[0]**2", "(-(x[0] ** 2))"),
        ("x[1][0]", "x[1][0]"),
        ("x[0, 1]", "x[0, 1]"),
        ("x[-1]", "x[(-1)]"),
        ("x[1:3]", "x[1:3]"),
        ("x[:2] + x[1:] + x[:]", "((x[:2] + x[1:]) + x[:])"),
        ("x[1:][0]", "x[1:][0]"),
        ("(x + y)[0]", "(x + y)[0]"),
        ("sum(x, axis=0)", "sum(x, axis=0)"),
        ("sum(x, -1)", "sum(x, (-1))"),
        ("where(x > 0, x, 0.1 * x)", "where((x > 0), x, (0.1 * x))"),
        ("dot(a, b) + matmul(A, B)[0]", "(dot(a, b) + matmul(A, B)[0])"),
        ("f()", "f()"),
        ("sum(x,)", "sum(x)"),
        ("x[0,]", "x[0]"),
        ("(((x)))", "x"),
        ("2 * pi * x", "((2 * pi) * x)"),
        (".5 + 1. + 1e-3 + 2.5E+2 + 007", "((((0.5 + 1) + 0.001) + 250) + 7)"),
        ("1e-999", "0"),
        ("  x\t+\ny ", "(x + y)"),
    ])
    func goldenParenthesization(text: String, expected: String) {
        #expect(parenthesized(text) == expected)
    }

    @Test func variableNamesInOrderOfFirstUse() throws {
        let expression = try Expression(parsing: "sum(b * a) + b[0] + pi + c(d) + axis")
        #expect(expression.variableNames == ["b", "a", "d", "axis"])
    }

    @Test func nodesArePostorderWithRangesIntoTheSource() throws {
        let expression = try Expression(parsing: "sin(x) + (y * 2)")
        #expect(expression.root.range == 0..<16)
        for (index, node) in expression.nodes.enumerated() {
            #expect(node.range.lowerBound >= 0 && node.range.upperBound <= 16)
            if case .binary(_, let lhs, let rhs) = node.kind {
                #expect(lhs.index < index && rhs.index < index)
            }
        }
        guard case .binary(.add, let lhs, let rhs) = expression.root.kind else {
            Issue.record("root is not an addition")
            return
        }
        #expect(expression[lhs].range == 0..<6)
        #expect(expression[rhs].range == 9..<16)  // parentheses included
    }

    @Test func printedFormParsesBackToItself() throws {
        for text in ["-x**2 + A @ B[0] * 3", "where(x >= 1, sum(x, axis=-1), x[1:])", "2^-3^2"] {
            let printed = try Expression(parsing: text).description
            #expect(try Expression(parsing: printed).description == printed)
        }
    }
}

@Suite struct ExpressionSyntaxErrorTests {
    @Test(arguments: [
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("+", "expected a number, a name or '(', found the end of the expression"),
        ("*", "expected a number, a name or '(', found '*'"),
        ("1 +", "expected a number, a name or '(', found the end of the expression"),
        ("(x", "'(' is never closed"),
        ("sum(x", "'(' is never closed"),
        ("x[1:", "'[' is never closed"),
        ("x)", "unmatched ')'"),
        ("x]", "unmatched ']'"),
        ("()", "expected a number, a name or '(', found ')'"),
        ("x y", "expected an operator, found 'y'"),
        ("(x y)", "expected an operator or ')', found 'y'"),
        ("f(x y)", "expected ',' or ')', found 'y'"),
        ("x[0)", "expected ',' or ']', found ')'"),
        ("a < b < c", "comparisons cannot be chained; write (a < b) * (b < c) for a range test"),
        ("a < b + c >= d", "comparisons cannot be chained; write (a < b) * (b < c) for a range test"),
        ("x == 1", "'==' is not supported; the comparisons are < <= > >="),
        ("x != 1", "'!=' is not supported; the comparisons are < <= > >="),
        ("x = 1", "expected an operator, found '='"),
        ("x 1e3", "expected an operator, found '1e3'"),
        ("1_000", "malformed number '1_000'"),
        ("1.2.3", "malformed number '1.2.3'"),
        ("1e", "malformed number '1e'"),
        ("1e+", "malformed number '1e'"),
        ("2x", "malformed number '2x' (there is no implicit multiplication: write 2*x, not 2x)"),
        ("1e999", "number 1e999 is out of range"),
        ("f(x)(y)", "only a function name can be called; there is no implicit multiplication (write a * (b), not a(b))"),
        ("x[]", "empty subscript: write an index such as x[0] or a slice such as x[1:3]"),
        ("x[::2]", "slice steps (a:b:c) are not supported"),
        ("x[0, 1:2]", "a slice must be the only subscript (slices select along the first axis)"),
        ("sum(axis=0, x)", "a positional argument cannot follow a keyword argument"),
        ("sum(x, axis=)", "expected a value after 'axis='"),
        ("f(,)", "expected a number, a name or '(', found ','"),
        ("x $ 1", "unexpected character '$' (U+0024)"),
        ("x\u{0} + 1", "unexpected character U+0000"),
        ("x\u{7F}", "unexpected character U+007F"),
        ("θ + 1", "unexpected character 'θ' (U+03B8)"),
        ("x \u{2212} 1", "unexpected character '−' (U+2212); did you mean '-'?"),
        ("2 × x", "unexpected character '×' (U+00D7); did you mean '*'?"),
        ("x\u{A0}+ 1", "unexpected character U+00A0"),
        ("x + \u{202E}1", "unexpected character U+202E"),
    ])
    func message(text: String, expected: String) {
        #expect(failure(text)?.message == expected)
    }

    @Test func caretUnderTheOffendingToken() {
        #expect(failure("1 + 2 * ) - 3")?.description == """
            expected a number, a name or '(', found ')'
              1 + 2 * ) - 3
                      ^
            """)
        #expect(failure("sin(x) + (y * 2")?.description == """
            '(' is never closed
              sin(x) + (y * 2
                       ^
            """)
        #expect(failure("x + 1.2.3e4")?.description == """
            malformed number '1.2.3e4'
              x + 1.2.3e4
                  ^~~~~~~
            """)
        #expect(failure("a < b < c")?.description == """
            comparisons cannot be chained; write (a < b) * (b < c) for a range test
              a < b < c
                    ^
            """)
        #expect(failure("1 +")?.description == """
            expected a number, a name or '(', found the end of the expression
              1 +
                 ^
            """)
    }

    @Test func errorRangesPointIntoTheSource() {
        for text in ["x + ", "x\u{0}", "é", "((((", "x[1:2:3]", "1e999 + x", "sum(x, axis=)"] {
            guard let error = failure(text) else {
                Issue.record("\(text.debugDescription) parsed")
                continue
            }
            #expect(error.range.lowerBound >= 0 && error.range.upperBound <= text.utf8.count)
            #expect(error.source == text)
        }
    }
}

private func shape(_ text: String, _ shapes: [String: [Int]]) -> [Int]? {
    try? Expression(parsing: text).check(shapes: shapes)
}

private let checkerShapes: [String: [Int]] = [
    "x": [3], "y": [4], "A": [2, 3], "B": [3, 5], "s": [], "M": [3, 3], "row": [1, 3], "col": [2, 1], "E": [0, 3],
    "T": [2, 3, 4],
]

@Suite struct ExpressionCheckerTests {
    @Test(arguments: [
        ("x + 1", [3]), ("s * x", [3]), ("row + col", [2, 3]), ("A + x", [2, 3]), ("A + row", [2, 3]),
        ("x > 0", [3]), ("-x**2", [3]), ("pi", []), ("2", []),
        ("exp(A)", [2, 3]), ("sigmoid(x) * relu(x) + softplus(x) - log1p(x) / expm1(x)", [3]),
        ("sum(A)", []), ("sum(A, 0)", [3]), ("sum(A, axis=1)", [2]), ("mean(A, -1)", [2]),
        ("max(A, axis=-2)", [3]), ("min(x)", []),
        ("A @ B", [2, 5]), ("A @ x", [2]), ("x @ B", [5]), ("x @ x", []),
        ("dot(x, x)", []), ("dot(A, B)", [2, 5]), ("matmul(A, x)", [2]), ("dot(s, A)", [2, 3]), ("dot(x, s)", [3]),
        ("dot(s, s)", []), ("transpose(T)", [4, 3, 2]),
        ("pow(x, 2)", [3]), ("pow(A, row)", [2, 3]), ("transpose(A)", [3, 2]), ("transpose(x)", [3]),
        ("transpose(s)", []), ("where(x > 0, x, 0)", [3]), ("where(col > 0, row, s)", [2, 3]),
        ("x[0]", []), ("x[-1]", []), ("x[-3]", []), ("A[1]", [3]), ("A[1, 2]", []), ("A[-1, -3]", []),
        ("A[1][0]", []), ("x[1:3]", [2]), ("x[:2]", [2]), ("x[1:]", [2]), ("x[:]", [3]), ("x[-2:]", [2]),
        ("x[:-1]", [2]), ("A[0:1]", [1, 3]), ("A[1:][0]", [3]), ("B[(1)]", [5]), ("x[ 2 ]", []),
        ("sum(E, 1)", [0]), ("sum(E)", []), ("E + 1", [0, 3]), ("sum(T, 1) + T[0, 1]", [2, 4]),
        ("T[1:] * T[-1][0]", [1, 3, 4]),
    ] as [(String, [Int])])
    func resultShape(text: String, expected: [Int]) {
        #expect(shape(text, checkerShapes) == expected)
    }

    @Test(arguments: [
        ("z + 1", "unknown variable 'z'"),
        ("X", "unknown variable 'X'; did you mean 'x'?"),
        ("rwo", "unknown variable 'rwo'; did you mean 'row'?"),
        ("exp + 1", "'exp' is a function; call it as exp(...)"),
        ("exq(x)", "unknown function 'exq'; did you mean 'exp'?"),
        ("summ(x)", "unknown function 'summ'; did you mean 'sum'?"),
        ("frobnicate(x)", "unknown function 'frobnicate'"),
        ("x(2)", "'x' is a variable, not a function; there is no implicit multiplication (write x * (...))"),
        ("pi(2)", "'pi' is a constant, not a function"),
        ("exp(x, x)", "'exp' takes 1 argument (x), got 2"),
        ("dot(x)", "'dot' takes 2 arguments (a, b), got 1"),
        ("where(x, x)", "'where' takes 3 arguments (condition, a, b), got 2"),
        ("sum(x, 0, 1)", "'sum' takes 1 or 2 arguments (x, axis), got 3"),
        ("sum()", "'sum' takes 1 or 2 arguments (x, axis), got 0"),
        ("exp(x=1)", "'exp' takes no keyword arguments"),
        ("sum(x, axes=0)", "'sum' has no argument 'axes'; did you mean 'axis'?"),
        ("sum(axis=0)", "the first argument of 'sum' is the tensor, not the axis"),
        ("x + y", "cannot broadcast shapes [3] and [4] for '+'"),
        ("A * B", "cannot broadcast shapes [2, 3] and [3, 5] for '*'"),
        ("x < y", "cannot broadcast shapes [3] and [4] for '<'"),
        ("pow(x, y)", "cannot broadcast shapes [3] and [4] for 'pow'"),
        ("where(x > 0, y, s)", "cannot broadcast shapes [3], [4] and [] for 'where'"),
        ("A @ A", "inner dimensions of '@' differ: shapes [2, 3] and [2, 3] (3 vs 2)"),
        ("matmul(A, y)", "inner dimensions of 'matmul' differ: shapes [2, 3] and [4] (3 vs 4)"),
        ("dot(x, y)", "inner dimensions of 'dot' differ: shapes [3] and [4] (3 vs 4)"),
        ("s @ x", "'@' needs operands of rank 1 or more, got shapes [] and [3]"),
        ("dot(T, x)", "inner dimensions of 'dot' differ: shapes [2, 3, 4] and [3] (4 vs 3)"),
        ("T @ A", "inner dimensions of '@' differ: shapes [2, 3, 4] and [2, 3] (4 vs 2)"),
        ("sum(A, 2)", "axis 2 is out of range for 'sum' of a tensor of shape [2, 3]"),
        ("mean(A, axis=-3)", "axis -3 is out of range for 'mean' of a tensor of shape [2, 3]"),
        ("sum(s, 0)", "axis 0 is out of range for 'sum' of a scalar"),
        ("sum(x, 99999999999999999999)", "axis 99999999999999999999 is out of range for 'sum' of a tensor of shape [3]"),
        ("max(s, 0)", "axis 0 is out of range for 'max' of a scalar (the second argument of 'max' is an axis; "
            + "for an elementwise maximum write where(a > b, a, b))"),
        ("sum(x, 0.5)", "the axis of 'sum' must be an integer literal such as 0 or -1"),
        ("min(x, y)", "the axis of 'min' must be an integer literal such as 0 or -1 (the second argument of "
            + "'min' is an axis; for an elementwise minimum write where(a < b, a, b))"),
        ("max(E)", "'max' of an empty tensor (shape [0, 3])"),
        ("min(E, 0)", "'min' along an empty axis (length 0)"),
        ("x[3]", "index 3 is out of range for an axis of length 3"),
        ("x[-4]", "index -4 is out of range for an axis of length 3"),
        ("x[99999999999999999999999]", "index 99999999999999999999999 is out of range for an axis of length 3"),
        ("x[-99999999999999999999999]", "index -99999999999999999999999 is out of range for an axis of length 3"),
        ("A[0, 3]", "index 3 is out of range for an axis of length 3"),
        ("x[0.5]", "an index must be an integer literal such as 0 or -1, found 0.5"),
        ("x[1e0]", "an index must be an integer literal such as 0 or -1, found 1e0"),
        ("x[s]", "an index must be an integer literal such as 0 or -1, found s"),
        ("x[1 + 1]", "an index must be an integer literal such as 0 or -1, found 1 + 1"),
        ("s[0]", "cannot index a scalar"),
        ("s[0:1]", "cannot index a scalar"),
        ("x[0][0]", "cannot index a scalar"),
        ("x[0, 0]", "too many indices (2) for a tensor of shape [3]"),
        ("x[1:5]", "slice 1:5 is out of range for an axis of length 3"),
        ("x[-4:]", "slice -4: is out of range for an axis of length 3"),
        ("x[2:2]", "slice 2:2 is empty for an axis of length 3"),
        ("x[2:1]", "slice 2:1 is empty for an axis of length 3"),
        ("x[3:]", "slice 3: is empty for an axis of length 3"),
        ("x[:x]", "a slice bound must be an integer literal such as 1 or -1, found x"),
        ("x[1:\n5]", "slice 1: 5 is out of range for an axis of length 3"),
    ])
    func message(text: String, expected: String) {
        #expect(failure(text, shapes: checkerShapes)?.message == expected)
    }

    @Test func caretRendering() {
        #expect(failure("sum(x) + (x + y) * 2", shapes: checkerShapes)?.description == """
            cannot broadcast shapes [3] and [4] for '+'
              sum(x) + (x + y) * 2
                       ^~~~~~~
            """)
        #expect(failure("exp(x) + exq(y)", shapes: checkerShapes)?.description == """
            unknown function 'exq'; did you mean 'exp'?
              exp(x) + exq(y)
                       ^~~
            """)
        #expect(failure("A @ B @ A", shapes: checkerShapes)?.description == """
            inner dimensions of '@' differ: shapes [2, 5] and [2, 3] (5 vs 2)
              A @ B @ A
              ^~~~~~~~~
            """)
        #expect(failure("sum(A, axis=2)", shapes: checkerShapes)?.description == """
            axis 2 is out of range for 'sum' of a tensor of shape [2, 3]
              sum(A, axis=2)
                     ^~~~~~
            """)
        #expect(failure("x[1] + x[3]", shapes: checkerShapes)?.description == """
            index 3 is out of range for an axis of length 3
              x[1] + x[3]
                       ^
            """)
        #expect(failure("x[0:7]", shapes: checkerShapes)?.description == """
            slice 0:7 is out of range for an axis of length 3
              x[0:7]
                ^~~
            """)
    }

    @Test func piIsAConstantThatCannotBeDeclared() throws {
        let expression = try Expression(parsing: "2 * pi * x")
        #expect(expression.variableNames == ["x"])
        #expect(try expression.check(shapes: ["x": [2]]) == [2])
        let error = failure("2 * pi * x", shapes: ["x": [2], "pi": []])
        #expect(error?.message == "'pi' is the constant π and cannot be declared as a variable; choose another name")
        #expect(error?.range == 4..<6)
    }

    @Test func unknownVariableListsAFewDeclaredNames() {
        #expect(failure("z", shapes: ["b": [], "a": [2]])?.message == "unknown variable 'z' (declared: a, b)")
        #expect(failure("z", shapes: [:])?.message == "unknown variable 'z' (no variables are declared)")
    }

    @Test func unusedDeclarationsAreIgnoredAndNegativeDimensionsRejected() {
        #expect(shape("x", ["x": [2], "unused": [7, 7]]) == [2])
        #expect(failure("x + 1", shapes: ["x": [-1]])?.message
            == "variable 'x' has an invalid shape [-1] (dimension -1 is negative)")
    }

    @Test func firstErrorInSourceOrder() {
        #expect(failure("q + x[9] + exq(x)", shapes: checkerShapes)?.message == "unknown variable 'q'")
        #expect(failure("x[9] + q + exq(x)", shapes: checkerShapes)?.message
            == "index 9 is out of range for an axis of length 3")
    }
}

/// Deterministic inputs for the fuzz tests (shared with ExpressionEvaluateTests).
enum ExpressionFuzz {
    /// SplitMix64 (Support.swift): seeded, the same sequence on every platform and run.
    typealias Generator = SplitMix64

    static let shapes: [String: [Int]] = ["x": [3], "y": [3], "A": [2, 3], "s": []]

    static let vocabulary = [
        "x", "y", "A", "s", "z", "pi", "0", "1", "2", "-1", "0.5", "1e3", "3", "(", ")", "(", ")", "[", "]",
        ",", ":", "+", "-", "*", "/", "**", "^", "@", "<", "<=", ">", ">=", "=", "axis=", "axis", "sum(",
        "mean(", "max(", "min(", "dot(", "matmul(", "pow(", "where(", "transpose(", "exp(", "relu(", "tanh(",
        "abs(", "x[", "A[", "1:", ":2", "-", " ", "\n", "\t", "1.2.3", "θ", "\u{0}", "1e999", "99999999999999999999",
    ]

    /// Random sequences of tokens: mostly nonsense, often well formed, sometimes well shaped.
    static func tokenSoups(count: Int, seed: UInt64) -> [String] {
        var generator = Generator(seed: seed)
        return (0..<count).map { _ in
            let length = Int.random(in: 1...14, using: &generator)
            return (0..<length).map { _ in vocabulary.randomElement(using: &generator)! }
                .joined(separator: Bool.random(using: &generator) ? "" : " ")
        }
    }

    /// Random well-formed expressions over the fuzz variables, a quarter of them then
    /// damaged by deleting a character or inserting a token: they reach the checker (and the
    /// evaluator) often, with every kind of node, and many are ill-shaped.
    static func expressions(count: Int, seed: UInt64) -> [String] {
        var generator = Generator(seed: seed)
        return (0..<count).map { _ in
            var characters = Array(expression(depth: 4, &generator))
            if Int.random(in: 0..<4, using: &generator) == 0 {
                let position = Int.random(in: 0...characters.count, using: &generator)
                if position < characters.count, Bool.random(using: &generator) {
                    characters.remove(at: position)
                } else {
                    characters.insert(contentsOf: vocabulary.randomElement(using: &generator)!, at: position)
                }
            }
            return String(characters)
        }
    }

    private static func expression(depth: Int, _ generator: inout Generator) -> String {
        let leaves = ["x", "y", "A", "s", "pi", "2", "0.5", "1e-3", "z", "3"]
        guard depth > 0, Int.random(in: 0..<4, using: &generator) > 0 else {
            return leaves.randomElement(using: &generator)!
        }
        let a = expression(depth: depth - 1, &generator)
        let b = expression(depth: depth - 1, &generator)
        let axis = Int.random(in: -2...2, using: &generator)
        let bound = { (g: inout Generator) in Bool.random(using: &g) ? "" : String(Int.random(in: -3...3, using: &g)) }
        switch Int.random(in: 0..<10, using: &generator) {
        case 0, 1:
            let op = ["+", "-", "*", "/", "**", "^", "@", "<", "<=", ">", ">="].randomElement(using: &generator)!
            return "\(a) \(op) \(b)"
        case 2: return Bool.random(using: &generator) ? "-\(a)" : "(\(a))"
        case 3: return ["exp", "log", "sin", "tanh", "sqrt", "abs", "sigmoid", "relu", "softplus", "log1p",
                        "expm1", "transpose"].randomElement(using: &generator)! + "(\(a))"
        case 4: return ["sum", "mean", "max", "min"].randomElement(using: &generator)! + "(\(a))"
        case 5: return ["sum", "mean", "max", "min"].randomElement(using: &generator)!
            + (Bool.random(using: &generator) ? "(\(a), \(axis))" : "(\(a), axis=\(axis))")
        case 6: return ["dot", "matmul", "pow"].randomElement(using: &generator)! + "(\(a), \(b))"
        case 7: return "where(\(a) > 0, \(a), \(b))"
        case 8: return Bool.random(using: &generator) ? "\(a)[\(axis)]" : "\(a)[\(axis), \(axis + 1)]"
        default: return "\(a)[\(bound(&generator)):\(bound(&generator))]"
        }
    }

    /// Random byte strings, decoded as UTF-8 (invalid sequences become U+FFFD, as from a shell).
    static func byteStrings(count: Int, seed: UInt64) -> [String] {
        var generator = Generator(seed: seed)
        let interesting: [UInt8] = Array("x+-*/()[],:<>=^@.e1 ".utf8) + [0, 0x7F, 0xC3, 0xA9, 0xE4, 0xB8, 0xAD, 0xFF]
        return (0..<count).map { _ in
            let length = Int.random(in: 0...32, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? interesting.randomElement(using: &generator)!
                    : UInt8.random(in: 0...255, using: &generator)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Parses, prints, re-parses and checks `text`; returns a description of any broken
    /// promise (nil when it either checks or throws a well-formed ExpressionError).
    static func brokenPromise(_ text: String) -> String? {
        do throws(ExpressionError) {
            let expression = try Expression(parsing: text)
            let printed = expression.description
            if try Expression(parsing: printed).description != printed {
                return "\(text.debugDescription) prints as \(printed), which does not re-parse to itself"
            }
            _ = try expression.check(shapes: shapes)
            return nil
        } catch {
            let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
            guard error.range.lowerBound >= 0, error.range.upperBound <= text.utf8.count,
                  lines.count == 3, lines.dropFirst().allSatisfy({ $0.count <= 110 }), !error.message.isEmpty
            else { return "\(text.debugDescription): malformed error \(error.description.debugDescription)" }
            return nil
        }
    }
}

@Suite struct ExpressionRobustnessTests {
    /// One megabyte of a flat sum: a tree 70,000 levels deep that is parsed, checked and
    /// printed without recursion. (Tokens are long so that a debug build stays fast.)
    @Test func oneMegabyteSum() throws {
        let text = String(repeating: "12345.678901 + ", count: 70_000) + "x"
        #expect(text.utf8.count > 1_000_000)
        let expression = try Expression(parsing: text)
        #expect(expression.nodes.count == 140_001)
        #expect(try expression.check(shapes: ["x": [2]]) == [2])
        #expect(expression.description.hasSuffix(" + 12345.678901) + 12345.678901) + x)"))
    }

    @Test func oneMegabyteErrorShowsAWindowAroundTheSpan() throws {
        let text = String(repeating: "1234567 + ", count: 50_000) + "$" + String(repeating: " + 1234567", count: 50_000)
        let error = try #require(failure(text))
        #expect(error.range == 500_000..<500_001)
        #expect(error.description == """
            unexpected character '$' (U+0024)
              ...1234567 + 1234567 + 1234567 + $ + 1234567 + 1234567 + 1234567 + 1234567 + 1234567 + 1234567 + 123456...
                                               ^
            """)
        let end = try #require(failure(String(repeating: "1234567.1234567 + ", count: 56_000)))
        #expect(end.description == """
            expected a number, a name or '(', found the end of the expression
              ...7.1234567 + 1234567.1234567 +\u{20}
                                               ^
            """)
    }

    @Test func deepNestingNeverRecurses() throws {
        let open = String(repeating: "(", count: 100_000)
        let unclosed = try #require(failure(open))
        #expect(unclosed.message == "'(' is never closed")
        #expect(unclosed.range == 99_999..<100_000)

        let closed = try Expression(parsing: open + "x" + String(repeating: ")", count: 100_000))
        #expect(closed.description == "x")
        #expect(try closed.check(shapes: ["x": [3]]) == [3])

        let depth = 10_000
        let negations = try Expression(parsing: String(repeating: "-", count: depth) + "x")
        #expect(try negations.check(shapes: ["x": [3]]) == [3])
        #expect(negations.description == String(repeating: "(-", count: depth) + "x" + String(repeating: ")", count: depth))
        let calls = try Expression(parsing: String(repeating: "sum(", count: depth) + "x"
            + String(repeating: ")", count: depth))
        #expect(try calls.check(shapes: ["x": [3]]) == [])
        let powers = try Expression(parsing: String(repeating: "2**", count: depth) + "2")
        #expect(try powers.check(shapes: [:]) == [])
        let subscripts = "x" + String(repeating: "[0]", count: depth)
        #expect(failure(subscripts, shapes: ["x": [3]])?.message == "cannot index a scalar")
    }

    @Test func hugeTokensAreAbbreviatedInMessages() throws {
        let name = try #require(failure(String(repeating: "a", count: 1_000_000), shapes: ["x": []]))
        #expect(name.message == "unknown variable '\(String(repeating: "a", count: 40))...' (declared: x)")
        #expect(name.description.utf8.count < 400)
        let number = try #require(failure(String(repeating: "1", count: 1_000_000)))
        #expect(number.message == "number \(String(repeating: "1", count: 40))... is out of range")
        #expect(number.description.utf8.count < 400)
        #expect(try Expression(parsing: "1." + String(repeating: "0", count: 1_000_000)).description == "1")
        let spaces = try #require(failure("x" + String(repeating: " ", count: 1_000_000) + ")"))
        #expect(spaces.description == "unmatched ')'\n  ..." + String(repeating: " ", count: 30) + ")\n"
            + "     " + String(repeating: " ", count: 30) + "^")
    }

    @Test func controlAndNonASCIICharactersKeepTheCaretAligned() {
        #expect(failure("x\u{0}+1")?.description == "unexpected character U+0000\n  x?+1\n   ^")
        #expect(failure("x\t+ é")?.description == "unexpected character 'é' (U+00E9)\n  x + é\n      ^")
        #expect(failure("x + 中文")?.description == "unexpected character '中' (U+4E2D)\n  x + 中文\n      ^~")
        #expect(failure("x + 👍🏽")?.description == "unexpected character '👍' (U+1F44D)\n  x + 👍🏽\n      ^~")
        #expect(failure("x + e\u{301}")?.description == "unexpected character U+0301\n  x + e\u{301}\n      ^")
        let source = "αβγ + 中文 + x\n+ y"
        let x = source.utf8.count - 5
        let error = ExpressionError("boom", range: x..<x + 1, source: source)
        #expect(error.description == "boom\n  αβγ + 中文 + x + y\n               ^")
        #expect(ExpressionError("end", range: 100..<200, source: "ab").description == "end\n  ab\n    ^")
    }

    @Test func randomByteStringsNeverCrash() {
        let broken = ExpressionFuzz.byteStrings(count: 2_000, seed: 1).compactMap(ExpressionFuzz.brokenPromise)
        #expect(broken.isEmpty, "\(broken.prefix(5))")
    }

    @Test func randomTokenSoupsNeverCrash() {
        let broken = ExpressionFuzz.tokenSoups(count: 3_000, seed: 2).compactMap(ExpressionFuzz.brokenPromise)
        #expect(broken.isEmpty, "\(broken.prefix(5))")
    }

    @Test func randomDamagedExpressionsNeverCrash() throws {
        let texts = ExpressionFuzz.expressions(count: 2_000, seed: 3)
        let broken = texts.compactMap(ExpressionFuzz.brokenPromise)
        #expect(broken.isEmpty, "\(broken.prefix(5))")
        // Enough of them must get through the parser and the checker to exercise both.
        let checked = texts.filter { (try? Expression(parsing: $0).check(shapes: ExpressionFuzz.shapes)) != nil }
        #expect(checked.count > 200, "only \(checked.count) checked")
    }
}
