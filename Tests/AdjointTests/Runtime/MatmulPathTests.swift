import AdjointRuntime
import Testing
import TestSupport

/// Runtime/matmul.c's `adj_matmul` and `adj_gemm_sub` on each instruction-set path, forced with
/// `adj_matmul_force_isa` (thread-local, so other tests running at the same time keep the default
/// path): every path against a naive triple loop, on shapes that hit the remainders of every tile
/// and block size (the AVX-512 GEMM's 6×32 tile, KC = NC = 128; the others' 4×8 and 6×8, KC = 128,
/// NC = 64) and both orientations of the AVX-512 GEMM (C or Cᵀ tiled), with all four transposes.
@Suite struct MatmulPathTests {
    /// The paths of adj_matmul_force_isa.
    enum Path: Int32, CaseIterable, CustomStringConvertible {
        case baseline = 1, avx2 = 2, avx512 = 3

        var description: String { ["", "baseline", "AVX2+FMA", "AVX-512"][Int(rawValue)] }

        /// Whether this build and CPU have the path (asking leaves the thread on the default path).
        var available: Bool {
            let has = adj_matmul_force_isa(rawValue) == 1
            adj_matmul_force_isa(0)
            return has
        }

        /// `body` with adj_matmul and adj_gemm_sub forced onto this path on the calling thread.
        /// Synchronous, so the thread cannot change in between.
        func run<T>(_ body: () -> T) -> T {
            precondition(adj_matmul_force_isa(rawValue) == 1, "\(self) is not available")
            defer { adj_matmul_force_isa(0) }
            return body()
        }
    }

    /// One product: op(A) is m×k, op(B) k×n; ta/tb say the operand is stored transposed.
    struct Shape: CustomStringConvertible {
        var m, k, n: Int
        var ta, tb: Bool
        var description: String { "\(m)×\(k)·\(k)×\(n) ta \(ta ? 1 : 0) tb \(tb ? 1 : 0)" }
    }

    /// Every m, n in 1...17 with k in {1, 5, 16, 17} (the tiles' remainders, the interpreter-order
    /// path, C narrow enough to tile Cᵀ); each of m, k, n in {31, 64, 65, 100, 129, 257} with the other
    /// two in {3, 17, 33}; two products past a block size in every dimension; and matrix-vector
    /// products with more than 8 rows. Each with all four transposes.
    static let shapes: [Shape] = {
        var dims: [(Int, Int, Int)] = []
        for m in 1...17 { for n in 1...17 { for k in [1, 5, 16, 17] { dims.append((m, k, n)) } } }
        for big in [31, 64, 65, 100, 129, 257] {
            for x in [3, 17, 33] {
                for y in [3, 17, 33] { dims += [(big, x, y), (x, big, y), (x, y, big)] }
            }
        }
        dims += [(129, 129, 129), (65, 257, 129)]
        dims += [(257, 129, 1), (1, 129, 257), (100, 257, 1), (1, 257, 100)]  // the matrix-vector forms
        return dims.flatMap { m, k, n in
            [(false, false), (true, false), (false, true), (true, true)].map { Shape(m: m, k: k, n: n, ta: $0, tb: $1) }
        }
    }()

    /// The operands of each of ``shapes`` and their naive product, computed once for every path.
    static let cases: [(shape: Shape, a: [Double], b: [Double], reference: (c: [Double], scale: [Double]))] =
        shapes.enumerated().map { index, shape in
            let (a, b) = operands(shape, seed: UInt64(index) + 1)
            return (shape, a, b, naive(a, b, shape))
        }

    /// Operands of `shape`, stored as its flags say, with entries in -1...1.
    static func operands(_ shape: Shape, seed: UInt64) -> (a: [Double], b: [Double]) {
        var rng = SplitMix64(seed: seed)
        let a = (0..<shape.m * shape.k).map { _ in Double.random(in: -1...1, using: &rng) }
        let b = (0..<shape.k * shape.n).map { _ in Double.random(in: -1...1, using: &rng) }
        return (a, b)
    }

