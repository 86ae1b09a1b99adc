/// Norms, NumPy's `linalg.norm`: of every element (the 2-norm, Frobenius for a matrix), vector
/// norms along an axis, matrix norms over two axes.
///
/// Where the norm is 0 the derivative is taken as 0 (the smallest subgradient; PyTorch's
/// choice). `x / norm(x)` there is `0 / 0`, which autograd and JAX return as NaN.

/// The order of a norm, NumPy's `ord`: a number p (`1`, `2`, `0.5`, `-1`…), `.infinity` and
/// `-.infinity` (`max` and `min` of the absolute values), `.fro` (Frobenius) and `.nuc` (nuclear,
/// the sum of the singular values). `"fro"` and `"nuc"` are accepted as NumPy spells them.
public struct NormOrder: Hashable, Sendable, CustomStringConvertible,
                         ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral {
    package enum Kind: Hashable, Sendable {
        case p(Double)
        case frobenius, nuclear
        /// A string literal that names no order, reported when the norm is taken.
        case unknown(String)
    }

    /// Which order this is.
    package let kind: Kind

    package init(kind: Kind) { self.kind = kind }

    /// The p-norm, `(Σ|x|ᵖ)^(1/p)` for vectors; for matrices 1, -1, ±∞, and ±2 (the largest and
    /// smallest singular value).
    public init(_ p: Double) { kind = .p(p) }
    /// `ord: 1`: the p-norm of a whole number.
    public init(integerLiteral value: Int) { kind = .p(Double(value)) }
    /// `ord: 0.5`: the p-norm of any number.
    public init(floatLiteral value: Double) { kind = .p(value) }
    /// `"fro"` or `"nuc"`, as NumPy's `ord`.
    public init(stringLiteral value: String) {
        kind = value == "fro" ? .frobenius : value == "nuc" ? .nuclear : .unknown(value)
    }

    /// The largest absolute value (vectors); the largest absolute row sum (matrices).
    public static let infinity = NormOrder(.infinity)
    /// The square root of the sum of the squares (matrices).
    public static let fro = NormOrder(kind: .frobenius)
    /// The sum of the singular values (matrices), the nuclear norm.
    public static let nuc = NormOrder(kind: .nuclear)

    /// `-.infinity`: the smallest absolute value (vectors), the smallest absolute row sum (matrices).
    public static prefix func - (order: NormOrder) -> NormOrder {
        if case .p(let p) = order.kind { return NormOrder(-p) }
        return NormOrder(kind: .unknown("-\(order)"))
    }

    /// As NumPy prints it: `2`, `0.5`, `inf`, `-inf`, `fro`, `nuc`.
    public var description: String {
        switch kind {
        case .p(let p): p == p.rounded() && abs(p) < 1e15 ? "\(Int(p))" : p.isInfinite ? (p > 0 ? "inf" : "-inf") : "\(p)"
        case .frobenius: "fro"
        case .nuclear: "nuc"
        case .unknown(let name): "\"\(name)\""
        }
    }
}

/// The 2-norm of all elements (the Frobenius norm of a matrix), `sqrt(sum(t * t))`.
public func norm(_ t: Tensor) -> Tensor { norm(t, keepDims: false) }

/// The 2-norm of all elements; with `keepDims`, shaped as `t` with every extent 1.
public func norm(_ t: Tensor, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(nil, keepDims, "norm", file, line) { x, axes in zeroSafeSqrt((x * x).reducing(.sum, axes)) }
}

/// The norm of order `ord` of a vector (rank 1) or a matrix (rank 2), as NumPy's `norm(x, ord)`.
public func norm(_ t: Tensor, ord: NormOrder, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard t.rank == 1 || t.rank == 2 else {
        return ShapeErrors.report(ShapeError("norm", [t.shape], "an order needs a vector or a matrix, or axis: or axes:",
                                             location: "\(file):\(line)"), fallback: [])
    }
    return norm(t, ord: ord, axes: Array(0..<t.rank), keepDims: keepDims, file: file, line: line)
}

/// The vector norm of order `ord` of each lane along `axis`, which is removed.
public func norm(_ t: Tensor, ord: NormOrder = 2, axis: Int, keepDims: Bool = false,
                 file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    norm(t, ord: ord, axes: [axis], keepDims: keepDims, file: file, line: line)
}

