/// Products of tensors, NumPy's: `outer`, `inner`, `tensordot`, `kron`, `cross` (and `einsum`,
/// in Einsum.swift; `matmul` and `dot` in Tensor+MatrixProducts.swift). All are composites: a
/// contraction is one rank-2 `matmul` between transposes and reshapes, the rest broadcast
/// products, so every one is differentiable in both modes at any order and compiles.

/// The outer product: both operands flattened, as NumPy's; the result is `[a.count, b.count]`.
public func outer(_ a: Tensor, _ b: Tensor) -> Tensor {
    a.shaped([a.count, 1]) * b.shaped([1, b.count])
}

/// NumPy's `inner`: the sum over the last axes of `a` and `b` (which must agree), so the result's
/// shape is `a.shape.dropLast() + b.shape.dropLast()`; a scalar operand scales.
public func inner(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    if a.rank == 0 || b.rank == 0 { return a * b }
    guard a.shape[a.rank - 1] == b.shape[b.rank - 1] else {
        return ShapeErrors.report(ShapeError("inner", [a.shape, b.shape], "last axes \(a.shape[a.rank - 1]) and \(b.shape[b.rank - 1]) differ",
                                             location: "\(file):\(line)"), fallback: [])
    }
    return contract(a, b, [a.rank - 1], [b.rank - 1], location: "\(file):\(line)")
}

/// NumPy's `tensordot` with an integer: the last `axes` axes of `a` summed against the first
/// `axes` of `b` (2 by default; 0 is the outer product without flattening).
public func tensordot(_ a: Tensor, _ b: Tensor, axes: Int = 2, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard axes >= 0, axes <= Swift.min(a.rank, b.rank) else {
        return ShapeErrors.report(ShapeError("tensordot", [a.shape, b.shape], "axes: \(axes) does not fit ranks \(a.rank) and \(b.rank)",
                                             location: "\(file):\(line)"), fallback: [])
    }
    return tensordot(a, b, axes: (Array((a.rank - axes)..<a.rank), Array(0..<axes)), file: file, line: line)
}

/// NumPy's `tensordot` with axis lists: axis `axes.0[i]` of `a` summed against `axes.1[i]` of `b`
/// (negative axes count from the end). The result has the other axes of `a`, then those of `b`.
public func tensordot(_ a: Tensor, _ b: Tensor, axes: ([Int], [Int]), file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    func failure(_ reason: String) -> Tensor {
        ShapeErrors.report(ShapeError("tensordot", [a.shape, b.shape], reason, location: location), fallback: [])
    }
    guard axes.0.count == axes.1.count else {
        return failure("axes \(axes.0) and \(axes.1) are lists of different lengths")
    }
    func normalized(_ list: [Int], _ t: Tensor) -> [Int]? {
        let result = list.map { $0 < 0 ? $0 + t.rank : $0 }
        return result.allSatisfy({ (0..<t.rank).contains($0) }) && Set(result).count == result.count ? result : nil
    }
    guard let ia = normalized(axes.0, a) else { return failure("axes \(axes.0) are not distinct axes of rank \(a.rank)") }
    guard let jb = normalized(axes.1, b) else { return failure("axes \(axes.1) are not distinct axes of rank \(b.rank)") }
    for (i, j) in zip(ia, jb) where a.shape[i] != b.shape[j] {
        return failure("axis \(i) of the first (\(a.shape[i])) and axis \(j) of the second (\(b.shape[j])) differ")
    }
    return contract(a, b, ia, jb, location: location)
}

/// The Kronecker product, NumPy's: the operands' ranks are made equal with leading 1s, and
/// `kron(a, b)[i·s + k, …] = a[i, …] · b[k, …]` for `b` of shape `s`, so the result's extents
/// are the products of theirs.
public func kron(_ a: Tensor, _ b: Tensor) -> Tensor {
    let rank = Swift.max(a.rank, b.rank)
    let sa = [Int](repeating: 1, count: rank - a.rank) + a.shape
    let sb = [Int](repeating: 1, count: rank - b.rank) + b.shape
    // a on the even axes, b on the odd ones: their broadcast product interleaves the two.
    let x = a.shaped(sa.flatMap { [$0, 1] })
    let y = b.shaped(sb.flatMap { [1, $0] })
    return (x * y).shaped(zip(sa, sb).map { $0 * $1 })
}

/// The cross product of 3-vectors along the last axis, broadcast over the leading axes, as
/// NumPy's. A 2-vector has a zero third component: two of them give the scalar (z) component
/// alone, with the last axis removed.
public func cross(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    func failure(_ reason: String) -> Tensor {
        ShapeErrors.report(ShapeError("cross", [a.shape, b.shape], reason, location: location), fallback: [])
    }
    guard a.rank >= 1, b.rank >= 1, [2, 3].contains(a.shape[a.rank - 1]), [2, 3].contains(b.shape[b.rank - 1]) else {
        return failure("the last axes must have length 2 or 3")
    }
    guard let lead = Shape.broadcast(Array(a.shape.dropLast()), Array(b.shape.dropLast())) else {
        return failure("the leading axes do not broadcast")
    }
    /// Component i along the last axis (nil: a 2-vector's zero third one).
    func component(_ t: Tensor, _ i: Int) -> Tensor? {
        i < t.shape[t.rank - 1] ? Tensor.apply(.slice(axis: t.rank - 1, start: i, end: i + 1), [t]) : nil
    }
    /// `x·y - u·v`, with nil as zero.
    func difference(_ x: Int, _ y: Int, _ u: Int, _ v: Int) -> Tensor {
        let first = component(a, x).flatMap { p in component(b, y).map { p * $0 } }
        let second = component(a, u).flatMap { p in component(b, v).map { p * $0 } }
        switch (first, second) {
        case let (p?, q?): return p - q
        case let (p?, nil): return p
        case let (nil, q?): return -q
        case (nil, nil): return Tensor.zeros(lead + [1])
        }
    }
    let z = difference(0, 1, 1, 0)
    if a.shape[a.rank - 1] == 2 && b.shape[b.rank - 1] == 2 { return z.shaped(lead) }
    return concatenate([difference(1, 2, 2, 1), difference(2, 0, 0, 2), z], axis: -1, file: file, line: line)
}
