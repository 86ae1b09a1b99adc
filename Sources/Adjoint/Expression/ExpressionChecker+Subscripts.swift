/// Indexing and slicing: integer literals only, always in range, slices never empty.
///
/// Python clamps out-of-range slices silently; here a slice that reaches past the axis or
/// selects nothing is an error, because on the command line it is almost always a typo, and a
/// zero-length tensor would only fail later, further from its cause.
extension ExpressionChecker {
    func subscriptShape(_ base: ID, _ items: [ExpressionNode.Subscript],
                        at range: Range<Int>) throws(ExpressionError) -> [Int] {
        let original = shapes[base.index]
        var shape = original
        for item in items {
            guard let length = shape.first else {
                throw error(original.isEmpty
                    ? "cannot index a scalar"
                    : "too many indices (\(items.count)) for a tensor of shape \(ExpressionFormat.shape(original))",
                    at: range)
            }
            switch item {
            case .index(let index):
                _ = try resolvedIndex(index, length: length)
                shape.removeFirst()
            case .slice(let lower, let upper, let sliceRange):
                shape[0] = try resolvedSlice(lower, upper, length: length, at: sliceRange).count
            }
        }
        return shape
    }

    /// The index in `0..<length` that `id` denotes (negative literals count from the end).
    func resolvedIndex(_ id: ID, length: Int) throws(ExpressionError) -> Int {
        switch expression.integerLiteral(id) {
        case .value(let value) where (-length..<length).contains(value):
            return value < 0 ? value + length : value
        case .value, .tooLarge:
            throw error("index \(spelling(of: id)) is out of range for an axis of length \(length)",
                        at: range(of: id))
        case .notInteger:
            throw error("an index must be an integer literal such as 0 or -1, found \(spelling(of: id))",
                        at: range(of: id))
        }
    }

    /// The positions `lower:upper` selects along an axis of `length`.
    func resolvedSlice(_ lower: ID?, _ upper: ID?, length: Int,
                       at range: Range<Int>) throws(ExpressionError) -> Range<Int> {
        let start = try bound(lower, length: length, default: 0, at: range)
        let end = try bound(upper, length: length, default: length, at: range)
        let spelled = expression.excerpt(range)
        guard start < end else {
            throw error("slice \(spelled) is empty for an axis of length \(length)", at: range)
        }
        return start..<end
    }

    /// One slice bound in `0...length` (negative literals count from the end).
    private func bound(_ id: ID?, length: Int, default value: Int,
                       at range: Range<Int>) throws(ExpressionError) -> Int {
        guard let id else { return value }
        let spelled = expression.excerpt(range)
        switch expression.integerLiteral(id) {
        case .value(let value) where (-length...length).contains(value):
            return value < 0 ? value + length : value
        case .value, .tooLarge:
            throw error("slice \(spelled) is out of range for an axis of length \(length)", at: range)
        case .notInteger:
            throw error("a slice bound must be an integer literal such as 1 or -1, found \(spelling(of: id))",
                        at: self.range(of: id))
        }
    }

    private func spelling(of id: ID) -> String {
        expression.excerpt(range(of: id))
    }
}
