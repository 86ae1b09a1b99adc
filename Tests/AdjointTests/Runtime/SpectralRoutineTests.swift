import AdjointRuntime
import Testing
import TestSupport

/// Runtime/eigen.c, qr.c and svd.c called directly, checked by identities in plain Swift: the
/// factors rebuild the matrix, are orthonormal, triangular, sorted and signed as documented, on
/// sizes 1–8 (square, tall, wide) and stacks of 3, and on zero and rank-deficient matrices.
@Suite struct SpectralRoutineTests {
    static func random(_ count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in Double.random(in: -1...1, using: &rng) }
    }

    /// Largest |Σ_l x[i, l] y[l, j] − z[i, j]| for row-major x (m×k), y (k×n), z (m×n).
    static func productError(_ x: [Double], _ y: [Double], _ z: [Double], _ m: Int, _ k: Int, _ n: Int) -> Double {
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var t = 0.0
                for l in 0..<k { t += x[i * k + l] * y[l * n + j] }
                worst = Swift.max(worst, Swift.abs(t - z[i * n + j]))
            }
        }
        return worst
    }

    /// Largest |xᵀx − I| for the columns of a row-major m×k x.
    static func columnOrthonormality(_ x: [Double], _ m: Int, _ k: Int) -> Double {
        let xt = (0..<(k * m)).map { e in x[(e % m) * k + e / m] }
        let eye = (0..<(k * k)).map { $0 % (k + 1) == 0 ? 1.0 : 0 }
        return productError(xt, x, eye, k, m, k)
    }

    static func qr(_ a: [Double], batch: Int, _ m: Int, _ n: Int) -> (q: [Double], r: [Double]) {
        let k = Swift.min(m, n)
        var q = [Double](repeating: .nan, count: batch * m * k), r = [Double](repeating: .nan, count: batch * k * n)
        var work = [Double](repeating: .nan, count: n)
        q.withUnsafeMutableBufferPointer { qp in
            r.withUnsafeMutableBufferPointer { rp in
                work.withUnsafeMutableBufferPointer { adj_qr(a, qp.baseAddress, rp.baseAddress, $0.baseAddress, batch, m, n) }
            }
        }
        return (q, r)
    }

    static func svd(_ a: [Double], batch: Int, _ m: Int, _ n: Int) -> (u: [Double], s: [Double], vt: [Double]) {
        let k = Swift.min(m, n)
        var u = [Double](repeating: .nan, count: batch * m * k), s = [Double](repeating: .nan, count: batch * k)
        var vt = [Double](repeating: .nan, count: batch * k * n), work = [Double](repeating: .nan, count: m * n)
        u.withUnsafeMutableBufferPointer { up in
            s.withUnsafeMutableBufferPointer { sp in
                vt.withUnsafeMutableBufferPointer { vp in
                    work.withUnsafeMutableBufferPointer { adj_svd(a, up.baseAddress, sp.baseAddress, vp.baseAddress, $0.baseAddress, batch, m, n) }
                }
            }
        }
        return (u, s, vt)
    }

    static func eigh(_ a: [Double], batch: Int, _ n: Int) -> (w: [Double], v: [Double], work: [Double]) {
        var w = [Double](repeating: .nan, count: batch * n), v = [Double](repeating: .nan, count: batch * n * n)
        var work = [Double](repeating: .nan, count: n)
        w.withUnsafeMutableBufferPointer { wp in
            v.withUnsafeMutableBufferPointer { vp in
                work.withUnsafeMutableBufferPointer { kp in adj_eigh(a, wp.baseAddress, vp.baseAddress, kp.baseAddress, batch, n) }
            }
        }
        return (w, v, work)
    }

    static let shapes: [(Int, Int)] = (1...8).flatMap { m in [(m, m), (m, Swift.max(1, m - 2)), (Swift.max(1, m - 3), m)] }

    @Test func qrFactors() {
        for (m, n) in Self.shapes {
            let k = Swift.min(m, n), batch = 3
            let a = Self.random(batch * m * n, seed: UInt64(m * 17 + n))
            let (q, r) = Self.qr(a, batch: batch, m, n)
            for b in 0..<batch {
                let (qb, rb) = (Array(q[(b * m * k)..<((b + 1) * m * k)]), Array(r[(b * k * n)..<((b + 1) * k * n)]))
                let ab = Array(a[(b * m * n)..<((b + 1) * m * n)])
                #expect(Self.productError(qb, rb, ab, m, k, n) < 1e-14, "\(m)×\(n)")
                #expect(Self.columnOrthonormality(qb, m, k) < 1e-14, "\(m)×\(n)")
                for i in 0..<k {
                    #expect(rb[i * n + i] >= 0)
                    for j in 0..<Swift.min(i, n) { #expect(rb[i * n + j] == 0, "\(m)×\(n): r[\(i), \(j)]") }
                }
            }
        }
    }

    @Test func svdFactors() {
        for (m, n) in Self.shapes {
            let k = Swift.min(m, n), batch = 3
            let a = Self.random(batch * m * n, seed: UInt64(m * 19 + n))
            let (u, s, vt) = Self.svd(a, batch: batch, m, n)
            for b in 0..<batch {
                let ub = Array(u[(b * m * k)..<((b + 1) * m * k)]), sb = Array(s[(b * k)..<((b + 1) * k)])
                let vb = Array(vt[(b * k * n)..<((b + 1) * k * n)])
                let us = (0..<(m * k)).map { ub[$0] * sb[$0 % k] }
                #expect(Self.productError(us, vb, Array(a[(b * m * n)..<((b + 1) * m * n)]), m, k, n) < 1e-14, "\(m)×\(n)")
                #expect(Self.columnOrthonormality(ub, m, k) < 1e-14)
                let v = (0..<(n * k)).map { e in vb[(e % k) * n + e / k] }
                #expect(Self.columnOrthonormality(v, n, k) < 1e-14)
                for i in 1..<Swift.max(k, 1) { #expect(sb[i - 1] >= sb[i]) }
                for j in 0..<k {
                    let column = (0..<m).map { ub[$0 * k + j] }
                    #expect(column.max { $0.magnitude < $1.magnitude }! > 0, "sign rule, \(m)×\(n)")
                }
            }
        }
    }

    @Test func eighFactors() {
        for n in 1...8 {
            let batch = 3
            let a = Self.random(batch * n * n, seed: UInt64(n * 23))
            let (w, v, _) = Self.eigh(a, batch: batch, n)
            for b in 0..<batch {
                let o = b * n * n
                // The matrix decomposed is the symmetric part (a + aᵀ)/2.
                let sym = (0..<(n * n)).map { e in (a[o + e] + a[o + (e % n) * n + e / n]) / 2 }
                let vb = Array(v[o..<(o + n * n)]), wb = Array(w[(b * n)..<((b + 1) * n)])
                let vw = (0..<(n * n)).map { vb[$0] * wb[$0 % n] }
                let vt = (0..<(n * n)).map { e in vb[(e % n) * n + e / n] }
                #expect(Self.productError(vw, vt, sym, n, n, n) < 1e-14, "n = \(n)")
                #expect(Self.columnOrthonormality(vb, n, n) < 1e-14)
                for i in 1..<n { #expect(wb[i - 1] <= wb[i]) }
            }
        }
    }

    /// Larger matrices (the reflections' and rotations' long loops): 60×60, 70×40 and 40×70.
    @Test func largerMatrices() {
        let n = 60
        let a = Self.random(n * n, seed: 99)
        let (w, v, _) = Self.eigh(a, batch: 1, n)
        let sym = (0..<(n * n)).map { e in (a[e] + a[(e % n) * n + e / n]) / 2 }
        let vw = (0..<(n * n)).map { v[$0] * w[$0 % n] }
        let vt = (0..<(n * n)).map { e in v[(e % n) * n + e / n] }
        #expect(Self.productError(vw, vt, sym, n, n, n) < 1e-12 && Self.columnOrthonormality(v, n, n) < 1e-12)
        for (m, c) in [(70, 40), (40, 70)] {
            let b = Self.random(m * c, seed: UInt64(m))
            let k = Swift.min(m, c)
            let (q, r) = Self.qr(b, batch: 1, m, c)
            #expect(Self.productError(q, r, b, m, k, c) < 1e-12 && Self.columnOrthonormality(q, m, k) < 1e-12)
            let (u, s, vt) = Self.svd(b, batch: 1, m, c)
            let us = (0..<(m * k)).map { u[$0] * s[$0 % k] }
            #expect(Self.productError(us, vt, b, m, k, c) < 1e-12 && Self.columnOrthonormality(u, m, k) < 1e-12)
        }
    }

    /// Zero and rank-deficient matrices: zero singular values, vectors completed to orthonormal
    /// bases, finite everywhere; a zero matrix's QR is q = I-like, r = 0.
    @Test func degenerateMatrices() {
        for (m, n) in [(4, 3), (3, 4), (3, 3)] {
            let zero = [Double](repeating: 0, count: m * n)
            let k = Swift.min(m, n)
            let (u, s, vt) = Self.svd(zero, batch: 1, m, n)
            #expect(s.allSatisfy { $0 == 0 })
            #expect(Self.columnOrthonormality(u, m, k) < 1e-15)
            #expect(Self.columnOrthonormality((0..<(n * k)).map { e in vt[(e % k) * n + e / k] }, n, k) < 1e-15)
            let (q, r) = Self.qr(zero, batch: 1, m, n)
            #expect(r.allSatisfy { $0 == 0 } && Self.columnOrthonormality(q, m, k) < 1e-15)
        }
        let rankOne = [1.0, 2, 3, 2, 4, 6, 0, 0, 0, -1, -2, -3]  // 4×3
        let (u, s, vt) = Self.svd(rankOne, batch: 1, 4, 3)
        #expect(Swift.abs(s[0] - 84.0.squareRoot()) < 1e-13 && s[1] < 1e-14 && s[2] < 1e-14)
        #expect(Self.columnOrthonormality(u, 4, 3) < 1e-14)
        let us = (0..<12).map { u[$0] * s[$0 % 3] }
        #expect(Self.productError(us, vt, rankOne, 4, 3, 3) < 1e-14)
        let (w, v, _) = Self.eigh([Double](repeating: 0, count: 9), batch: 1, 3)
        #expect(w.allSatisfy { $0 == 0 } && Self.columnOrthonormality(v, 3, 3) == 0)
    }
}
