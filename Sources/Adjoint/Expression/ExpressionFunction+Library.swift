/// The command line's `.general` functions: the library's functions that take integers
/// (axes, counts, offsets) or have their own shape rules, each under its Swift name and, where
/// it differs, NumPy's.
extension ExpressionFunction {
    static let library: [ExpressionFunction] = products + scans + structure + linearAlgebra + convolution

    /// Shape and indexing (Tensor+Shape.swift and its neighbours), under Swift's and NumPy's names.
    private static let structure: [ExpressionFunction] = {
        let x = ExpressionFunction.Parameter.tensor("x")
        let axis = ExpressionFunction.Parameter.integer("axis", optional: true)
        let entries: [([String], [Parameter], Bool, @Sendable ([Tensor], [Int?]) -> Tensor)] = [
            (["squeeze"], [x, axis], false, { t, n in squeeze(t[0], axis: n[0]) }),
            (["expandDims", "expand_dims"], [x, .integer("axis")], false, { t, n in expandDims(t[0], axis: n[0]!) }),
            (["swapAxes", "swapaxes"], [x, .integer("axis1"), .integer("axis2")], false, { t, n in swapAxes(t[0], n[0]!, n[1]!) }),
            (["moveAxis", "moveaxis"], [x, .integer("source"), .integer("destination")], false, { t, n in moveAxis(t[0], n[0]!, n[1]!) }),
            (["flatten", "ravel"], [x], false, { t, _ in flatten(t[0]) }),
            (["tile"], [x, .integer("reps")], true, { t, n in tile(t[0], [n[0]!]) }),
            (["repeated", "repeat"], [x, .integer("repeats"), axis], true, { t, n in repeated(t[0], n[0]!, axis: n[1]) }),
            (["roll"], [x, .integer("shift"), axis], false, { t, n in roll(t[0], n[0]!, axis: n[1]) }),
            (["flip"], [x, axis], false, { t, n in flip(t[0], axis: n[0]) }),
            (["diagonal"], [x, .integer("offset", optional: true)], false, { t, n in diagonal(t[0], offset: n[0] ?? 0) }),
            (["diag"], [x, .integer("k", optional: true)], true, { t, n in diag(t[0], k: n[0] ?? 0) }),
            (["trace"], [x, .integer("offset", optional: true)], false, { t, n in trace(t[0], offset: n[0] ?? 0) }),
            (["triu"], [x, .integer("k", optional: true)], false, { t, n in triu(t[0], k: n[0] ?? 0) }),
            (["tril"], [x, .integer("k", optional: true)], false, { t, n in tril(t[0], k: n[0] ?? 0) }),
            (["take"], [x, .tensor("indices"), axis], true, { t, n in take(t[0], t[1], axis: n[0]) }),
            (["sort"], [x, axis], false, { t, n in sort(t[0], axis: n[0] ?? -1) }),
        ]
        return entries.flatMap { names, parameters, grows, call in
            names.map { ExpressionFunction($0, parameters, grows: grows, call) }
        }
    }()

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

    /// Linear algebra (Tensor+LinearAlgebra.swift, Tensor+Decompositions.swift), under NumPy's
    /// names, each also as `linalg.<name>` (NumPy's and SciPy's module), and SciPy's
    /// `solve_triangular` (`lower=1`). `eigh` and `svd` have several results; the language has
    /// one result a call, so it has NumPy's `eigvalsh` and `svdvals` instead.
    private static let linearAlgebra: [ExpressionFunction] = {
        let a = ExpressionFunction.Parameter.tensor("a"), b = ExpressionFunction.Parameter.tensor("b")
        let entries: [([String], [Parameter], @Sendable ([Tensor], [Int?]) -> Tensor)] = [
            (["solve"], [a, b], { t, _ in solve(t[0], t[1]) }),
            (["inv"], [a], { t, _ in inv(t[0]) }),
            (["det"], [a], { t, _ in det(t[0]) }),
            (["cholesky"], [a], { t, _ in cholesky(t[0]) }),
            (["pinv"], [a], { t, _ in pinv(t[0]) }),
            // The decompositions with several results, by their one-result NumPy forms.
            (["eigvalsh"], [a], { t, _ in eigh(t[0]).values }),
            (["svdvals"], [a], { t, _ in svd(t[0]).s }),
            (["solveTriangular", "solve_triangular"], [a, b, .integer("lower", optional: true)], { t, n in
                solveTriangular(t[0], t[1], lower: (n[0] ?? 0) != 0)
            }),
        ]
        return entries.flatMap { names, parameters, call in
            (names + names.map { "linalg." + $0 }).map { ExpressionFunction($0, parameters, call) }
        }
    }()

    /// Convolution (Tensor+Convolution.swift): scipy.signal's `convolve` with its `mode` string,
    /// and `conv2d` with `stride=` and `padding=`.
    private static let convolution: [ExpressionFunction] = [
        ExpressionFunction("convolve", [.tensor("a"), .tensor("b"), .string("mode", optional: true)], grows: true) { x, _, s in
            let modes: [String: ConvolutionMode] = ["": .full, "full": .full, "same": .same, "valid": .valid]
            guard let mode = modes[s[0]] else {
                return ShapeErrors.report(ShapeError("convolve", [x[0].shape, x[1].shape],
                                                     "mode must be 'full', 'same' or 'valid', not '\(s[0])'"), fallback: [])
            }
            return convolve(x[0], x[1], mode: mode)
        },
        ExpressionFunction("conv2d", [.tensor("input"), .tensor("kernel"), .integer("stride", optional: true),
                                      .integer("padding", optional: true)], grows: true) { x, n in
            conv2d(x[0], x[1], stride: n[0] ?? 1, padding: n[1] ?? 0)
        },
    ]
}
