import Testing

@testable import Adjoint

/// The spectral decompositions through their public functions: `eigh`, `qr`, `svd`, `pinv` and
/// the singular-value norms, square, tall, wide and batched, at points with well-separated
/// spectra (a strong, spread diagonal added to a small random matrix), where the standard rules
/// hold to every order. Every case goes through `SystematicCheck` (both modes, first and second
/// order, compiled against interpreted). The factors' results are compared as they are (not
/// gauge-invariant functions of them): the sign rules make them functions of the matrix there.
enum DecompositionGrid {
    /// `values` added on the main diagonal of every matrix of operand 0.
    static func spread(_ values: [Double]) -> @Sendable ([Tensor]) -> [Tensor] {
        { xs in
            let s = xs[0].shape, (m, n) = (s[s.count - 2], s[s.count - 1])
            let d = (0..<(m * n)).map { e in e / n == e % n && e / n < values.count ? values[e / n] : 0 }
            return [xs[0] + Tensor(shape: [m, n], scalars: d)]
        }
    }

    static func one(_ function: String, _ shape: [Int], note: String = "", diagonal: [Double],
                    _ f: @escaping @Sendable (Tensor) -> [Tensor]) -> GridCase {
        GridCase(function: function, shapes: [shape], domains: [-0.5...0.5], note: note, prepare: spread(diagonal),
                 f: { f($0[0]) })
    }

    static let eigh: [GridCase] = [
        one("eigh", [1, 1], diagonal: [1]) { let (w, v) = Adjoint.eigh($0); return [w, v] },
        one("eigh", [3, 3], diagonal: [0, 3, 6]) { let (w, v) = Adjoint.eigh($0); return [w, v] },
        one("eigh", [2, 3, 3], diagonal: [6, 0, 3]) { let (w, v) = Adjoint.eigh($0); return [w, v] },
        one("eigh", [4, 4], note: "values", diagonal: [0, 2, 4, 6]) { [Adjoint.eigh($0).values] },
    ]

    static let qr: [GridCase] = [
        one("qr", [3, 3], diagonal: [2, 2, 2]) { let (q, r) = Adjoint.qr($0); return [q, r] },
        one("qr", [4, 2], diagonal: [2, 2]) { let (q, r) = Adjoint.qr($0); return [q, r] },
        one("qr", [2, 4], diagonal: [2, 2]) { let (q, r) = Adjoint.qr($0); return [q, r] },
        one("qr", [2, 3, 2], diagonal: [2, 2]) { let (q, r) = Adjoint.qr($0); return [q, r] },
        one("qr", [1, 3], diagonal: [2]) { let (q, r) = Adjoint.qr($0); return [q, r] },
    ]

    static let svd: [GridCase] = [
        one("svd", [3, 3], diagonal: [6, 3, 1]) { let (u, s, vt) = Adjoint.svd($0); return [u, s, vt] },
        one("svd", [4, 2], diagonal: [4, 1.5]) { let (u, s, vt) = Adjoint.svd($0); return [u, s, vt] },
        one("svd", [2, 4], diagonal: [4, 1.5]) { let (u, s, vt) = Adjoint.svd($0); return [u, s, vt] },
        one("svd", [2, 3, 2], diagonal: [1.5, 4]) { let (u, s, vt) = Adjoint.svd($0); return [u, s, vt] },
        one("svd", [1, 1], diagonal: [2]) { let (u, s, vt) = Adjoint.svd($0); return [u, s, vt] },
    ]

    static let derived: [GridCase] = [
        one("pinv", [3, 3], diagonal: [6, 3, 1]) { [Adjoint.pinv($0)] },
        one("pinv", [4, 2], diagonal: [4, 1.5]) { [Adjoint.pinv($0)] },
        one("pinv", [2, 2, 3], diagonal: [4, 1.5]) { [Adjoint.pinv($0)] },
        one("norm", [3, 3], note: "ord: .nuc", diagonal: [6, 3, 1]) { [norm($0, ord: .nuc)] },
        one("norm", [4, 2], note: "ord: 2", diagonal: [4, 1.5]) { [norm($0, ord: 2)] },
        one("norm", [2, 4], note: "ord: -2", diagonal: [4, 1.5]) { [norm($0, ord: -2)] },
        one("norm", [3, 2, 4], note: "ord: .nuc, axes: [2, 0]", diagonal: [3, 1]) { [norm($0, ord: .nuc, axes: [2, 0])] },
        one("norm", [2, 3, 3], note: "ord: 2, axes: [1, 2], keepDims", diagonal: [6, 3, 1]) {
            [norm($0, ord: 2, axes: [1, 2], keepDims: true)]
        },
    ]

    static let cases = eigh + qr + svd + derived
}

@Suite struct DecompositionGridTests {
    @Test(arguments: DecompositionGrid.eigh) func eigh(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: DecompositionGrid.qr) func qr(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: DecompositionGrid.svd) func svd(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: DecompositionGrid.derived) func derived(_ c: GridCase) { SystematicCheck.check(c) }
}
