import AdjointRuntime

/// LU with partial pivoting and what is made from it: `solve`, `inv`, `det` and `slogdet` are
/// composites of three primitives over one factorization (`Runtime/factor.c`), so a function that
/// needs `solve(a, b)` and `slogdet(a)` and their derivatives factors `a` once (the `lu` node is
/// shared like any other).
///
/// The factors carry no derivative of their own (`lu` is `.zero`): the ops that read them also
/// take `a` itself, and their rules differentiate with respect to `a` (as JAX's
/// `custom_linear_solve`): `x = op(a)⁻¹ b` has `ẋ = op(a)⁻¹ (ḃ - op(ȧ) x)`, and
/// `log|det a|` has the tangent `tr(a⁻¹ ȧ)`. The rules are written with the same ops over the same
/// factors, so every order works and no derivative factors anything again.
enum Factorizations {
    static let rows = [lu, luSolve, logAbsDet, cholesky]

    /// `P·a = L·U` for `a` of […, n, n]: results the packed factors […, n, n], the permutation
    /// […, n] (as doubles) and det(P) = ±1 […].
    static let lu = Rule(
        name: "lu", arity: 1, results: 3,
        shape: { _, shapes, _ throws(ShapeError) in
            _ = try LinearAlgebra.square("lu", shapes[0], shapes)
            return [0]
        },
        resultShapes: { _, shapes in
            let a = shapes[0]
            return [a, Array(a.dropLast()), Array(a.dropLast(2))]
        },
        evaluate: { _, _, _ in [] },
        evaluateResults: { _, x in
            let a = x[0].shape, n = a.last!, count = Shape.count(Array(a.dropLast(2)))
            var factors = [Double](repeating: 0, count: x[0].scalars.count)
            var perm = [Double](repeating: 0, count: count * n), parity = [Double](repeating: 0, count: count)
            x[0].scalars.withUnsafeBufferPointer { input in
                factors.withUnsafeMutableBufferPointer { f in
                    perm.withUnsafeMutableBufferPointer { p in
                        parity.withUnsafeMutableBufferPointer { s in
                            adj_lu(input.baseAddress, f.baseAddress, p.baseAddress, s.baseAddress, count, n)
                        }
                    }
                }
            }
            return [Value(shape: a, scalars: factors), Value(shape: Array(a.dropLast()), scalars: perm),
                    Value(shape: Array(a.dropLast(2)), scalars: parity)]
        },
        derivative: .zero,
        lowering: .routine(RoutineCall(.lu) { _, shapes, _ in
            let a = shapes[0]
            return [.operand(0), .result(0), .result(1), .result(2), .integer(Shape.count(Array(a.dropLast(2)))), .integer(a.last!)]
        }))

