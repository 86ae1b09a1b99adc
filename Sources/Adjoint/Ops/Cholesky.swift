import AdjointRuntime

extension Factorizations {
    /// `L` with `L·Lᵀ = a` for `a` of […, n, n], reading only the lower triangle of `a` (as
    /// NumPy's `cholesky`); a matrix that is not positive definite gives an `L` of NaN (NumPy
    /// raises; a kernel cannot, and NaN is what JAX gives).
    ///
    /// The function is `L(S(a))` with `S(a) = tril(a) + tril(a, -1)ᵀ`, so the rules include `S`:
    /// the tangent is `L̇ = L·Φ(L⁻¹ Ṡ L⁻ᵀ)` with `Φ` the lower triangle with its diagonal halved
    /// (JAX's `cholesky_jvp_rule`), and the cotangent of the symmetric argument is
    /// `G = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹)` (Murray's note, autograd's `grad_cholesky`), which `S` maps to
    /// `2G` below the diagonal, `G` on it and 0 above. All four solves are triangular.
    static let cholesky = Rule(
        name: "cholesky", arity: 1,
        shape: { _, shapes, _ throws(ShapeError) in
            _ = try LinearAlgebra.square("cholesky", shapes[0], shapes)
            return shapes[0]
        },
        evaluate: { _, x, shape in
            let n = shape.last!
            var result = [Double](repeating: 0, count: x[0].scalars.count)
            x[0].scalars.withUnsafeBufferPointer { a in
                result.withUnsafeMutableBufferPointer { l in
                    adj_cholesky(a.baseAddress, l.baseAddress, n == 0 ? 0 : l.count / (n * n), n)
                }
            }
            return result
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in
                let n = g.shape(id).last!, stack = g.shape(id).count - 2
                let upper = g.swapLastAxes(id)
                let p = g.mul(g.matrixProduct(upper, cotangent), g.halvedLower(n))
                let w = g.solving(p, batch: batch, stack: stack) { g, r in g.node(.solveTriangular(lower: false), upper, r) }
                let s = g.swapLastAxes(g.solving(g.swapLastAxes(w), batch: batch, stack: stack) { g, r in
                    g.node(.solveTriangular(lower: false), upper, r)
                })
                let symmetric = g.mul(g.add(s, g.swapLastAxes(s)), 0.5)
                return [g.mul(symmetric, g.add(g.mul(g.strictlyLower(n), 2), g.identity(n)))]
            },
            pushforward: { g, id, t, batch in
                guard let ta = t[0] else { return nil }
                let n = g.shape(id).last!, stack = g.shape(id).count - 2
                let symmetric = g.add(g.mul(ta, g.triangle(n, lower: true)), g.swapLastAxes(g.mul(ta, g.strictlyLower(n))))
                let y = g.solving(symmetric, batch: batch, stack: stack) { g, r in g.node(.solveTriangular(lower: true), id, r) }
                let z = g.solving(g.swapLastAxes(y), batch: batch, stack: stack) { g, r in
                    g.node(.solveTriangular(lower: true), id, r)
                }
                return g.matrixProduct(id, g.mul(z, g.halvedLower(n)))
            }),
        lowering: .routine(RoutineCall(.cholesky) { _, shapes, _ in
            let a = shapes[0]
            return [.operand(0), .result(0), .integer(Shape.count(Array(a.dropLast(2)))), .integer(a.last!)]
        }))
}

extension Graph {
    /// Φ's mask: 1 below the diagonal, ½ on it, 0 above.
    fileprivate mutating func halvedLower(_ n: Int) -> NodeID {
        add(strictlyLower(n), mul(identity(n), 0.5))
    }
}

extension Routine {
    private typealias Cholesky = @convention(c) (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int) -> Void

    /// `adj_cholesky` (Runtime/factor.c).
    package static let cholesky = Routine(name: "adj_cholesky", file: "factor.c",
                                          address: unsafeBitCast(adj_cholesky as Cholesky, to: UnsafeRawPointer.self),
                                          needs: ["matmul.c", "triangular.c"])
}
