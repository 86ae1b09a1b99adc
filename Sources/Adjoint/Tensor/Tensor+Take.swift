/// Gathering by indices and sorting: the public faces of the `take` and `sort` rows (Ops/Indexing.swift).

/// The elements of `t` at `indices` along `axis` (NumPy's `take`): the result's shape is
/// `t.shape[..<axis] + [indices.count] + t.shape[(axis + 1)...]`; negative indices count from
/// the end; without an axis, of the flattened tensor. The gradient adds up at repeated indices.
public func take(_ t: Tensor, _ indices: [Int], axis: Int? = nil, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    take(t, Tensor(shape: [indices.count], scalars: indices.map(Double.init)), axis: axis, file: file, line: line)
}

/// The elements of `t` at the integral values of `indices` along `axis` (NumPy's `take`): the
/// result's shape is `t.shape[..<axis] + indices.shape + t.shape[(axis + 1)...]`. The indices
/// have no derivative; when they are traced, the compiled function checks that later ones are
/// in range too (a guard), and traces again to report the error when not.
public func take(_ t: Tensor, _ indices: Tensor, axis: Int? = nil, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let axis else { return take(flatten(t), indices, axis: 0, file: file, line: line) }
    guard let a = t.normalized(axis, "take", file, line) else { return t }
    let n = t.shape[a]
    let outer = Array(t.shape[..<a]), inner = Array(t.shape[(a + 1)...])
    let resultShape = outer + indices.shape + inner
    if let bad = indices.scalars.first(where: { !(Double(-n)..<Double(n)).contains($0) || $0.rounded(.towardZero) != $0 }) {
        let reason = bad.rounded(.towardZero) == bad ? "index \(Int(bad)) out of range for axis \(a) of extent \(n)"
            : "index \(bad) is not an integer"
        return ShapeErrors.report(ShapeError("take", [t.shape, indices.shape], reason, location: "\(file):\(line)"),
                                  fallback: resultShape)
    }
    if indices.isTraced {
        let inRange = (indices .>= Double(-n)) * (indices .< Double(n))
        _ = sum(inRange) == Tensor(Double(indices.count))
    }
    let column = indices.reshaped([Int](repeating: 1, count: a) + [indices.count] + [Int](repeating: 1, count: inner.count))
    return Tensor.apply(.take(axis: a), [t, column], location: "\(file):\(line)").reshaped(resultShape)
}

/// `t` sorted along `axis` (the last by default, as NumPy's), stably and with NaN last. The
/// derivative routes through the sorting permutation (autograd's `grad_sort`); at ties the
/// permutation of the stable sort decides which input each slot's derivative goes to.
public func sort(_ t: Tensor, axis: Int = -1, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    if t.rank == 0 { return t }
    guard let a = t.normalized(axis, "sort", file, line) else { return t }
    return Tensor.applyResults(.sort(axis: a), [t], location: "\(file):\(line)")[0]
}