    /// `op(a)⁻¹ b` from the factors of `a`: operands `a`, its LU factors and permutation, and `b`
    /// (`a`'s leading axes, then [n] or [n, m]); op(a) is `aᵀ` when `transposed`.
    static let luSolve = Rule(
        name: "lu_solve", arity: 4,
        payloadHash: { op, code in Node.mix(code, isTransposed(op) ? 1 : 0) },
        shape: { _, shapes, _ throws(ShapeError) in
            _ = try LinearAlgebra.system("solve", shapes[0], shapes[3], shapes)
            return shapes[3]
        },
        evaluate: { op, x, _ in
            let s = try! LinearAlgebra.system("solve", x[0].shape, x[3].shape, [])
            var result = [Double](repeating: 0, count: x[3].scalars.count)
            var scratch = [Double](repeating: 0, count: s.n * s.m)
            x[1].scalars.withUnsafeBufferPointer { f in
                x[2].scalars.withUnsafeBufferPointer { p in
                    x[3].scalars.withUnsafeBufferPointer { b in
                        result.withUnsafeMutableBufferPointer { r in
                            scratch.withUnsafeMutableBufferPointer { w in
                                adj_lu_solve(f.baseAddress, p.baseAddress, b.baseAddress, r.baseAddress, s.count, s.n, s.m,
                                             isTransposed(op) ? 1 : 0, w.baseAddress)
                            }
                        }
                    }
                }
            }
            return result
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, active in
                let (a, transposed) = (g[id].operands[0], isTransposed(g[id].op))
                let stack = g.shape(a).count - 2
                let gb = g.solving(cotangent, batch: batch, stack: stack) { g, t in g.solve(id, t, transposed: !transposed) }
                guard active(0) else { return [nil, nil, nil, gb] }
                let outer = g.neg(g.timesTransposed(gb, id, vector: g.shape(id).count == stack + 1))
                return [transposed ? g.swapLastAxes(outer) : outer, nil, nil, active(3) ? gb : nil]
            },
            pushforward: { g, id, t, batch in
                let (a, transposed) = (g[id].operands[0], isTransposed(g[id].op))
                let stack = g.shape(a).count - 2
                let change = t[0].map { ta in
                    g.neg(g.times(transposed ? g.swapLastAxes(ta) : ta, id, vector: g.shape(id).count == stack + 1))
                }
                guard let rhs = g.sum(t[3], change) else { return nil }
                return g.solving(rhs, batch: batch, stack: stack) { g, r in g.solve(id, r, transposed: transposed) }
            }),
        lowering: .routine(RoutineCall(.luSolve) { op, shapes, _ in
            let s = try! LinearAlgebra.system("solve", shapes[0], shapes[3], [])
            return [.operand(1), .operand(2), .operand(3), .result(0), .integer(s.count), .integer(s.n), .integer(s.m),
                    .integer(isTransposed(op) ? 1 : 0), .workspace(s.n * s.m)]
        }))

    /// `log|det a|` from the factors of `a`: operands `a`, its LU factors and permutation; […].
    /// Its cotangent is `ḡ · a⁻ᵀ`, its tangent `Σ a⁻ᵀ ∘ ȧ = tr(a⁻¹ ȧ)`, with `a⁻ᵀ` a solve of the
    /// same factors (−∞ and NaN derivatives at a singular `a`, as every library's).
    static let logAbsDet = Rule(
        name: "log_abs_det", arity: 3,
        shape: { _, shapes, _ throws(ShapeError) in
            Array(shapes[0].dropLast(2))
        },
        evaluate: { _, x, shape in
            let n = x[0].shape.last!
            var result = [Double](repeating: 0, count: Shape.count(shape))
            x[1].scalars.withUnsafeBufferPointer { f in
                result.withUnsafeMutableBufferPointer { r in adj_lu_log_abs_det(f.baseAddress, r.baseAddress, r.count, n) }
            }
            return result
        },
        derivative: .linear(
            pullback: { g, id, cotangent, _, active in
                guard active(0) else { return [nil, nil, nil] }
                let inverseTransposed = g.inverse(of: id, transposed: true)
                return [g.mul(g.reshape(cotangent, g.shape(cotangent) + [1, 1]), inverseTransposed), nil, nil]
            },
            pushforward: { g, id, t, _ in
                guard let ta = t[0] else { return nil }
                let r = g.shape(ta).count
                return g.node(.reduce(.sum, [r - 2, r - 1]), g.mul(ta, g.inverse(of: id, transposed: true)))
            }),
        lowering: .routine(RoutineCall(.luLogAbsDet) { _, shapes, _ in
            let a = shapes[0]
            return [.operand(1), .result(0), .integer(Shape.count(Array(a.dropLast(2)))), .integer(a.last!)]
        }))

    static func isTransposed(_ op: Op) -> Bool {
        if case .luSolve(let transposed) = op { return transposed }
        preconditionFailure("not an LU solve: \(op)")
    }
}

extension Graph {
    /// The factors of `a`: the `lu` tuple's packed LU, permutation and det(P).
    mutating func lu(_ a: NodeID) -> (factors: NodeID, perm: NodeID, parity: NodeID) {
        let r = results(of: make(.lu, Operands(a), shape: [0]))
        return (r[0], r[1], r[2])
    }

    /// `op(a)⁻¹ t` with the matrix and factors that node `id` (an `lu_solve` or `log_abs_det`) reads.
    mutating func solve(_ id: NodeID, _ t: NodeID, transposed: Bool) -> NodeID {
        let o = self[id].operands
        return node(.luSolve(transposed: transposed), Operands([o[0], o[1], o[2], t]))
    }

    /// `a⁻¹` (or `a⁻ᵀ`) of the matrix that node `id` reads, from its factors.
    mutating func inverse(of id: NodeID, transposed: Bool) -> NodeID {
        let a = self[id].operands[0]
        let s = shape(a)
        return solve(id, broadcast(identity(s.last!), to: s), transposed: transposed)
    }
}

extension Routine {
    private typealias LU = @convention(c) (
        UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int
    ) -> Void
    private typealias LUSolve = @convention(c) (
        UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int, Int, Int32,
        UnsafeMutablePointer<Double>?
    ) -> Void
    private typealias LogAbsDet = @convention(c) (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int) -> Void

    private static let factorNeeds = ["matmul.c", "triangular.c"]

    /// `adj_lu` (Runtime/factor.c).
    package static let lu = Routine(name: "adj_lu", file: "factor.c",
                                    address: unsafeBitCast(adj_lu as LU, to: UnsafeRawPointer.self), needs: factorNeeds)
    /// `adj_lu_solve` (Runtime/factor.c).
    package static let luSolve = Routine(name: "adj_lu_solve", file: "factor.c",
                                         address: unsafeBitCast(adj_lu_solve as LUSolve, to: UnsafeRawPointer.self), needs: factorNeeds)
    /// `adj_lu_log_abs_det` (Runtime/factor.c).
    package static let luLogAbsDet = Routine(name: "adj_lu_log_abs_det", file: "factor.c",
                                             address: unsafeBitCast(adj_lu_log_abs_det as LogAbsDet, to: UnsafeRawPointer.self),
                                             needs: factorNeeds)
}