    /// The naive triple loop in the interpreter's order (c = 0, then c += a·b for p = 0, 1, …), and
    /// Σp |a·b| per entry, the scale of its rounding error.
    static func naive(_ a: [Double], _ b: [Double], _ s: Shape) -> (c: [Double], scale: [Double]) {
        var c = [Double](repeating: 0, count: s.m * s.n), scale = c
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<s.m {
                    for j in 0..<s.n {
                        var sum = 0.0, magnitude = 0.0
                        for p in 0..<s.k {
                            let left = s.ta ? a[p * s.m + i] : a[i * s.k + p]
                            let term = left * (s.tb ? b[j * s.k + p] : b[p * s.n + j])
                            sum += term
                            magnitude += term.magnitude
                        }
                        c[i * s.n + j] = sum
                        scale[i * s.n + j] = magnitude
                    }
                }
            }
        }
        return (c, scale)
    }

    /// adj_matmul of `shape` on `path`, into a C filled with NaN (every entry must be written).
    static func product(_ a: [Double], _ b: [Double], _ s: Shape, on path: Path) -> [Double] {
        var c = [Double](repeating: .nan, count: s.m * s.n)
        path.run {
            adj_matmul(a, b, &c, s.m, s.k, s.n, s.ta ? 1 : 0, s.tb ? 1 : 0)
        }
        return c
    }

    /// The entries of `c` off the reference by more than 1e-12 of their scale, as text.
    static func mismatches(_ c: [Double], _ reference: (c: [Double], scale: [Double])) -> [String] {
        c.indices.filter { !((c[$0] - reference.c[$0]).magnitude <= 1e-12 * reference.scale[$0]) }
            .prefix(3).map { "[\($0)] \(c[$0]) vs \(reference.c[$0])" }
    }

    func check(_ path: Path) {
        for (shape, a, b, reference) in Self.cases {
            let c = Self.product(a, b, shape, on: path)
            let wrong = Self.mismatches(c, reference)
            #expect(wrong.isEmpty, "\(path) \(shape): \(wrong)")
            if shape.m * shape.k * shape.n <= 4096 {  // the file header's promise: the interpreter's order
                let same = zip(c, reference.c).allSatisfy { $0.bitPattern == $1.bitPattern }
                #expect(same, "\(path) \(shape) not bit for bit")
            }
        }
    }

    @Test func baselineAgreesWithTheNaiveProduct() { check(.baseline) }

    @Test(.enabled(if: Path.avx2.available, "this CPU lacks AVX2 or FMA (or the build has no dispatch)"))
    func avx2AgreesWithTheNaiveProduct() { check(.avx2) }

    @Test(.enabled(if: Path.avx512.available, "this CPU lacks AVX-512 F, DQ or VL (or the build has no dispatch)"))
    func avx512AgreesWithTheNaiveProduct() { check(.avx512) }

    /// adj_gemm_sub (C -= A·op(B) with leading dimensions wider than the rows, as the blocked
    /// factorizations call it) on `path`: the m×n corner is C minus the naive product, and the
    /// columns past n are untouched.
    func checkSubtraction(_ path: Path) {
        let dims = [(1, 1, 1), (5, 3, 7), (17, 16, 17), (6, 129, 32), (65, 65, 3), (3, 65, 65), (129, 31, 129),
                    (100, 257, 64), (257, 17, 100)]
        for (index, (m, k, n)) in dims.enumerated() {
            for tb in [false, true] {
                let shape = Shape(m: m, k: k, n: n, ta: false, tb: tb)
                let (a, b) = Self.operands(shape, seed: UInt64(index) + 1000)
                let reference = Self.naive(a, b, shape)
                let ldc = n + 3
                let initial = (0..<m * ldc).map { Double($0 % 7) - 3 }
                var c = initial
                path.run { adj_gemm_sub(a, k, b, tb ? k : n, &c, ldc, m, k, n, tb ? 1 : 0) }
                let corner = (0..<m * n).map { initial[$0 / n * ldc + $0 % n] - c[$0 / n * ldc + $0 % n] }
                let wrong = Self.mismatches(corner, reference)
                #expect(wrong.isEmpty, "\(path) C -= \(shape): \(wrong)")
                let outside = (0..<m * ldc).filter { $0 % ldc >= n }
                #expect(outside.allSatisfy { c[$0] == initial[$0] }, "\(path) C -= \(shape) wrote past n")
            }
        }
    }

    @Test func baselineSubtracts() { checkSubtraction(.baseline) }

    @Test(.enabled(if: Path.avx2.available, "this CPU lacks AVX2 or FMA (or the build has no dispatch)"))
    func avx2Subtracts() { checkSubtraction(.avx2) }

    @Test(.enabled(if: Path.avx512.available, "this CPU lacks AVX-512 F, DQ or VL (or the build has no dispatch)"))
    func avx512Subtracts() { checkSubtraction(.avx512) }

    /// The baseline and the default are always there; a path number that does not exist is refused
    /// and leaves the default in place.
    @Test func forcingReportsWhatExists() {
        #expect(adj_matmul_force_isa(0) == 1)
        #expect(adj_matmul_force_isa(1) == 1)
        #expect(adj_matmul_force_isa(0) == 1)
        #expect(adj_matmul_force_isa(7) == 0)
        #expect(adj_matmul_force_isa(-1) == 0)
    }
}
