/// Linear algebra. The heavy work runs in Runtime routines, in compiled kernels and in the
/// interpreter alike.

/// `x` with `a · x = b`, for a triangular matrix `a` ([n, n]) and `b` of shape [n] or [n, m]:
/// forward substitution when `lower`, back substitution otherwise. Only the lower (or upper)
/// triangle of `a`, diagonal included, is read, as SciPy's `solve_triangular`; a zero on the
/// diagonal gives infinities or NaN. Differentiable in both arguments, in both modes.
public func solveTriangular(_ a: Tensor, _ b: Tensor, lower: Bool = false,
                            file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.apply(.solveTriangular(lower: lower), [a, b], location: "\(file):\(line)")
}
