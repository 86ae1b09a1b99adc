/// Resolves names and infers every node's shape, reporting the first problem with its place.
///
/// The checker is a single loop over the postorder arena: each node's shape is computed from
/// its children's, which are already known. Nothing is built and nothing recurses, so it is
/// as safe on a one-megabyte expression as on `x + 1`.
struct ExpressionChecker {
    typealias ID = ExpressionNode.ID

    let expression: Expression
    let declared: [String: [Int]]
    /// The shape of each node checked so far, indexed like ``Expression/nodes``.
    private(set) var shapes: [[Int]] = []
    /// The strings that are where a function takes one (the nodes' indices).
    private var stringArguments: Set<Int> = []

    init(expression: Expression, declared: [String: [Int]]) {
        self.expression = expression
        self.declared = declared
    }

    /// Checks the whole expression and returns the root's shape.
    mutating func run() throws(ExpressionError) -> [Int] {
        try checkDeclarations()
        for node in expression.nodes {
            guard case .call(let name, let arguments) = node.kind, let f = ExpressionFunction(rawValue: name) else { continue }
            for (position, argument) in arguments.enumerated() {
                let slot = argument.label.flatMap { label in f.signature.firstIndex { $0.name == label } } ?? position
                if slot < f.signature.count, f.signature[slot].isString { stringArguments.insert(argument.value.index) }
            }
        }
        shapes.reserveCapacity(expression.nodes.count)
        for node in expression.nodes {
            shapes.append(try shape(of: node))
        }
        return shapes[shapes.count - 1]
    }

    func error(_ message: String, at range: Range<Int>) -> ExpressionError {
        ExpressionError(message, range: range, source: expression.text)
    }

    func range(of id: ID) -> Range<Int> { expression[id].range }

    /// `pi` is the constant π; declaring it would silently change what `pi` means, so refuse.
    private func checkDeclarations() throws(ExpressionError) {
        guard declared["pi"] != nil else { return }
        let use = expression.nodes.first { $0.kind == .pi }?.range ?? expression.root.range
        throw error("'pi' is the constant π and cannot be declared as a variable; choose another name",
                    at: use)
    }

    private func shape(of node: ExpressionNode) throws(ExpressionError) -> [Int] {
        switch node.kind {
        case .number, .pi:
            return []
        case .string:
            guard stringArguments.contains(shapes.count) else {
                throw error("a string is only an argument of einsum (its subscripts)", at: node.range)
            }
            return []
        case .variable(let name):
            return try variableShape(name, at: node.range)
        case .unary(_, let operand):
            return shapes[operand.index]
        case .binary(let op, let lhs, let rhs):
            if op == .matmul {
                return try matrixProductShape(lhs, rhs, name: "'@'", at: node.range)
            }
            return try broadcast([lhs, rhs], name: "'\(op.rawValue)'", at: node.range)
        case .call(let name, let arguments):
            return try callShape(name, arguments, at: node.range)
        case .subscripted(let base, let items):
            return try subscriptShape(base, items, at: node.range)
        }
    }

    private func variableShape(_ name: String, at range: Range<Int>) throws(ExpressionError) -> [Int] {
        if let shape = declared[name] {
            if let bad = shape.first(where: { $0 < 0 }) {
                throw error("variable '\(name)' has an invalid shape \(ExpressionFormat.shape(shape)) "
                            + "(dimension \(bad) is negative)", at: range)
            }
            return shape
        }
        let quoted = ExpressionError.abbreviated(name)
        if ExpressionFunction(rawValue: name) != nil {
            throw error("'\(name)' is a function; call it as \(name)(...)", at: range)
        }
        var message = "unknown variable '\(quoted)'"
        if let guess = ExpressionSuggestion.closest(to: name, among: declared.keys) {
            message += "; did you mean '\(guess)'?"
        } else if declared.isEmpty {
            message += " (no variables are declared)"
        } else if declared.count <= 8 {
            message += " (declared: " + declared.keys.sorted().joined(separator: ", ") + ")"
        }
        throw error(message, at: range)
    }

    // MARK: Shape rules

    /// NumPy broadcasting: shapes align on the right; each axis must agree or be 1.
    func broadcast(_ operands: [ID], name: String, at range: Range<Int>) throws(ExpressionError) -> [Int] {
        var result = shapes[operands[0].index]
        for position in 1..<operands.count {
            let shape = shapes[operands[position].index]
            guard shape != result else { continue }  // the common case, and the cheap one
            guard let combined = Self.broadcast(result, shape) else {
                let inputs = operands.map { shapes[$0.index] }
                throw error("cannot broadcast shapes \(Self.list(inputs)) for \(name)", at: range)
            }
            result = combined
        }
        return result
    }

    /// The broadcast shape of two shapes, or nil when an axis differs and neither is 1.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        var result = long
        let offset = long.count - short.count
        for axis in 0..<short.count {
            let (x, y) = (long[offset + axis], short[axis])
            if x == y || y == 1 { continue }
            guard x == 1 else { return nil }
            result[offset + axis] = y
        }
        return result
    }

    /// NumPy's `matmul` at every rank: the last two axes multiply as matrices, the leading
    /// (batch) axes broadcast, and a rank-1 operand is promoted to a matrix and the added axis
    /// removed. With `dot` semantics, ranks above 2 follow NumPy's `dot` instead: the last axis of
    /// a against the second-to-last of b, `a[:-1] + b[:-2] + b[-1:]`.
    func matrixProductShape(_ lhs: ID, _ rhs: ID, name: String, dot: Bool = false,
                            at range: Range<Int>) throws(ExpressionError) -> [Int] {
        let a = shapes[lhs.index], b = shapes[rhs.index]
        guard a.count >= 1, b.count >= 1 else {
            throw error("\(name) needs operands of rank 1 or more, got shapes \(Self.list([a, b]))", at: range)
        }
        let left = a.count == 1 ? [1, a[0]] : a, right = b.count == 1 ? [b[0], 1] : b
        let inner = (left[left.count - 1], right[right.count - 2])
        guard inner.0 == inner.1 else {
            throw error("inner dimensions of \(name) differ: shapes \(Self.list([a, b])) "
                        + "(\(inner.0) vs \(inner.1))", at: range)
        }
        if dot && (a.count > 2 || b.count > 2) {
            return Array(a.dropLast()) + (b.count == 1 ? [] : Array(b.dropLast(2)) + [b[b.count - 1]])
        }
        guard let batch = Self.broadcast(Array(left.dropLast(2)), Array(right.dropLast(2))) else {
            throw error("the batch axes of \(name) do not broadcast: shapes \(Self.list([a, b]))", at: range)
        }
        return batch + (a.count == 1 ? [] : [left[left.count - 2]]) + (b.count == 1 ? [] : [right[right.count - 1]])
    }

    /// Shapes listed for a message: `[3] and [4]`, or `[3], [4] and []`.
    static func list(_ shapes: [[Int]]) -> String {
        let texts = shapes.map(ExpressionFormat.shape)
        guard texts.count > 1 else { return texts.first ?? "" }
        return texts.dropLast().joined(separator: ", ") + " and " + texts[texts.count - 1]
    }
}
