import AdjointRuntime

/// The spectral decompositions: `eigh`, `qr`, `svd`, each a node with several results over a stack
/// of matrices (leading axes are a batch, as NumPy's). The factorization runs in a Runtime routine
/// (Runtime/eigen.c, qr.c, svd.c) in compiled kernels and in the interpreter alike, so the truths
/// for these ops are identities (`q · r = a`) and central differences. Their derivative rules, in
/// graph ops so that every order works, are in Decompositions+Derivatives.swift.
enum Decompositions {
    static let rows = [eigh, qr, svd]

    /// The eigenvalues (ascending) and the eigenvectors (columns) of the symmetric part
    /// `(a + aᵀ)/2` of each matrix; the routine keeps the tridiagonal's n off-diagonal elements in the
    /// kernel's workspace.
    static let eigh = Rule(
        name: "eigh", arity: 1, results: 2,
        shape: { _, shapes, _ throws(ShapeError) in
            let (_, m, n) = try matrices("eigh", shapes)
            guard m == n else { throw ShapeError("eigh", shapes, "needs square matrices, not \(m)×\(n)") }
            return [0]
        },
        resultShapes: { _, shapes in
            let (lead, _, n) = parts(shapes[0])
            return [lead + [n], lead + [n, n]]
        },
        evaluate: { _, _, _ in [] },
        evaluateResults: { op, x in
            run(op, x[0]) { a, r, batch, _, n in
                var work = [Double](repeating: 0, count: n)
                work.withUnsafeMutableBufferPointer { adj_eigh(a, r[0], r[1], $0.baseAddress, batch, n) }
            }
        },
        derivative: .tuple(pullback: eighPullback, pushforward: eighPushforward),
        lowering: .routine(RoutineCall(.eigh) { _, shapes, _ in
            let (lead, _, n) = parts(shapes[0])
            return [.operand(0), .result(0), .result(1), .workspace(n), .integer(Shape.count(lead)), .integer(n)]
        }))

    /// The reduced QR factorization of each matrix: `q` [m, k] and `r` [k, n], k = min(m, n),
    /// `r`'s diagonal ≥ 0.
    static let qr = Rule(
        name: "qr", arity: 1, results: 2,
        shape: { _, shapes, _ throws(ShapeError) in
            _ = try matrices("qr", shapes)
            return [0]
        },
        resultShapes: { _, shapes in
            let (lead, m, n) = parts(shapes[0])
            let k = Swift.min(m, n)
            return [lead + [m, k], lead + [k, n]]
        },
        evaluate: { _, _, _ in [] },
        evaluateResults: { op, x in
            run(op, x[0]) { a, r, batch, m, n in
                var work = [Double](repeating: 0, count: n)
                work.withUnsafeMutableBufferPointer { adj_qr(a, r[0], r[1], $0.baseAddress, batch, m, n) }
            }
        },
        derivative: .tuple(pullback: qrPullback, pushforward: qrPushforward),
        lowering: .routine(RoutineCall(.qr) { _, shapes, _ in
            let (lead, m, n) = parts(shapes[0])
            return [.operand(0), .result(0), .result(1), .workspace(n), .integer(Shape.count(lead)), .integer(m), .integer(n)]
        }))

    /// The reduced singular value decomposition of each matrix: `u` [m, k], `s` [k] (descending)
    /// and `vt` [k, n], k = min(m, n).
    static let svd = Rule(
        name: "svd", arity: 1, results: 3,
        shape: { _, shapes, _ throws(ShapeError) in
            _ = try matrices("svd", shapes)
            return [0]
        },
        resultShapes: { _, shapes in
            let (lead, m, n) = parts(shapes[0])
            let k = Swift.min(m, n)
            return [lead + [m, k], lead + [k], lead + [k, n]]
        },
        evaluate: { _, _, _ in [] },
        evaluateResults: { op, x in
            run(op, x[0]) { a, r, batch, m, n in
                var work = [Double](repeating: 0, count: m * n)
                work.withUnsafeMutableBufferPointer { adj_svd(a, r[0], r[1], r[2], $0.baseAddress, batch, m, n) }
            }
        },
        derivative: .tuple(pullback: svdPullback, pushforward: svdPushforward),
        lowering: .routine(RoutineCall(.svd) { _, shapes, _ in
            let (lead, m, n) = parts(shapes[0])
            return [.operand(0), .result(0), .result(1), .result(2), .workspace(m * n), .integer(Shape.count(lead)),
                    .integer(m), .integer(n)]
        }))

    /// The batch axes and the matrix extents of a stack of matrices, or why it is not one.
    static func matrices(_ name: String, _ shapes: [[Int]]) throws(ShapeError) -> (lead: [Int], m: Int, n: Int) {
        guard shapes[0].count >= 2 else {
            throw ShapeError(name, shapes, "needs a matrix or a stack of matrices (at least two axes), not rank \(shapes[0].count)")
        }
        return parts(shapes[0])
    }

    /// `shape` as batch axes and the last two extents (a rank below 2 reads as 0×0 matrices, for
    /// the results' shapes that an error's fallback asks for).
    static func parts(_ shape: [Int]) -> (lead: [Int], m: Int, n: Int) {
        guard shape.count >= 2 else { return ([], 0, 0) }
        return (Array(shape.dropLast(2)), shape[shape.count - 2], shape[shape.count - 1])
    }

    /// Calls a routine on `a` with fresh memory for every result of `op` (zeros: an empty stack
    /// writes nothing), and gives the results.
    private static func run(_ op: Op, _ a: Value,
                            _ body: (UnsafePointer<Double>?, [UnsafeMutablePointer<Double>], Int, Int, Int) -> Void) -> [Value] {
        let shapes = op.rule.resultShapes?(op, [a.shape]) ?? []
        let buffers = shapes.map { shape -> UnsafeMutablePointer<Double> in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(Shape.count(shape), 1))
            p.initialize(repeating: 0, count: Swift.max(Shape.count(shape), 1))
            return p
        }
        defer { buffers.forEach { $0.deallocate() } }
        let (lead, m, n) = parts(a.shape)
        a.scalars.withUnsafeBufferPointer { body($0.baseAddress, buffers, Shape.count(lead), m, n) }
        return zip(shapes, buffers).map { shape, p in
            Value(shape: shape, scalars: Array(UnsafeBufferPointer(start: p, count: Shape.count(shape))))
        }
    }
}

extension Routine {
    private typealias Eigh = @convention(c) (
        UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?,
        Int, Int) -> Void
    private typealias QR = @convention(c) (
        UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?,
        Int, Int, Int) -> Void
    private typealias SVD = @convention(c) (
        UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?,
        UnsafeMutablePointer<Double>?, Int, Int, Int) -> Void

    /// `adj_eigh`: a stack of symmetric eigendecompositions, tred2 + tql2 (Runtime/eigen.c).
    package static let eigh = Routine(name: "adj_eigh", file: "eigen.c",
                                      address: unsafeBitCast(adj_eigh as Eigh, to: UnsafeRawPointer.self))
    /// `adj_qr`: a stack of reduced Householder QR factorizations (Runtime/qr.c).
    package static let qr = Routine(name: "adj_qr", file: "qr.c",
                                    address: unsafeBitCast(adj_qr as QR, to: UnsafeRawPointer.self))
    /// `adj_svd`: a stack of reduced one-sided Jacobi SVDs (Runtime/svd.c).
    package static let svd = Routine(name: "adj_svd", file: "svd.c",
                                     address: unsafeBitCast(adj_svd as SVD, to: UnsafeRawPointer.self))
}
