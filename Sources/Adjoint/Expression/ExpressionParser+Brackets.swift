/// Brackets: groups `( … )`, calls `f(a, axis=0)` and subscripts `x[i, j]`, `x[a:b]`.
///
/// An open bracket is a frame on the parser's stack; `,`, `:` and the closing bracket finish
/// the current argument or item, and the closing bracket turns the frame into a node.
extension ExpressionParser {
    // MARK: Tokens and nodes

    var current: ExpressionToken { tokens[position] }

    var next: ExpressionToken { tokens[min(position + 1, tokens.count - 1)] }

    mutating func advance() {
        previousEnd = current.range.upperBound
        if position < tokens.count - 1 { position += 1 }
    }

    mutating func add(_ kind: ExpressionNode.Kind, range: Range<Int>) -> ID {
        nodes.append(ExpressionNode(kind, range: range))
        return ID(nodes.count - 1)
    }

    mutating func push(_ id: ID) { operands.append(id) }

    func range(of id: ID) -> Range<Int> { nodes[id.index].range }

    func error(_ message: String, at range: Range<Int>) -> ExpressionError {
        ExpressionError(message, range: range, source: source)
    }

    /// The opening token of the innermost unclosed bracket, if any.
    var innermostBracket: ExpressionToken? {
        for frame in frames.reversed() {
            switch frame {
            case .group(let group): return group.open
            case .call(let call): return call.open
            case .brackets(let brackets): return brackets.open
            case .unary, .binary: continue
            }
        }
        return nil
    }

    /// Whether nothing has been read yet of the current argument or subscript item.
    var atListStart: Bool {
        switch frames.last {
        case .call(let call): operands.count == call.operandBase
        case .brackets(let brackets): operands.count == brackets.operandBase
        default: false
        }
    }

    /// The error for a token that cannot come after an operand, worded for where it is.
    func unexpected(_ token: ExpressionToken) -> ExpressionError {
        let expected: String
        switch frames.last(where: { $0.precedence == nil }) {
        case .group: expected = "an operator or ')'"
        case .call: expected = "',' or ')'"
        case .brackets: expected = "',' or ']'"
        default:
            if token.kind == .rightParen { return error("unmatched ')'", at: token.range) }
            if token.kind == .rightBracket { return error("unmatched ']'", at: token.range) }
            expected = "an operator"
        }
        return error("expected \(expected), found \(token.quoted(in: source))", at: token.range)
    }

    // MARK: Opening

    /// `name(`: the current token is the name, the next one `(`.
    mutating func openCall(_ name: String) -> Bool {
        let start = current.range.lowerBound
        advance()
        let open = current
        advance()
        frames.append(.call(Call(name: name, start: start, open: open, operandBase: operands.count,
                                 argumentStart: current.range.lowerBound)))
        return true
    }

    /// `[` after an operand, which becomes the base (postfix binds tightest: `-x[0]` is `-(x[0])`).
    mutating func openBrackets() -> Bool {
        guard let base = operands.popLast() else { preconditionFailure("'[' without an operand") }
        let open = current
        advance()
        frames.append(.brackets(Brackets(base: base, open: open, operandBase: operands.count,
                                         itemStart: current.range.lowerBound)))
        return true
    }

    /// At the start of an argument or item: a label `axis=`, an empty item (`f()`, `x[:2]`,
    /// a trailing comma), or nil when an ordinary operand follows.
    mutating func listStep() throws(ExpressionError) -> Bool? {
        switch (current.kind, frames.last) {
        case (.rightParen, .call?), (.comma, .call?), (.rightBracket, .brackets?), (.comma, .brackets?),
             (.colon, .brackets?):
            return try closingStep()
        case (.name(let label), .call(var call)?) where next.kind == .equals && call.label == nil:
            call.label = label
            frames[frames.count - 1] = .call(call)
            advance()
            advance()
            return true
        case (_, .call(let call)?) where call.label == nil && call.arguments.last?.label != nil:
            throw error("a positional argument cannot follow a keyword argument", at: current.range)
        default:
            return nil
        }
    }

    // MARK: Closing

