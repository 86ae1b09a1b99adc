import AdjointRuntime

/// Matrix products. `matmul` runs in the Runtime routine `adj_matmul` (Runtime/matmul.c), which
/// reads either operand transposed, so a transpose feeding it costs nothing; `batched_matmul`
/// (MatrixProducts+Batched.swift) runs a stack of them in `adj_matmul_batched`.
enum MatrixProducts {
    static let rows = [matmul, batchedMatmul]

    static let matmul = Rule(
        name: "matmul", arity: 2,
        shape: { _, shapes, _ throws(ShapeError) in
            let (a, b) = (shapes[0], shapes[1])
            guard a.count == 2, b.count == 2 else { throw ShapeError("matmul", shapes, "operands must be matrices") }
            guard a[1] == b[0] else { throw ShapeError("matmul", shapes, "inner dimensions \(a[1]) and \(b[0]) differ") }
            return [a[0], b[1]]
        },
        evaluate: { _, x, _ in product(x[0], x[1]) },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, active in
                let xs = g[id].operands
                return [active(0) ? g.matmul(batched: cotangent, batch: batch, g.transpose(xs[1])) : nil,
                        active(1) ? g.matmul(g.transpose(xs[0]), batched: cotangent, batch: batch) : nil]
            },
            pushforward: { g, id, t, batch in
                let xs = g[id].operands
                let a = t[0].map { g.matmul(batched: $0, batch: batch, xs[1]) }
                let b = t[1].map { g.matmul(xs[0], batched: $0, batch: batch) }
                return g.sum(a, b)
            }),
        lowering: .routine(RoutineCall(.matmul, transposable: [0, 1]) { _, shapes, transposed in
            [.operand(0), .operand(1), .result(0), .integer(shapes[0][0]), .integer(shapes[0][1]), .integer(shapes[1][1]),
             .integer(transposed[0] ? 1 : 0), .integer(transposed[1] ? 1 : 0)]
        }))

    /// Plain i-p-j matrix product: each result element sums over p in increasing order (the
    /// order `adj_matmul` keeps for small products, which then agree bit for bit).
    static func product(_ a: Value, _ b: Value) -> [Double] {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        var c = [Double](repeating: 0, count: m * n)
        a.scalars.withUnsafeBufferPointer { a in
            b.scalars.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in product(a, 0, b, 0, c, 0, m, k, n) }
            }
        }
        return c
    }

    /// The product of the m×k matrix at `a + ao` and the k×n one at `b + bo`, added into the
    /// (zeroed) m×n one at `c + co`.
    static func product(_ a: UnsafeBufferPointer<Double>, _ ao: Int, _ b: UnsafeBufferPointer<Double>, _ bo: Int,
                        _ c: UnsafeMutableBufferPointer<Double>, _ co: Int, _ m: Int, _ k: Int, _ n: Int) {
        for i in 0..<m {
            for p in 0..<k {
                let aip = a[ao + i * k + p]
                for j in 0..<n { c[co + i * n + j] += aip * b[bo + p * n + j] }
            }
        }
    }
}

extension Routine {
    private typealias MatMul = @convention(c) (
        UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int, Int, Int32, Int32
    ) -> Void

    /// `adj_matmul`: C = op(A) · op(B) (Runtime/matmul.c, whose AVX-512 GEMM, used by every
    /// routine of the file, is in Runtime/matmul_avx512.c).
    package static let matmul = Routine(name: "adj_matmul", file: "matmul.c",
                                        address: unsafeBitCast(adj_matmul as MatMul, to: UnsafeRawPointer.self),
                                        needs: ["matmul_avx512.c"])
}

extension Graph {
    /// The sum of two optional tangents.
    package mutating func sum(_ a: NodeID?, _ b: NodeID?) -> NodeID? {
        switch (a, b) {
        case let (a?, b?): add(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        case (nil, nil): nil
        }
    }
}
