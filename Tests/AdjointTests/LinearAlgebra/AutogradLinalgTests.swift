import Testing
import TestSupport

@testable import Adjoint

/// autograd's own `tests/test_linalg.py` (HIPS/autograd), its real-valued cases one for one, as
/// grid cases: `check_grads` there is central differences against reverse mode (and forward mode
/// where autograd has it) at order 2 unless a test says order 1; `SystematicCheck` checks both
/// modes at order 2 and the compiled kernels too, so every case here is checked at least as
/// hard as autograd checks it. autograd's `npr.randn` matrices become uniform ones on [-2, 2]
/// with the same shifts (`+ 10·I`, `x·xᵀ`), and its `check_symmetric_matrix_grads` the same
/// symmetrization of the argument. Complex cases and `eig` (general, complex eigenvalues) have no
/// counterpart: Adjoint's tensors are real.
enum AutogradLinalgCases {
    static func T(_ a: Tensor) -> Tensor { swapAxes(a, -1, -2) }
    static func eye(_ d: Int) -> Tensor { Tensor.identity(d) }

    /// A case of one operand of `shape`, `prepare`d as autograd's test builds its matrix.
    static func one(_ name: String, _ function: String, _ shape: [Int],
                    prepare: (@Sendable (Tensor) -> Tensor)? = nil, _ f: @escaping @Sendable (Tensor) -> [Tensor]) -> GridCase {
        var prepared: (@Sendable ([Tensor]) -> [Tensor])? = nil
        if let prepare { prepared = { @Sendable xs in [prepare(xs[0])] } }
        return GridCase(function: function, shapes: [shape], domains: [-2...2], note: name, prepare: prepared, f: { f($0[0]) })
    }

    /// `check_symmetric_matrix_grads`: the function of the lower triangle, symmetrized.
    @Sendable static func symmetrized(_ a: Tensor) -> Tensor {
        let l = tril(a)
        return (l + T(l)) / 2
    }

    /// A fixed operand (autograd's tests close over it): uniform on [-2, 2], the same every call.
    @Sendable static func fixed(_ shape: [Int]) -> Tensor {
        var rng = SplitMix64(seed: UInt64(shape.reduce(17) { $0 * 31 + $1 }))
        return rng.tensor(shape, in: -2...2)
    }

    /// `rand_psd(D)`: x·xᵀ.
    @Sendable static func psd(_ x: Tensor) -> Tensor { matmul(x, T(x)) }

    static let lu: [GridCase] = [
        one("test_inv", "inv", [8, 8], prepare: { x in matmul(x, x) + eye(8) }) { [inv($0)] },
        one("test_inv_3d", "inv", [4, 4, 4], prepare: { $0 + 5 * eye(4) }) { [inv($0)] },
        one("test_inv_3d (4-d)", "inv", [4, 4, 4, 4], prepare: { $0 + 5 * eye(4) }) { [inv($0)] },
        one("test_solve_arg1", "solve", [8, 8], prepare: { $0 + 10 * eye(8) }) { [solve($0, fixed([8, 7]))] },
        one("test_solve_arg1_1d", "solve", [8, 8], prepare: { $0 + 10 * eye(8) }) { [solve($0, fixed([8]))] },
        one("test_solve_arg2", "solve", [6, 5]) { [solve(fixed([6, 6]) + eye(6), $0)] },
        one("test_solve_arg1_3d (NumPy 2: B[..., None])", "solve", [5, 4, 4], prepare: { $0 + 5 * eye(4) }) {
            [solve($0, expandDims(fixed([5, 4]), axis: -1))[..., 0]]
        },
        one("test_solve_arg1_3d_3d", "solve", [5, 4, 4], prepare: { $0 + 5 * eye(4) }) { [solve($0, fixed([5, 4, 6]))] },
        one("test_det", "det", [6, 6]) { [det($0)] },
        one("test_det_3d", "det", [3, 3, 3]) { [det($0)] },
        one("test_slogdet", "slogdet", [6, 6]) { [slogdet($0).logAbsDet] },
        one("test_slogdet (-mat)", "slogdet", [6, 6], prepare: { -$0 }) { [slogdet($0).logAbsDet] },
        one("test_slogdet_3d", "slogdet", [3, 5, 5], prepare: { x in psd(x) + 5 * eye(5) }) { [sum(slogdet($0).logAbsDet)] },
    ]

