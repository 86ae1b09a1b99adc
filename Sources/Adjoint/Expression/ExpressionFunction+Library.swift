/// The command line's `.general` functions: the library's functions that take integers
/// (axes, counts, offsets) or have their own shape rules, each under its Swift name and, where
/// it differs, NumPy's.
extension ExpressionFunction {
    static let library: [ExpressionFunction] = products + scans

    /// Scans and normalizations along an axis (Tensor+Scans.swift, Tensor+Statistics.swift).
    private static let scans: [ExpressionFunction] = [
        ExpressionFunction("cumsum", [.tensor("x"), .integer("axis", optional: true)]) { x, n in
            n[0].map { cumsum(x[0], axis: $0) } ?? cumsum(x[0])
        },
        ExpressionFunction("cumprod", [.tensor("x"), .integer("axis", optional: true)]) { x, n in
            n[0].map { cumprod(x[0], axis: $0) } ?? cumprod(x[0])
        },
        ExpressionFunction("softmax", [.tensor("x"), .integer("axis", optional: true)]) { x, n in softmax(x[0], axis: n[0] ?? -1) },
        ExpressionFunction("logSoftmax", [.tensor("x"), .integer("axis", optional: true)]) { x, n in logSoftmax(x[0], axis: n[0] ?? -1) },
        ExpressionFunction("log_softmax", [.tensor("x"), .integer("axis", optional: true)]) { x, n in logSoftmax(x[0], axis: n[0] ?? -1) },
    ]

    /// The products (Tensor+Products.swift); `einsum` takes up to six operands here.
    private static let products: [ExpressionFunction] = [
        ExpressionFunction("outer", [.tensor("a"), .tensor("b")], grows: true) { x, _ in outer(x[0], x[1]) },
        ExpressionFunction("inner", [.tensor("a"), .tensor("b")], grows: true) { x, _ in inner(x[0], x[1]) },
        ExpressionFunction("kron", [.tensor("a"), .tensor("b")], grows: true) { x, _ in kron(x[0], x[1]) },
        ExpressionFunction("cross", [.tensor("a"), .tensor("b")]) { x, _ in cross(x[0], x[1]) },
        ExpressionFunction("einsum", [.string("subscripts"), .tensor("a")] + ["b", "c", "d", "e", "f"].map { .tensor($0, optional: true) },
                           grows: true) { x, _, s in einsum(s[0], operands: x) },
        ExpressionFunction("tensordot", [.tensor("a"), .tensor("b"), .integer("axes", optional: true)], grows: true) { x, n in
            tensordot(x[0], x[1], axes: n[0] ?? 2)
        },
    ]
}
