import AdjointRuntime
import Testing
import TestSupport

/// Runtime/triangular.c's `adj_solve_triangular`, called directly: X = op(A)⁻¹ · B.
@Suite struct TriangularSolveTests {
    /// The four (lower, ta) combinations.
    static let variants: [(lower: Bool, ta: Bool)] = [(true, false), (true, true), (false, false), (false, true)]

    /// A random well-conditioned triangular op(A), n×n row-major: diagonal entries of magnitude in
    /// 1...2 (either sign), the solved triangle's off-diagonal entries in ±0.5/n (so every row is
    /// diagonally dominant), and `unread` everywhere in the other triangle.
    static func triangular(_ n: Int, lower: Bool, unread: Double, using rng: inout SplitMix64) -> [Double] {
        var t = [Double](repeating: unread, count: n * n)
        for i in 0..<n {
            for j in 0..<n where lower ? j < i : j > i {
                t[i * n + j] = Double.random(in: -0.5...0.5, using: &rng) / Double(n)
            }
            let d = Double.random(in: 1...2, using: &rng)
            t[i * n + i] = Bool.random(using: &rng) ? d : -d
        }
        return t
    }

    /// The stored A whose op(A) is `t`: t itself when ta == 0, its transpose when ta == 1.
    static func stored(_ t: [Double], _ n: Int, ta: Bool) -> [Double] {
        guard ta else { return t }
        return (0..<n * n).map { index in t[(index % n) * n + index / n] }
    }

    static func randomMatrix(_ rows: Int, _ columns: Int, using rng: inout SplitMix64) -> [Double] {
        (0..<rows * columns).map { _ in Double.random(in: -1...1, using: &rng) }
    }

