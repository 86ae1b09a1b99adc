/// Linear algebra, batched over leading axes as NumPy's `linalg`: an operand of […, n, n] is a
/// stack of matrices. The heavy work runs in Runtime routines (`Runtime/factor.c`,
/// `Runtime/triangular.c`), in compiled kernels and in the interpreter alike; every function is
/// differentiable in both modes and to any order. `solve`, `inv`, `det` and `slogdet` of the same
/// matrix in one function share one LU factorization, derivatives included.

/// `x` with `a · x = b`, for a triangular `a` […, n, n] and `b` of [n] (one vector for every
/// matrix) or […, n, m] (leading axes broadcast with `a`'s): forward substitution when `lower`,
/// back substitution otherwise. Only the lower (or upper) triangle of `a`, diagonal included, is
/// read, as SciPy's `solve_triangular`; a zero on the diagonal gives infinities or NaN.
public func solveTriangular(_ a: Tensor, _ b: Tensor, lower: Bool = false,
                            file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    guard let (a, b) = Tensor.system("solveTriangular", a, b, location) else { return Tensor.zeros(b.shape) }
    return Tensor.apply(.solveTriangular(lower: lower), [a, b], location: location)
}

/// `x` with `a · x = b` (NumPy's `linalg.solve`): `a` is […, n, n]; `b` is [n] (a vector for every
/// matrix, giving […, n]) or […, n, m] with leading axes that broadcast against `a`'s. By LU with
/// partial pivoting; a singular `a` gives infinities or NaN (NumPy raises).
public func solve(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    guard let (a, b) = Tensor.system("solve", a, b, location) else { return Tensor.zeros(b.shape) }
    let f = Tensor.factors(a, location)
    return Tensor.apply(.luSolve(transposed: false), [a, f.lu, f.perm, b], location: location)
}

/// The inverse of each matrix of `a` […, n, n] (NumPy's `linalg.inv`): `solve(a, I)`.
public func inv(_ a: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    guard Tensor.isSquare("inv", a, location) else { return a }
    let n = a.shape.last!
    let identity = broadcast(Tensor.identity(n), to: a.shape)
    let f = Tensor.factors(a, location)
    return Tensor.apply(.luSolve(transposed: false), [a, f.lu, f.perm, identity], location: location)
}

/// The sign (±1, or 0 for a singular matrix) and the log of the absolute value of the
/// determinant of each matrix of `a` […, n, n], as NumPy's `linalg.slogdet`: accurate where the
/// determinant itself over- or underflows. The sign has derivative 0; `logAbsDet`'s is `a⁻ᵀ`.
public func slogdet(_ a: Tensor, file: StaticString = #fileID, line: UInt = #line) -> (sign: Tensor, logAbsDet: Tensor) {
    let location = "\(file):\(line)"
    guard Tensor.isSquare("slogdet", a, location) else {
        let zeros = Tensor.zeros(a.rank >= 2 ? Array(a.shape.dropLast(2)) : [])
        return (zeros, zeros)
    }
    let f = Tensor.factors(a, location)
    let n = a.shape.last!
    let lead = Array(a.shape.dropLast(2))
    // U's diagonal: every (n+1)-th element of each flattened matrix.
    let diagonal = take(f.lu.reshaped(lead + [n * n]), Array(stride(from: 0, to: n * n, by: n + 1)), axis: -1)
    let sign = f.parity * prod(Adjoint.sign(diagonal), axis: -1)
    return (sign, Tensor.apply(.logAbsDet, [a, f.lu, f.perm], location: location))
}

/// The determinant of each matrix of `a` […, n, n] (NumPy's `linalg.det`): `sign · exp(logAbsDet)`
/// of `slogdet`, so its derivative `det(a) · a⁻ᵀ` is read off the same factors.
public func det(_ a: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let (sign, logAbsDet) = slogdet(a, file: file, line: line)
    return sign * exp(logAbsDet)
}

/// The lower-triangular `L` with `L · Lᵀ = a` for each matrix of `a` […, n, n] (NumPy's
/// `linalg.cholesky`). Only the lower triangle of `a` is read, so the derivative with respect to
/// the upper one is 0. A matrix that is not positive definite gives an `L` of NaN (NumPy raises;
/// compiled code cannot).
public func cholesky(_ a: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.apply(.cholesky, [a], location: "\(file):\(line)")
}

extension Tensor {
    /// The n×n identity.
    static func identity(_ n: Int) -> Tensor {
        Tensor(shape: [n, n], scalars: (0..<(n * n)).map { $0 % (n + 1) == 0 ? 1 : 0 })
    }

    /// Whether `a` is a (stack of) square matrices; reports the error naming `op` if not.
    static func isSquare(_ op: String, _ a: Tensor, _ location: String) -> Bool {
        do {
            _ = try LinearAlgebra.square(op, a.shape, [a.shape])
            return true
        } catch var error {
            error.location = location
            _ = ShapeErrors.report(error, fallback: [])
            return false
        }
    }

    /// The LU factors of `a`: packed factors, permutation, det(P) (one node, shared by every use).
    static func factors(_ a: Tensor, _ location: String) -> (lu: Tensor, perm: Tensor, parity: Tensor) {
        let r = applyResults(.lu, [a], location: location)
        return (r[0], r[1], r[2])
    }

    /// `a` and `b` of a system, their leading axes broadcast to one stack as the primitives take
    /// them (NumPy 2's rule: `b` of rank 1 is one vector for every matrix), or nil after
    /// reporting what does not fit.
    static func system(_ op: String, _ a: Tensor, _ b: Tensor, _ location: String) -> (Tensor, Tensor)? {
        func failure(_ reason: String) -> (Tensor, Tensor)? {
            _ = ShapeErrors.report(ShapeError(op, [a.shape, b.shape], reason, location: location), fallback: [])
            return nil
        }
        guard isSquare(op, a, location) else { return nil }
        let n = a.shape.last!, lead = Array(a.shape.dropLast(2))
        guard b.rank >= 1 else { return failure("the right-hand side must be a vector or a matrix, not a scalar") }
        if b.rank == 1 {
            guard b.shape[0] == n else { return failure("the right-hand side has \(b.shape[0]) elements, the matrix \(n) rows") }
            return (a, lead.isEmpty ? b : broadcast(b, to: lead + [n]))
        }
        guard b.shape[b.rank - 2] == n else {
            return failure("the right-hand side has \(b.shape[b.rank - 2]) rows, the matrix \(n)")
        }
        guard let stack = Shape.broadcast(lead, Array(b.shape.dropLast(2))) else {
            return failure("leading axes \(Shape.describe(lead)) and \(Shape.describe(Array(b.shape.dropLast(2)))) do not broadcast")
        }
        let a2 = stack == lead ? a : broadcast(a, to: stack + [n, n])
        let b2 = stack == Array(b.shape.dropLast(2)) ? b : broadcast(b, to: stack + Array(b.shape.suffix(2)))
        return (a2, b2)
    }
}
