/// The shape of every node, for callers that must bound what evaluating would allocate.
extension Expression {
    /// Checks the expression like ``check(shapes:)`` and returns the shape of each node,
    /// indexed like ``nodes`` (the root's is the last).
    ///
    /// The command line uses it to refuse, with a caret, an expression whose intermediate values
    /// would be too large to build (`x + y` of shapes `[100000, 1]` and `[100000]`).
    package func nodeShapes(_ declared: [String: [Int]]) throws(ExpressionError) -> [[Int]] {
        var checker = ExpressionChecker(expression: self, declared: declared)
        _ = try checker.run()
        return checker.shapes
    }
}
