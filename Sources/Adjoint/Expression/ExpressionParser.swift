/// An operator-precedence parser with explicit stacks, writing nodes into a postorder arena.
///
/// Precedence, loosest first, as in Python:
///
/// | level          | operators              | associativity     |
/// |----------------|------------------------|-------------------|
/// | comparison     | `<` `<=` `>` `>=`      | none (no chains)  |
/// | additive       | `+` `-`                | left              |
/// | multiplicative | `*` `/` `@`            | left              |
/// | unary          | prefix `-` `+`         | prefix            |
/// | power          | `**` `^`               | right             |
/// | postfix        | `f(…)`, `x[…]`         | left              |
///
/// Because a prefix operator binds looser than `**` but may start its right side, `-x**2` is
/// `-(x**2)` and `2**-1` parses, exactly as in Python.
///
/// Why not recursive descent: measured, each nesting level of a recursive parser costs one to
/// several kilobytes of stack (more in debug builds), so 256 levels of parentheses did not fit
/// in a 2 MB thread stack. This parser keeps its pending operators and open brackets in arrays
/// (``frames``), so its stack use is constant: 100,000 `(` are just a long array, and the
/// error is the ordinary "'(' is never closed". There is no depth limit to hit.
struct ExpressionParser {
    typealias ID = ExpressionNode.ID

    /// Something begun and not yet finished: an operator awaiting its right side, or an open
    /// bracket collecting its contents.
    enum Frame {
        case unary(ExpressionNode.UnaryOperator, start: Int)
        case binary(ExpressionNode.BinaryOperator)
        case group(Group)
        case call(Call)
        case brackets(Brackets)

        /// How tightly a pending operator binds; nil for brackets, which operators never cross.
        var precedence: Int? {
            switch self {
            case .unary: 4
            case .binary(let op): ExpressionParser.precedence(of: op)
            case .group, .call, .brackets: nil
            }
        }
    }

    /// An open `(` grouping a subexpression.
    struct Group {
        let open: ExpressionToken
        let operandBase: Int
    }

    /// An open call `name(`, with the arguments finished so far.
    struct Call {
        let name: String
        let start: Int
        let open: ExpressionToken
        let operandBase: Int
        var arguments: [ExpressionNode.Argument] = []
        var label: String?
        var argumentStart: Int
    }

    /// An open `base[`, with the items finished so far and the state of the current one.
    struct Brackets {
        let base: ID
        let open: ExpressionToken
        let operandBase: Int
        var items: [ExpressionNode.Subscript] = []
        var lower: ID?
        var sawColon = false
        var itemStart: Int
    }

    let source: String
    let tokens: [ExpressionToken]
    var position = 0
    /// The end of the last token consumed: where a node that ends "here" ends.
    var previousEnd = 0
    var nodes: [ExpressionNode] = []
    var operands: [ID] = []
    var frames: [Frame] = []
    var variableNames: [String] = []
    var seenNames: Set<String> = []

    /// Parses `text` into its postorder arena of nodes (root last) and its variable names.
    static func parse(_ text: String) throws(ExpressionError) -> (nodes: [ExpressionNode], variableNames: [String]) {
        var parser = ExpressionParser(source: text, tokens: try ExpressionLexer.tokenize(text))
        if parser.current.kind == .end {
            throw parser.error("empty expression", at: parser.current.range)
        }
        try parser.run()
        return (parser.nodes, parser.variableNames)
    }

    init(source: String, tokens: [ExpressionToken]) {
        self.source = source
        self.tokens = tokens
    }

    static func precedence(of op: ExpressionNode.BinaryOperator) -> Int {
        switch op {
        case .less, .lessEqual, .greater, .greaterEqual: 1
        case .add, .subtract: 2
        case .multiply, .divide, .remainder, .matmul: 3
        case .power: 5
        }
    }

    // MARK: The two states

