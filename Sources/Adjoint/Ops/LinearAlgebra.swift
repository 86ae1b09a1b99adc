import AdjointRuntime

/// Linear algebra whose heavy work runs in Runtime routines. The interpreter calls the same
/// routine as compiled kernels (as JAX's implementation rules call LAPACK), so the truths for
/// these ops are identities (`a · x = b`) and central differences, not a second implementation.
enum LinearAlgebra {
    static let rows = [solveTriangular]

    /// `x = a⁻¹ b` for a triangular `a` ([n, n]; only its lower or upper triangle is read, as
    /// SciPy's `solve_triangular`) and `b` of shape [n] or [n, m].
    ///
    /// Derivatives (the function depends on the read triangle `T(a)` only): the tangent is
    /// `ẋ = a⁻¹ (ḃ - T(ȧ) x)`, the cotangents are `b̄ = a⁻ᵀ x̄` and `ā = -T(b̄ xᵀ)`; `a⁻ᵀ` is a
    /// solve with the transpose, which the routine reads in place (`ta`).
    static let solveTriangular = Rule(
        name: "solve_triangular", arity: 2,
        payloadHash: { op, code in Node.mix(code, isLower(op) ? 1 : 0) },
        shape: { _, shapes, _ throws(ShapeError) in
            let (a, b) = (shapes[0], shapes[1])
            guard a.count == 2, a[0] == a[1] else {
                throw ShapeError("solveTriangular", shapes, "the first operand must be a square matrix")
            }
            guard b.count == 1 || b.count == 2, b[0] == a[0] else {
                throw ShapeError("solveTriangular", shapes, "the right-hand side must be a vector or matrix of \(a[0]) rows")
            }
            return b
        },
        evaluate: { op, x, shape in
            let n = x[0].shape[0], m = n == 0 ? 0 : x[1].scalars.count / n
            var result = [Double](repeating: 0, count: x[1].scalars.count)
            x[0].scalars.withUnsafeBufferPointer { a in
                x[1].scalars.withUnsafeBufferPointer { b in
                    result.withUnsafeMutableBufferPointer { r in
                        adj_solve_triangular(a.baseAddress, b.baseAddress, r.baseAddress, n, m, isLower(op) ? 1 : 0, 0)
                    }
                }
            }
            return result
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, active in
                let (a, lower) = (g[id].operands[0], isLower(g[id].op))
                let gb = g.solveTriangular(g.transpose(a), batched: cotangent, batch: batch, lower: !lower)
                guard active(0) else { return [nil, gb] }
                let outer = g.product(batched: gb, batch: batch, transposing: id)
                return [g.neg(g.mul(outer, g.triangle(g.shape(a)[0], lower: lower))), active(1) ? gb : nil]
            },
            pushforward: { g, id, t, batch in
                let (a, lower) = (g[id].operands[0], isLower(g[id].op))
                let change = t[0].map { ta in
                    g.neg(g.product(batched: g.mul(ta, g.triangle(g.shape(a)[0], lower: lower)), batch: batch, id))
                }
                guard let rhs = g.sum(t[1], change) else { return nil }
                return g.solveTriangular(a, batched: rhs, batch: batch, lower: lower)
            }),
        lowering: .routine(RoutineCall(.solveTriangular, transposable: [0]) { op, shapes, transposed in
            let n = shapes[0][0], m = shapes[1].count == 2 ? shapes[1][1] : 1
            return [.operand(0), .operand(1), .result(0), .integer(n), .integer(m),
                    .integer(isLower(op) ? 1 : 0), .integer(transposed[0] ? 1 : 0)]
        }))

    private static func isLower(_ op: Op) -> Bool {
        if case .solveTriangular(let lower) = op { return lower }
        preconditionFailure("not a triangular solve: \(op)")
    }
}

extension Routine {
    private typealias SolveTriangular = @convention(c) (
        UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int, Int32, Int32
    ) -> Void

    /// `adj_solve_triangular`: X = op(A)⁻¹ B for a triangular op(A) (Runtime/triangular.c).
    package static let solveTriangular = Routine(
        name: "adj_solve_triangular", file: "triangular.c",
        address: unsafeBitCast(adj_solve_triangular as SolveTriangular, to: UnsafeRawPointer.self))
}

extension Graph {
    /// `a⁻¹ t` for `t` of shape `batch + [n]` or `batch + [n, m]`: the batch moves into the
    /// right-hand side's columns, so it stays one solve.
    mutating func solveTriangular(_ a: NodeID, batched t: NodeID, batch: [Int], lower: Bool) -> NodeID {
        if batch.isEmpty { return node(.solveTriangular(lower: lower), a, t) }
        let k = batch.count, s = shape(t)
        let perm = [k] + Array(0..<k) + Array((k + 1)..<s.count)
        let moved = transpose(t, perm)
        let columns = reshape(moved, [s[k], Shape.count(s) / Swift.max(s[k], 1)])
        let solved = reshape(node(.solveTriangular(lower: lower), a, columns), shape(moved))
        return transpose(solved, Graph.inverse(perm))
    }

    /// `t · xᵀ` for `t` of shape `batch + [n]` (or `+ [n, m]`) and the solution `x` of shape [n]
    /// (or [n, m]): an outer product (or a matrix product), batch + [n, n].
    fileprivate mutating func product(batched t: NodeID, batch: [Int], transposing x: NodeID) -> NodeID {
        let sx = shape(x)
        if sx.count == 1 {
            let n = sx[0]
            return mul(reshape(t, batch + [n, 1]), reshape(x, [1, n]))
        }
        return matmul(batched: t, batch: batch, transpose(x))
    }

    /// `m · x` for `m` of shape `batch + [n, n]` and the solution `x` of shape [n] or [n, m]:
    /// shaped as the tangent of x, `batch + shape(x)`.
    fileprivate mutating func product(batched m: NodeID, batch: [Int], _ x: NodeID) -> NodeID {
        let sx = shape(x)
        if sx.count == 1 {
            let column = matmul(batched: m, batch: batch, reshape(x, [sx[0], 1]))
            return reshape(column, batch + sx)
        }
        return matmul(batched: m, batch: batch, x)
    }

    /// 1 on the lower (or upper) triangle of an n×n matrix, diagonal included, else 0: built
    /// from a vector of indices and a comparison, so the graph holds O(n) data, not n².
    fileprivate mutating func triangle(_ n: Int, lower: Bool) -> NodeID {
        let iota = constant((0..<n).map(Double.init), shape: [n])
        let (rows, columns) = (reshape(iota, [n, 1]), reshape(iota, [1, n]))
        return lower ? node(.compare(.greaterEqual), rows, columns) : node(.compare(.lessEqual), rows, columns)
    }
}
