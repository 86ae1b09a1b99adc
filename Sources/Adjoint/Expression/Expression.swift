/// A parsed expression of the `adjoint` command line's language, such as
/// `sum(sigmoid(W @ x + b) ** 2)` or `where(x > 0, x, 0.1 * x)[1:3]`.
///
/// An expression goes through three steps, each of which can be done once and reused:
///
/// 1. ``init(parsing:)`` reads the text (syntax only: names are not resolved yet);
/// 2. ``check(shapes:)`` resolves every name and checks every shape against the variables'
///    shapes, so that all user errors surface, with a caret under their place, **before** any
///    tensor is built;
/// 3. ``evaluate(_:)`` builds the value from `Tensor` operations, so it runs eagerly or while
///    being traced, which is how the command line differentiates and compiles it.
///
/// ```swift
/// let e = try Expression(parsing: "sum(x ** 2) + dot(x, y)")
/// e.variableNames                                   // ["x", "y"]
/// try e.check(shapes: ["x": [3], "y": [3]])         // [] (a scalar)
/// let f = { (x: Tensor, y: Tensor) in e.evaluate(["x": x, "y": y]) }
/// ```
///
/// The language follows Python's precedence, loosest first: comparisons `< <= > >=` (which do
/// not chain), `+ -`, `* / @`, prefix `- +`, then `**` and `^` (right-associative), then calls
/// and subscripts. So `-x**2` is `-(x**2)`, `2**-1` is `2**(-1)`, `a @ b * c` is
/// `(a @ b) * c`.
/// `pi` is a reserved constant, never a variable.
///
/// Note: on platforms whose Foundation also declares an `Expression` type, a file importing
/// both modules spells this type `Adjoint.Expression`.
public struct Expression: Sendable, CustomStringConvertible {
    /// The source text, exactly as given.
    public let text: String

    /// Every node, children before parents; the root is the last one.
    public let nodes: [ExpressionNode]

    /// The variables the expression reads, in order of first appearance in the text.
    /// `pi` is never among them.
    public let variableNames: [String]

    /// Parses `text`.
    ///
    /// - Throws: ``ExpressionError`` for any syntax error: an unexpected character, a malformed
    ///   or out-of-range number (`1.2.3`, `1e999`), an unbalanced bracket, a missing operand,
    ///   chained comparisons, or empty text. Any text is safe to parse: nesting depth and
    ///   length are limited only by memory (the parser does not recurse).
    public init(parsing text: String) throws(ExpressionError) {
        let parsed = try ExpressionParser.parse(text)
        self.text = text
        self.nodes = parsed.nodes
        self.variableNames = parsed.variableNames
    }

    /// The position of the root in ``nodes``.
    public var rootID: ExpressionNode.ID { ExpressionNode.ID(nodes.count - 1) }

    /// The node the whole expression evaluates to.
    public var root: ExpressionNode { nodes[nodes.count - 1] }

    /// The node with the given ID.
    public subscript(id: ExpressionNode.ID) -> ExpressionNode { nodes[id.index] }

    /// The result's shape when the variables have the given shapes (`[]` for a scalar).
    ///
    /// Checks everything that could go wrong later: unknown variables and functions (with the
    /// closest known name suggested), argument counts and labels, NumPy broadcasting, the
    /// inner dimensions of `@`, `matmul` and `dot` (ranks 1 and 2, as NumPy), axes, indices and
    /// slices (integer literals, in range, slices not empty). Entries for names the expression
    /// does not use are ignored, except `pi`, which cannot be declared.
    ///
    /// - Throws: ``ExpressionError`` naming the first problem in source order.
    public func check(shapes: [String: [Int]]) throws(ExpressionError) -> [Int] {
        var checker = ExpressionChecker(expression: self, declared: shapes)
        return try checker.run()
    }

    /// The expression fully parenthesized, showing exactly how it was parsed:
    /// `-x**2 + 1` reads `((-(x ** 2)) + 1)`. Powers print as `**`.
    public var description: String { ExpressionPrinter.print(self) }
}

// MARK: - Literal arguments

extension Expression {
    /// The value of an integer-literal argument (an axis, an index, a slice bound).
    enum IntegerLiteral: Equatable {
        case value(Int)
        /// Integer digits too large for `Int`: reported as out of range, not as "not an integer".
        case tooLarge
        /// Anything else: a decimal, a variable, an arithmetic expression.
        case notInteger
    }

    /// Reads `id` as an integer literal: digits, possibly signed and parenthesized (`-1`, `(2)`).
    func integerLiteral(_ id: ExpressionNode.ID) -> IntegerLiteral {
        var node = self[id]
        var negative = false
        while case .unary(let op, let operand) = node.kind {
            negative = negative != (op == .negate)
            node = self[operand]
        }
        guard case .number = node.kind else { return .notInteger }
        let digits = sourceText(node.range).utf8.filter { $0 != UInt8(ascii: "(") && $0 != UInt8(ascii: ")") && $0 > 0x20 }
        guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return .notInteger }
        guard let magnitude = Int(String(decoding: digits, as: UTF8.self)) else { return .tooLarge }
        return .value(negative ? -magnitude : magnitude)
    }

    /// The text of a span of the source (UTF-8 offsets).
    func sourceText(_ range: Range<Int>) -> Substring { ExpressionFormat.text(range, of: text) }

    /// The text of a span of the source, shortened for a message.
    func excerpt(_ range: Range<Int>) -> String { ExpressionFormat.excerpt(range, of: text) }
}