    static let cholesky: [GridCase] = [
        one("test_cholesky", "cholesky", [6, 6], prepare: psd) { [Adjoint.cholesky(symmetrized($0))] },
        one("test_cholesky_broadcast", "cholesky", [3, 6, 6], prepare: psd) { [Adjoint.cholesky(symmetrized($0))] },
        one("test_cholesky_reparameterization_trick", "cholesky", [6, 6], prepare: psd) { a in
            var rng = SplitMix64(seed: 0)
            let z = matmul(Adjoint.cholesky(symmetrized(a)), rng.tensor([6]))
            return [norm(z)]
        },
    ]

    static let norms: [GridCase] = [
        one("test_vector_2norm", "norm", [6]) { [norm($0)] },
        one("test_frobenius_norm", "norm", [6, 5]) { [norm($0)] },
        one("test_frobenius_norm_axis", "norm", [6, 5, 4]) { [norm($0, axes: [0, 1])] },
    ] + (2..<5).map { p in
        one("test_vector_norm_ord(\(p))", "norm", [6]) { [norm($0, ord: NormOrder(Double(p)))] }
    } + (0..<3).map { axis in
        one("test_norm_axis(\(axis))", "norm", [6, 5, 4]) { [norm($0, axis: axis)] }
    }

    static let spectral: [GridCase] = [
        one("test_norm_nuclear", "norm", [6, 5]) { [norm($0, ord: "nuc")] },
        one("test_norm_nuclear_axis", "norm", [6, 5, 4]) { [norm($0, ord: "nuc", axes: [0, 1])] },
        one("test_eigvalh_lower", "eigh", [6, 6]) { let e = eigh($0); return [e.values, e.vectors] },
        one("test_eigvalh_lower_broadcasting", "eigh", [2, 3, 6, 6], prepare: { x in
            let m = x + 10 * eye(6)
            return matmul(m, T(m))
        }) { let e = eigh($0); return [e.values, e.vectors] },
    ] + [([3, 5], "wide_2d"), ([4, 3, 5], "wide_3d"), ([4, 4], "square_2d"), ([3, 4, 4], "square_3d"),
         ([5, 3], "tall_2d"), ([4, 5, 3], "tall_3d")].map { shape, name in
        one("test_svd_\(name)", "svd", shape) { let d = svd($0); return [d.u, d.s, d.vt] }
    } + [([3, 5], "2d"), ([4, 5, 3], "3d")].map { shape, name in
        one("test_svd_only_s_\(name)", "svd", shape) { [svd($0).s] }
    } + (2...7).flatMap { m in
        [one("test_pinv(5, \(m))", "pinv", [5, m]) { [pinv($0)] },
         one("test_pinv stacked(2, 5, \(m))", "pinv", [2, 5, m]) { [pinv($0)] },
         one("test_pinv low rank(5, \(m))", "pinv", [5, m]) { x in [pinv(matmul(T(x), x))] },
         one("test_pinv low rank stacked(2, 5, \(m))", "pinv", [2, 5, m]) { x in [pinv(matmul(T(x), x))] }]
    }
}

@Suite struct AutogradLinalgTests {
    @Test(arguments: AutogradLinalgCases.lu) func lu(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: AutogradLinalgCases.cholesky) func cholesky(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: AutogradLinalgCases.norms) func norms(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: AutogradLinalgCases.spectral) func spectral(_ c: GridCase) { SystematicCheck.check(c) }
}