/// A vector norm over one axis, or a matrix norm over two (`[rows, columns]`, in that order:
/// order 1 is the largest column sum, `.infinity` the largest row sum, as NumPy's). No order:
/// 2 for vectors, `.fro` for matrices.
public func norm(_ t: Tensor, ord: NormOrder? = nil, axes: [Int], keepDims: Bool = false,
                 file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    guard axes.count == 1 || axes.count == 2 else {
        return ShapeErrors.report(ShapeError("norm", [t.shape], "axes \(axes): one axis for a vector norm, two for a matrix norm",
                                             location: location), fallback: [])
    }
    guard let sorted = t.reductionAxes(axes, "norm", location) else { return Tensor.zeros([]) }
    let given = axes.map { $0 < 0 ? $0 + t.rank : $0 }
    let kept = axes.count == 1 ? t.vectorNorm(ord ?? 2, given[0], location) : t.matrixNorm(ord ?? .fro, given[0], given[1], location)
    return kept.reshaped(t.reducedShape(sorted, keepDims: keepDims), file: file, line: line)
}

extension Tensor {
    /// The vector norm of each lane along `axis`, kept with extent 1.
    fileprivate func vectorNorm(_ ord: NormOrder, _ axis: Int, _ location: String) -> Tensor {
        guard case .p(let p) = ord.kind else {
            return ShapeErrors.report(ShapeError("norm", [shape], "order \(ord) is not a vector norm (1, 2, .infinity, any p)",
                                                 location: location), fallback: reducedShape([axis], keepDims: true))
        }
        let a = [axis]
        switch p {
        case .infinity: return max(abs(self), axes: a, keepDims: true)
        case -.infinity: return min(abs(self), axes: a, keepDims: true)
        case 0: return sum(self .!= 0, axes: a, keepDims: true)
        case 1: return sum(abs(self), axes: a, keepDims: true)
        case 2: return zeroSafeSqrt(sum(self * self, axes: a, keepDims: true))
        default:
            let s = sum(pow(abs(self), p), axes: a, keepDims: true), zero = s .== 0
            return `where`(zero, 0, pow(`where`(zero, 1, s), 1 / p))
        }
    }

    /// The matrix norm over `rows` and `columns`, both kept with extent 1.
    fileprivate func matrixNorm(_ ord: NormOrder, _ rows: Int, _ columns: Int, _ location: String) -> Tensor {
        let both = [rows, columns].sorted()
        func fail(_ reason: String) -> Tensor {
            ShapeErrors.report(ShapeError("norm", [shape], reason, location: location), fallback: reducedShape(both, keepDims: true))
        }
        switch ord.kind {
        case .frobenius: return zeroSafeSqrt(sum(self * self, axes: both, keepDims: true))
        case .p(1): return max(sum(abs(self), axes: [rows], keepDims: true), axes: [columns], keepDims: true)
        case .p(-1): return min(sum(abs(self), axes: [rows], keepDims: true), axes: [columns], keepDims: true)
        case .p(.infinity): return max(sum(abs(self), axes: [columns], keepDims: true), axes: [rows], keepDims: true)
        case .p(-.infinity): return min(sum(abs(self), axes: [columns], keepDims: true), axes: [rows], keepDims: true)
        case .p(2), .p(-2), .nuclear:
            return singularValueNorm(ord, rows, columns)
        case .p, .unknown:
            return fail("order \(ord) is not a matrix norm (.fro, .nuc, 1, -1, 2, -2, .infinity, -.infinity)")
        }
    }

    /// The norms of the singular values of the matrices over `rows` and `columns` (moved last for
    /// `svd`): `.nuc` their sum, 2 the largest, -2 the smallest; kept with extent 1 on both axes.
    /// Derivatives are `svd`'s values' rule (sums of the singular vectors' outer products `u_j v_jᵀ`):
    /// finite everywhere; the derivative where the value is differentiable (`.nuc` at nonzero
    /// singular values, 2 and -2 where the extreme one is simple), a subgradient elsewhere (at a
    /// zero singular value, `.nuc` uses the completed vectors).
    fileprivate func singularValueNorm(_ ord: NormOrder, _ rows: Int, _ columns: Int) -> Tensor {
        let others = (0..<rank).filter { $0 != rows && $0 != columns }
        let moved = transposed(others + [rows, columns])
        let s = svd(moved).s
        let reduced = ord.kind == .nuclear ? sum(s, axis: -1) : ord.kind == .p(2) ? max(s, axis: -1) : min(s, axis: -1)
        return reduced.reshaped(reducedShape([rows, columns].sorted(), keepDims: true))
    }
}
