/// `matmul` and `dot`, with NumPy's rules for every rank. A product of matrices is one `matmul`
/// node; a stack of them is one `batched_matmul` node (never one node per matrix), or one
/// `matmul` when the right operand is a single matrix (the stack folds into its rows).

/// Matrix product with NumPy's rules: a vector on the left is a row, on the right a column, and
/// that axis is dropped from the result; operands of rank > 2 are stacks of matrices in their
/// last two axes, whose leading (batch) axes broadcast.
public func matmul(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    func failure(_ reason: String) -> Tensor {
        ShapeErrors.report(ShapeError("matmul", [a.shape, b.shape], reason, location: location), fallback: [])
    }
    guard a.rank >= 1, b.rank >= 1 else { return failure("operands must have at least one axis (scale by a scalar with *)") }
    let a2 = a.rank == 1 ? a.reshaped([1, a.shape[0]]) : a
    let b2 = b.rank == 1 ? b.reshaped([b.shape[0], 1]) : b
    let (k, kb) = (a2.shape[a2.rank - 1], b2.shape[b2.rank - 2])
    guard k == kb else { return failure("inner dimensions \(k) and \(kb) differ") }
    let (p, q) = (Array(a2.shape.dropLast(2)), Array(b2.shape.dropLast(2)))
    guard let r = Shape.broadcast(p, q) else {
        return failure("batch axes \(Shape.describe(p)) and \(Shape.describe(q)) do not broadcast")
    }
    let (m, n) = (a2.shape[a2.rank - 2], b2.shape[b2.rank - 1])
    let c: Tensor
    if a2.rank == 2 && b2.rank == 2 {
        c = Tensor.apply(.matmul, [a2, b2], location: location)
    } else if Shape.count(q) == 1 {
        // One right matrix: the stack on the left is one tall matrix.
        let rows = a2.reshaped([Shape.count(p) * m, k])
        c = Tensor.apply(.matmul, [rows, b2.reshaped([k, n])], location: location).reshaped(r + [m, n])
    } else {
        let x = MatrixProducts.repeats(p, in: r) ? a2 : Tensor.apply(.broadcast, [a2], target: r + [m, k], location: location)
        let y = MatrixProducts.repeats(q, in: r) ? b2 : Tensor.apply(.broadcast, [b2], target: r + [k, n], location: location)
        c = Tensor.apply(.batchedMatmul, [x, y], location: location)
    }
    var shape = r + [m, n]
    if b.rank == 1 { shape.removeLast() }
    if a.rank == 1 { shape.remove(at: shape.count - (b.rank == 1 ? 1 : 2)) }
    return shape == c.shape ? c : c.reshaped(shape)
}

/// NumPy's `dot`: a scalar scales; vectors give their inner product; otherwise the sum over the
/// last axis of `a` and the second-to-last of `b` (the last, when `b` is a vector), so that
/// `dot(a, b)[i, j, k, m] = Σₚ a[i, j, p] · b[k, p, m]` (unlike `matmul`, the batch axes of the
/// two operands do not pair up: they are all kept).
public func dot(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    if a.rank == 0 || b.rank == 0 { return a * b }
    if a.rank == 1 && b.rank == 1 {
        guard a.shape == b.shape else {
            return ShapeErrors.report(ShapeError("dot", [a.shape, b.shape], "vector lengths differ",
                                                 location: "\(file):\(line)"), fallback: [])
        }
        return sum(a * b)
    }
    let ka = a.shape[a.rank - 1], kb = b.shape[Swift.max(b.rank - 2, 0)]
    guard ka == kb else {
        return ShapeErrors.report(ShapeError("dot", [a.shape, b.shape], "inner dimensions \(ka) and \(kb) differ",
                                             location: "\(file):\(line)"), fallback: [])
    }
    if a.rank <= 2 && b.rank <= 2 || a.rank == 1 || b.rank == 1 { return matmul(a, b, file: file, line: line) }
    return contract(a, b, [a.rank - 1], [b.rank - 2], location: "\(file):\(line)")
}

extension Tensor {
    /// `dot(self, other)`.
    public func dot(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        Adjoint.dot(self, other, file: file, line: line)
    }
}

/// `a` and `b` contracted over the axes `ia` of `a` and `jb` of `b` (normalized, checked): the
/// free axes of `a`, then those of `b`. The operands are permuted to `[free, contracted]` and
/// `[contracted, free]` and the work is one rank-2 `matmul` (a transpose of a matrix is read in
/// place by it); with nothing to contract, a broadcast product.
func contract(_ a: Tensor, _ b: Tensor, _ ia: [Int], _ jb: [Int], location: String) -> Tensor {
    let freeA = (0..<a.rank).filter { !ia.contains($0) }, freeB = (0..<b.rank).filter { !jb.contains($0) }
    let shape = freeA.map { a.shape[$0] } + freeB.map { b.shape[$0] }
    if ia.isEmpty {
        return a.shaped(a.shape + [Int](repeating: 1, count: b.rank)) * b
    }
    let (m, k, n) = (Shape.count(freeA.map { a.shape[$0] }), Shape.count(ia.map { a.shape[$0] }), Shape.count(freeB.map { b.shape[$0] }))
    let x = a.permuted(freeA + ia).shaped([m, k])
    let y = b.permuted(jb + freeB).shaped([k, n])
    let c = Tensor.apply(.matmul, [x, y], location: location)
    return c.shape == shape ? c : c.reshaped(shape)
}

extension Tensor {
    /// The axes permuted, or `self` when the permutation is the identity (no copy, eager or traced).
    func permuted(_ permutation: [Int]) -> Tensor {
        permutation == Array(0..<rank) ? self : Tensor.apply(.transpose(permutation), [self])
    }

    /// `self` reshaped, or `self` when it has the shape already.
    func shaped(_ newShape: [Int]) -> Tensor {
        newShape == shape ? self : reshaped(newShape)
    }
}
