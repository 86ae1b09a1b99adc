/// The command line's `.general` functions: the library's functions that take integers
/// (axes, counts, offsets) or have their own shape rules, each under its Swift name and, where
/// it differs, NumPy's.
extension ExpressionFunction {
    static let library: [ExpressionFunction] = products

    /// The products (Tensor+Products.swift); `einsum` needs a string, which the language has not.
    private static let products: [ExpressionFunction] = [
        ExpressionFunction("outer", [.tensor("a"), .tensor("b")], grows: true) { x, _ in outer(x[0], x[1]) },
        ExpressionFunction("inner", [.tensor("a"), .tensor("b")], grows: true) { x, _ in inner(x[0], x[1]) },
        ExpressionFunction("kron", [.tensor("a"), .tensor("b")], grows: true) { x, _ in kron(x[0], x[1]) },
        ExpressionFunction("cross", [.tensor("a"), .tensor("b")]) { x, _ in cross(x[0], x[1]) },
        ExpressionFunction("tensordot", [.tensor("a"), .tensor("b"), .integer("axes", optional: true)], grows: true) { x, n in
            tensordot(x[0], x[1], axes: n[0] ?? 2)
        },
    ]
}
