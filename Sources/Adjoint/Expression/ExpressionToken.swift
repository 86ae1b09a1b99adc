/// A lexical token of the expression language, with its span in UTF-8 byte offsets.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case name(String)
        case plus, minus, star, slash, percent, at
        /// `**` or `^`: both spell the power operator.
        case power
        case less, lessEqual, greater, greaterEqual
        case leftParen, rightParen, leftBracket, rightBracket
        case comma, colon, equals
        /// Placed after the last token, so the parser never runs off the array.
        case end
    }

    let kind: Kind
    let range: Range<Int>

    /// How the token reads in an error message ("found '1e3'"): its source text, quoted and
    /// shortened, or "the end of the expression".
    func quoted(in source: String) -> String {
        kind == .end ? "the end of the expression" : "'\(ExpressionFormat.excerpt(range, of: source))'"
    }

    /// The token's canonical text (the source text for names; a formatted value for numbers).
    var spelling: String {
        switch kind {
        case .number(let value): ExpressionFormat.number(value)
        case .name(let name): name
        case .plus: "+"
        case .minus: "-"
        case .star: "*"
        case .slash: "/"
        case .percent: "%"
        case .at: "@"
        case .power: "**"
        case .less: "<"
        case .lessEqual: "<="
        case .greater: ">"
        case .greaterEqual: ">="
        case .leftParen: "("
        case .rightParen: ")"
        case .leftBracket: "["
        case .rightBracket: "]"
        case .comma: ","
        case .colon: ":"
        case .equals: "="
        case .end: ""
        }
    }

    /// The operator this token spells in infix position, if any.
    var binaryOperator: ExpressionNode.BinaryOperator? {
        switch kind {
        case .plus: .add
        case .minus: .subtract
        case .star: .multiply
        case .slash: .divide
        case .percent: .remainder
        case .at: .matmul
        case .power: .power
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        default: nil
        }
    }
}

/// Number formatting shared by tokens, the printer and error messages.
enum ExpressionFormat {
    /// Integral values print without a fraction (`2`, not `2.0`); others as Swift prints them.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// The source text of a span (UTF-8 offsets) for a message: shortened, and with tabs and
    /// line breaks turned into spaces so that the message stays on one line.
    static func excerpt(_ range: Range<Int>, of source: String) -> String {
        let flat = text(range, of: source).utf8.map { (0x09...0x0D).contains($0) ? UInt8(ascii: " ") : $0 }
        return ExpressionError.abbreviated(String(decoding: flat, as: UTF8.self))
    }

    /// The source text of a span given in UTF-8 offsets.
    static func text(_ range: Range<Int>, of source: String) -> Substring {
        let utf8 = source.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let upper = utf8.index(lower, offsetBy: range.count)
        return Substring(utf8[lower..<upper])
    }

    /// A shape as `[2, 3]`, the way NumPy users read it (a scalar is `[]`).
    static func shape(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