    /// `)`, `]`, `,` or `:` with all operators inside the bracket already built.
    mutating func closingStep() throws(ExpressionError) -> Bool {
        let token = current
        switch (token.kind, frames.last) {
        case (.rightParen, .group(let group)?):
            advance()
            frames.removeLast()
            // Widen the inner node to include the parentheses, so a caret under
            // `(a + b) * c` starts at the `(`.
            let inner = operands[operands.count - 1]
            nodes[inner.index] = ExpressionNode(nodes[inner.index].kind,
                                                range: group.open.range.lowerBound..<previousEnd)
            return false
        case (.rightParen, .call?), (.comma, .call?):
            try finishArgument(closing: token.kind == .rightParen)
            return try afterSeparator()
        case (.rightBracket, .brackets?), (.comma, .brackets?):
            try finishItem(closing: token.kind == .rightBracket)
            return try afterSeparator()
        case (.colon, .brackets(var brackets)?):
            if brackets.sawColon { throw error("slice steps (a:b:c) are not supported", at: token.range) }
            brackets.lower = operands.count > brackets.operandBase ? operands.removeLast() : nil
            brackets.sawColon = true
            frames[frames.count - 1] = .brackets(brackets)
            advance()
            return true
        default:
            throw unexpected(token)
        }
    }

    /// After a finished argument or item: a `,` starts the next one, a closing bracket ends.
    private mutating func afterSeparator() throws(ExpressionError) -> Bool {
        let isComma = current.kind == .comma
        advance()
        switch frames.last {
        case .call? where !isComma:
            closeCall()
            return false
        case .brackets? where !isComma:
            try closeBrackets()
            return false
        case .call(var call)?:
            call.argumentStart = current.range.lowerBound
            frames[frames.count - 1] = .call(call)
        case .brackets(var brackets)?:
            brackets.itemStart = current.range.lowerBound
            frames[frames.count - 1] = .brackets(brackets)
        default:
            break
        }
        return true
    }

    private mutating func finishArgument(closing: Bool) throws(ExpressionError) {
        guard case .call(var call)? = frames.last else { return }
        if operands.count > call.operandBase {
            let value = operands.removeLast()
            call.arguments.append(ExpressionNode.Argument(label: call.label, value: value,
                                                          range: call.argumentStart..<previousEnd))
            call.label = nil
        } else if let label = call.label {
            throw error("expected a value after '\(ExpressionError.abbreviated(label))='", at: current.range)
        } else if !closing {
            throw error("expected a number, a name or '(', found ','", at: current.range)
        }
        frames[frames.count - 1] = .call(call)
    }

    private mutating func finishItem(closing: Bool) throws(ExpressionError) {
        guard case .brackets(var brackets)? = frames.last else { return }
        let value = operands.count > brackets.operandBase ? operands.removeLast() : nil
        if brackets.sawColon {
            brackets.items.append(.slice(lower: brackets.lower, upper: value,
                                         range: brackets.itemStart..<previousEnd))
        } else if let value {
            brackets.items.append(.index(value))
        } else if !closing {
            throw error("expected a number, a name or '(', found ','", at: current.range)
        } else if brackets.items.isEmpty {
            throw error("empty subscript: write an index such as x[0] or a slice such as x[1:3]",
                        at: brackets.open.range.lowerBound..<current.range.upperBound)
        }
        brackets.lower = nil
        brackets.sawColon = false
        frames[frames.count - 1] = .brackets(brackets)
    }

    private mutating func closeCall() {
        guard case .call(let call)? = frames.popLast() else { return }
        push(add(.call(name: call.name, arguments: call.arguments), range: call.start..<previousEnd))
    }

    private mutating func closeBrackets() throws(ExpressionError) {
        guard case .brackets(let brackets)? = frames.popLast() else { return }
        if brackets.items.count > 1 {
            for case .slice(_, _, let range) in brackets.items {
                throw error("a slice must be the only subscript (slices select along the first axis)", at: range)
            }
        }
        push(add(.subscripted(brackets.base, brackets.items),
                 range: range(of: brackets.base).lowerBound..<previousEnd))
    }
}