    /// Alternates between expecting an operand and expecting an operator until the end.
    private mutating func run() throws(ExpressionError) {
        var expectingOperand = true
        while true {
            if expectingOperand {
                expectingOperand = try operandStep()
            } else if current.kind == .end {
                reduceOperators()
                if let open = innermostBracket { throw error("'\(open.spelling)' is never closed", at: open.range) }
                return
            } else {
                expectingOperand = try operatorStep()
            }
        }
    }

    /// Handles a token where an operand may start; returns whether an operand is still expected.
    private mutating func operandStep() throws(ExpressionError) -> Bool {
        let token = current
        if atListStart, let structural = try listStep() { return structural }
        switch token.kind {
        case .number(let value):
            advance()
            push(add(.number(value), range: token.range))
            return false
        case .name(let name):
            if next.kind == .leftParen { return openCall(name) }
            advance()
            if name == "pi" {
                push(add(.pi, range: token.range))
            } else {
                if seenNames.insert(name).inserted { variableNames.append(name) }
                push(add(.variable(name), range: token.range))
            }
            return false
        case .minus, .plus:
            advance()
            frames.append(.unary(token.kind == .minus ? .negate : .plus, start: token.range.lowerBound))
            return true
        case .leftParen:
            advance()
            frames.append(.group(Group(open: token, operandBase: operands.count)))
            return true
        case .end where frames.last?.precedence == nil:
            // Right after an opening bracket (`f(`, `x[1:`, `1 + (`): the bracket is the news.
            if let open = innermostBracket { throw error("'\(open.spelling)' is never closed", at: open.range) }
            throw error("expected a number, a name or '(', found \(token.quoted(in: source))", at: token.range)
        default:
            throw error("expected a number, a name or '(', found \(token.quoted(in: source))", at: token.range)
        }
    }

    /// Handles a token after a complete operand; returns whether an operand is expected next.
    private mutating func operatorStep() throws(ExpressionError) -> Bool {
        let token = current
        if let op = token.binaryOperator {
            try reduce(before: op, token)
            advance()
            frames.append(.binary(op))
            return true
        }
        switch token.kind {
        case .leftBracket:
            return openBrackets()
        case .leftParen:
            throw error("only a function name can be called; there is no implicit multiplication "
                        + "(write a * (b), not a(b))", at: token.range)
        case .rightParen, .rightBracket, .comma, .colon:
            reduceOperators()
            return try closingStep()
        default:
            throw unexpected(token)
        }
    }

    // MARK: Operators

    /// Before pushing `op`, builds every pending operator that binds at least as tightly
    /// (strictly more tightly, for the right-associative `**`).
    private mutating func reduce(before op: ExpressionNode.BinaryOperator,
                                 _ token: ExpressionToken) throws(ExpressionError) {
        let incoming = Self.precedence(of: op)
        while let top = frames.last, let pending = top.precedence {
            if op.isComparison, case .binary(let previous) = top, previous.isComparison {
                throw error("comparisons cannot be chained; write (a < b) * (b < c) for a range test",
                            at: token.range)
            }
            guard pending > incoming || (pending == incoming && op != .power) else { return }
            reduceTop()
        }
    }

    /// Builds every pending operator down to the innermost open bracket.
    mutating func reduceOperators() {
        while let top = frames.last, top.precedence != nil { reduceTop() }
    }

    /// Pops the top operator frame and its operands, and pushes the node they make.
    private mutating func reduceTop() {
        guard let frame = frames.popLast(), let rhs = operands.popLast() else { return }
        switch frame {
        case .unary(let op, let start):
            push(add(.unary(op, rhs), range: start..<range(of: rhs).upperBound))
        case .binary(let op):
            guard let lhs = operands.popLast() else { return }
            push(add(.binary(op, lhs, rhs), range: range(of: lhs).lowerBound..<range(of: rhs).upperBound))
        case .group, .call, .brackets:
            preconditionFailure("reduceTop only builds operators")
        }
    }
}