    /// adj_solve_triangular on copies of the arguments; x starts as `initial` (n·m elements
    /// unless a test wants to see that nothing is written).
    static func solve(_ a: [Double], _ b: [Double], n: Int, m: Int, lower: Bool, ta: Bool,
                      initial: [Double]? = nil) -> [Double] {
        var x = initial ?? [Double](repeating: 0, count: n * m)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                x.withUnsafeMutableBufferPointer { xp in
                    adj_solve_triangular(ap.baseAddress, bp.baseAddress, xp.baseAddress, 1, n, m,
                                         lower ? 1 : 0, ta ? 1 : 0)
                }
            }
        }
        return x
    }

    /// The same substitution in plain Swift, in the order Runtime/triangular.c documents: rows
    /// i = 0, 1, … (lower) or n-1, n-2, … (upper); for each, t = b[i,k], then t -= op(A)[i,j]·x[j,k]
    /// for the solved rows j in the order they were solved, then x[i,k] = t / op(A)[i,i].
    static func reference(_ a: [Double], _ b: [Double], n: Int, m: Int, lower: Bool, ta: Bool) -> [Double] {
        func op(_ i: Int, _ j: Int) -> Double { ta ? a[j * n + i] : a[i * n + j] }
        var x = [Double](repeating: 0, count: n * m)
        for r in 0..<n {
            let i = lower ? r : n - 1 - r
            for k in 0..<m {
                var t = b[i * m + k]
                for q in 0..<r {
                    let j = lower ? q : n - 1 - q
                    t -= op(i, j) * x[j * m + k]
                }
                x[i * m + k] = t / op(i, i)
            }
        }
        return x
    }

    /// Largest |op(A)·X - B| over the largest |B| (at least 1), op(A) dense with zeros off its triangle.
    static func residual(_ t: [Double], _ x: [Double], _ b: [Double], n: Int, m: Int) -> Double {
        var worst = 0.0
        for i in 0..<n {
            for k in 0..<m {
                var s = 0.0
                for j in 0..<n { s += t[i * n + j] * x[j * m + k] }
                worst = max(worst, (s - b[i * m + k]).magnitude)
            }
        }
        return worst / max(1, b.map(\.magnitude).max() ?? 0)
    }

    /// Same bits, or both NaN (whose payloads need not agree).
    static func identical(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    static func seed(_ n: Int, _ m: Int, _ variant: Int, _ test: UInt64) -> UInt64 {
        test << 32 | UInt64(n) << 8 | UInt64(m) << 4 | UInt64(variant)
    }

    /// op(A)·X reproduces B, and X is the Swift reference's bit for bit.
    @Test(arguments: [1, 2, 5, 17], [1, 3])
    func solvesAndMatchesTheReference(n: Int, m: Int) {
        for (v, (lower, ta)) in Self.variants.enumerated() {
            var rng = SplitMix64(seed: Self.seed(n, m, v, 1))
            let t = Self.triangular(n, lower: lower, unread: 0, using: &rng)
            let a = Self.stored(t, n, ta: ta), b = Self.randomMatrix(n, m, using: &rng)
            let x = Self.solve(a, b, n: n, m: m, lower: lower, ta: ta)
            #expect(x.allSatisfy { $0.isFinite }, "n \(n) m \(m) lower \(lower) ta \(ta)")
            let r = Self.residual(t, x, b, n: n, m: m)
            #expect(r < 1e-12, "n \(n) m \(m) lower \(lower) ta \(ta): residual \(r)")
            let expected = Self.reference(a, b, n: n, m: m, lower: lower, ta: ta)
            #expect(Self.identical(x, expected), "n \(n) m \(m) lower \(lower) ta \(ta): \(x) vs \(expected)")
        }
    }

    /// NaN in the triangle that is not solved with changes nothing: X is finite and the same bits
    /// as with zeros there.
    @Test(arguments: [1, 2, 5, 17], [1, 3])
    func ignoresTheOtherTriangle(n: Int, m: Int) {
        for (v, (lower, ta)) in Self.variants.enumerated() {
            var rng = SplitMix64(seed: Self.seed(n, m, v, 2))
            let poisoned = Self.triangular(n, lower: lower, unread: .nan, using: &rng)
            let clean = poisoned.map { $0.isNaN ? 0 : $0 }
            let b = Self.randomMatrix(n, m, using: &rng)
            let x = Self.solve(Self.stored(poisoned, n, ta: ta), b, n: n, m: m, lower: lower, ta: ta)
            #expect(x.allSatisfy { $0.isFinite }, "n \(n) m \(m) lower \(lower) ta \(ta): \(x)")
            let y = Self.solve(Self.stored(clean, n, ta: ta), b, n: n, m: m, lower: lower, ta: ta)
            #expect(Self.identical(x, y), "n \(n) m \(m) lower \(lower) ta \(ta)")
        }
    }

    /// A zero on the diagonal is divided by, not trapped on: that row of X is all infinities/NaN,
    /// the rows solved before it stay finite, and the result is still the reference's.
    @Test(arguments: [1, 2, 5, 17], [1, 3])
    func zeroDiagonalGivesNonFiniteValues(n: Int, m: Int) {
        for (v, (lower, ta)) in Self.variants.enumerated() {
            var rng = SplitMix64(seed: Self.seed(n, m, v, 3))
            var t = Self.triangular(n, lower: lower, unread: 0, using: &rng)
            let z = n / 2
            t[z * n + z] = 0
            let a = Self.stored(t, n, ta: ta), b = Self.randomMatrix(n, m, using: &rng)
            let x = Self.solve(a, b, n: n, m: m, lower: lower, ta: ta)
            let label = "n \(n) m \(m) lower \(lower) ta \(ta): \(x)"
            #expect(x[z * m..<(z + 1) * m].allSatisfy { !$0.isFinite }, "\(label)")
            let before = lower ? 0..<z : z + 1..<n
            #expect(x[before.lowerBound * m..<before.upperBound * m].allSatisfy { $0.isFinite }, "\(label)")
            #expect(Self.identical(x, Self.reference(a, b, n: n, m: m, lower: lower, ta: ta)), "\(label)")
        }
    }

    /// n = 0 or m = 0 writes nothing (x keeps its sentinel values) and reads nothing it should not.
    @Test func emptyShapesDoNothing() {
        let sentinel = [Double](repeating: 42, count: 8)
        for (lower, ta) in Self.variants {
            #expect(Self.solve([], [], n: 0, m: 3, lower: lower, ta: ta, initial: sentinel) == sentinel)
            #expect(Self.solve([], [], n: 0, m: 0, lower: lower, ta: ta, initial: sentinel) == sentinel)
            let a = [Double](repeating: 1, count: 25)
            #expect(Self.solve(a, [], n: 5, m: 0, lower: lower, ta: ta, initial: sentinel) == sentinel)
            // Null pointers too: with nothing to do, nothing is dereferenced.
            adj_solve_triangular(nil, nil, nil, 1, 0, 3, lower ? 1 : 0, ta ? 1 : 0)
            adj_solve_triangular(nil, nil, nil, 1, 5, 0, lower ? 1 : 0, ta ? 1 : 0)
        }
    }

    /// A worked 2×2 case, from one stored A read both ways: A = [[2, 0], [1, 4]] is lower as
    /// stored, and its transpose [[2, 1], [0, 4]] is upper.
    @Test func knownValues() {
        let a = [2.0, 0, 1, 4]
        #expect(Self.solve(a, [2, 9], n: 2, m: 1, lower: true, ta: false) == [1, 2])
        #expect(Self.solve(a, [2, 9], n: 2, m: 1, lower: false, ta: true) == [-0.125, 2.25])
        // Two columns of B are two independent solves.
        #expect(Self.solve(a, [2, 4, 9, 2], n: 2, m: 2, lower: true, ta: false) == [1, 2, 2, 0])
    }

    /// Division by the diagonal is a true division: 5 / 3 and 5 · (1/3) differ in the last bit.
    @Test func dividesRatherThanMultipliesByTheReciprocal() {
        let quotient = 5.0 / 3.0, viaReciprocal = 5.0 * (1.0 / 3.0)
        #expect(quotient != viaReciprocal)
        for (lower, ta) in Self.variants {
            let x = Self.solve([3], [5], n: 1, m: 1, lower: lower, ta: ta)
            #expect(x[0].bitPattern == quotient.bitPattern)
        }
    }
}
