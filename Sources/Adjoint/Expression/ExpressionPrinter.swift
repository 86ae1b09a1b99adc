/// Prints an expression fully parenthesized, so that tests (and curious users) see exactly how
/// it was parsed: `-x**2 + 1` prints as `((-(x ** 2)) + 1)`.
///
/// The walk uses an explicit stack of pending pieces instead of recursion, because the tree of
/// a long flat sum is as deep as the sum is long.
enum ExpressionPrinter {
    private enum Piece {
        case node(ExpressionNode.ID)
        case text(String)
    }

    static func print(_ expression: Expression) -> String {
        var output = ""
        var pending: [Piece] = [.node(expression.rootID)]
        while let piece = pending.popLast() {
            switch piece {
            case .text(let text):
                output += text
            case .node(let id):
                schedule(expression[id], on: &pending)
            }
        }
        return output
    }

    /// Pushes one node's pieces, last first, so that they pop in reading order.
    private static func schedule(_ node: ExpressionNode, on pending: inout [Piece]) {
        switch node.kind {
        case .number(let value):
            pending.append(.text(ExpressionFormat.number(value)))
        case .pi:
            pending.append(.text("pi"))
        case .string(let text):
            pending.append(.text("'\(text)'"))
        case .variable(let name):
            pending.append(.text(name))
        case .unary(let op, let operand):
            pending += [.text(")"), .node(operand), .text("(" + op.rawValue)]
        case .binary(let op, let lhs, let rhs):
            pending += [.text(")"), .node(rhs), .text(" \(op.rawValue) "), .node(lhs), .text("(")]
        case .call, .subscripted:
            pending += pieces(of: node).reversed()
        }
    }

    /// The pieces of a call or a subscript, in reading order.
    private static func pieces(of node: ExpressionNode) -> [Piece] {
        switch node.kind {
        case .number, .pi, .string, .variable, .unary, .binary:
            return []
        case .call(let name, let arguments):
            let parts = arguments.map { argument -> [Piece] in
                [.text(argument.label.map { $0 + "=" } ?? ""), .node(argument.value)]
            }
            return [.text(name + "(")] + joined(parts) + [.text(")")]
        case .subscripted(let base, let items):
            let parts = items.map { item -> [Piece] in
                switch item {
                case .index(let index):
                    return [.node(index)]
                case .slice(let lower, let upper, _):
                    return (lower.map { [Piece.node($0)] } ?? []) + [.text(":")]
                        + (upper.map { [Piece.node($0)] } ?? [])
                }
            }
            return [.node(base), .text("[")] + joined(parts) + [.text("]")]
        }
    }

    private static func joined(_ parts: [[Piece]]) -> [Piece] {
        var pieces: [Piece] = []
        for (position, part) in parts.enumerated() {
            if position > 0 { pieces.append(.text(", ")) }
            pieces += part
        }
        return pieces
    }
}
