import AdjointRuntime

/// Linear algebra whose heavy work runs in Runtime routines. The interpreter calls the same
/// routine as compiled kernels (as JAX's implementation rules call LAPACK), so the truths for
/// these ops are identities (`a · x = b`) and central differences, not a second implementation.
/// The factorizations (LU, Cholesky) are in `Factorizations.swift` and `Cholesky.swift`; the
/// graph helpers the rules share in `LinearAlgebra+Graph.swift`.
enum LinearAlgebra {
    static let rows = [solveTriangular]

    /// `x = a⁻¹ b` for a triangular `a` ([…, n, n]; only its lower or upper triangle is read, as
    /// SciPy's `solve_triangular`) and `b` of the same leading axes, […, n] or […, n, m].
    ///
    /// Derivatives (the function depends on the read triangle `T(a)` only): the tangent is
    /// `ẋ = a⁻¹ (ḃ - T(ȧ) x)`, the cotangents are `b̄ = a⁻ᵀ x̄` and `ā = -T(b̄ xᵀ)`; `a⁻ᵀ` is a
    /// solve with the transpose, which the routine reads in place (`ta`).
    static let solveTriangular = Rule(
        name: "solve_triangular", arity: 2,
        payloadHash: { op, code in Node.mix(code, isLower(op) ? 1 : 0) },
        shape: { _, shapes, _ throws(ShapeError) in
            _ = try system("solveTriangular", shapes[0], shapes[1], shapes)
            return shapes[1]
        },
        evaluate: { op, x, shape in
            let s = try! system("solveTriangular", x[0].shape, x[1].shape, [])
            var result = [Double](repeating: 0, count: x[1].scalars.count)
            x[0].scalars.withUnsafeBufferPointer { a in
                x[1].scalars.withUnsafeBufferPointer { b in
                    result.withUnsafeMutableBufferPointer { r in
                        adj_solve_triangular(a.baseAddress, b.baseAddress, r.baseAddress, s.count, s.n, s.m, isLower(op) ? 1 : 0, 0)
                    }
                }
            }
            return result
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, active in
                let (a, lower) = (g[id].operands[0], isLower(g[id].op))
                let stack = g.shape(a).count - 2
                let gb = g.solving(cotangent, batch: batch, stack: stack) { g, t in
                    g.node(.solveTriangular(lower: !lower), g.swapLastAxes(a), t)
                }
                guard active(0) else { return [nil, gb] }
                let outer = g.timesTransposed(gb, id, vector: g.shape(id).count == stack + 1)
                return [g.neg(g.mul(outer, g.triangle(g.shape(a).last!, lower: lower))), active(1) ? gb : nil]
            },
            pushforward: { g, id, t, batch in
                let (a, lower) = (g[id].operands[0], isLower(g[id].op))
                let stack = g.shape(a).count - 2
                let change = t[0].map { ta in
                    let masked = g.mul(ta, g.triangle(g.shape(a).last!, lower: lower))
                    return g.neg(g.times(masked, id, vector: g.shape(id).count == stack + 1))
                }
                guard let rhs = g.sum(t[1], change) else { return nil }
                return g.solving(rhs, batch: batch, stack: stack) { g, r in g.node(.solveTriangular(lower: lower), a, r) }
            }),
        lowering: .routine(RoutineCall(.solveTriangular, transposable: [0]) { op, shapes, transposed in
            let s = try! system("solveTriangular", shapes[0], shapes[1], [])
            return [.operand(0), .operand(1), .result(0), .integer(s.count), .integer(s.n), .integer(s.m),
                    .integer(isLower(op) ? 1 : 0), .integer(transposed[0] ? 1 : 0)]
        }))

    private static func isLower(_ op: Op) -> Bool {
        if case .solveTriangular(let lower) = op { return lower }
        preconditionFailure("not a triangular solve: \(op)")
    }

    /// A system `a · x = b` as the routines see it: `count` matrices (the product of `a`'s leading
    /// axes) of n×n, each with an n×m right-hand side (m = 1 for a vector). `b` has `a`'s leading
    /// axes and then [n] or [n, m]. `shapes` are the op's operand shapes, for the error.
    static func system(_ op: String, _ a: [Int], _ b: [Int], _ shapes: [[Int]]) throws(ShapeError)
        -> (count: Int, n: Int, m: Int) {
        let n = try square(op, a, shapes)
        let lead = Array(a.dropLast(2))
        if b.count == a.count - 1, Array(b.dropLast()) == lead, b.last == n { return (Shape.count(lead), n, 1) }
        if b.count == a.count, Array(b.dropLast(2)) == lead, b[b.count - 2] == n { return (Shape.count(lead), n, b.last!) }
        let stack = lead.isEmpty ? "" : " with leading axes \(lead)"
        throw ShapeError(op, shapes, "the right-hand side must be a vector of \(n) or a matrix of \(n) rows\(stack)")
    }

    /// n for a stack of square matrices […, n, n]; a `ShapeError` naming `op` otherwise.
    static func square(_ op: String, _ a: [Int], _ shapes: [[Int]]) throws(ShapeError) -> Int {
        guard a.count >= 2 else {
            throw ShapeError(op, shapes, "needs a matrix (or a stack of matrices), not a tensor of rank \(a.count)")
        }
        guard a[a.count - 1] == a[a.count - 2] else {
            throw ShapeError(op, shapes, "needs square matrices, not \(a[a.count - 2])×\(a[a.count - 1])")
        }
        return a.last!
    }
}

extension Routine {
    private typealias SolveTriangular = @convention(c) (
        UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int, Int, Int32, Int32
    ) -> Void
    private typealias Substitute = @convention(c) (
        UnsafePointer<Double>?, Int, Int, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int, Int32, Int32
    ) -> Void
    private typealias GemmSubtract = @convention(c) (
        UnsafePointer<Double>?, Int, UnsafePointer<Double>?, Int, UnsafeMutablePointer<Double>?, Int, Int, Int, Int, Int32
    ) -> Void

    /// `adj_solve_triangular`: X = op(A)⁻¹ B for a triangular op(A) (Runtime/triangular.c).
    package static let solveTriangular = Routine(
        name: "adj_solve_triangular", file: "triangular.c",
        address: unsafeBitCast(adj_solve_triangular as SolveTriangular, to: UnsafeRawPointer.self))

    /// `adj_substitute`: the substitution step the factorizations' solves call (Runtime/triangular.c).
    package static let substitute = Routine(
        name: "adj_substitute", file: "triangular.c",
        address: unsafeBitCast(adj_substitute as Substitute, to: UnsafeRawPointer.self))

    /// `adj_gemm_sub`: C -= A·op(B) with leading dimensions, the factorizations' trailing update
    /// (Runtime/matmul.c).
    package static let gemmSubtract = Routine(
        name: "adj_gemm_sub", file: "matmul.c",
        address: unsafeBitCast(adj_gemm_sub as GemmSubtract, to: UnsafeRawPointer.self))
}
