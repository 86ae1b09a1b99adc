/// Diagonals and triangles, as NumPy's: composites of reshape, strided slices and padding
/// (`diagonal` is one strided read of the flattened matrix, `diag` of a vector one strided pad),
/// and of a constant mask (`triu`, `tril`).

/// The diagonal `offset` of the first two axes (above the main one for a positive offset,
/// below for a negative one), NumPy's `diagonal`: for a tensor [n, m, …] the result is […, L],
/// the diagonal last.
public func diagonal(_ t: Tensor, offset: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard t.rank >= 2 else { return t.failing("diagonal", "needs at least two axes, not \(t.rank)", fallback: [0], file, line) }
    let (n, m, rest) = (t.shape[0], t.shape[1], Array(t.shape.dropFirst(2)))
    let length = offset >= 0 ? Swift.min(n, m - offset) : Swift.min(n + offset, m)
    guard length > 0 else { return Tensor.zeros(rest + [0]) }
    let start = offset >= 0 ? offset : -offset * m
    let flat = t.reshaped([n * m] + rest)
    let picked = Tensor.apply(.slice(axis: 0, start: start, end: start + length * (m + 1), step: m + 1), [flat])
    return rest.isEmpty ? picked : moveAxis(picked, 0, -1)
}

/// NumPy's `diag`: a vector becomes the square matrix with it on diagonal `k` (zeros elsewhere);
/// a matrix gives its diagonal `k`.
public func diag(_ t: Tensor, k: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    if t.rank == 2 { return diagonal(t, offset: k, file: file, line: line) }
    guard t.rank == 1 else { return t.failing("diag", "needs a vector or a matrix, not rank \(t.rank)", fallback: [0], file, line) }
    let n = t.shape[0], size = n + Swift.abs(k)
    guard n > 0 else { return Tensor.zeros([size, size]) }
    let start = k >= 0 ? k : -k * size
    let after = size * size - (start + (n - 1) * (size + 1)) - 1
    return Tensor.apply(.pad(axis: 0, before: start, after: after, step: size + 1), [t]).reshaped([size, size])
}

/// The sum of diagonal `offset` of the first two axes (NumPy's `trace`): a scalar for a matrix.
public func trace(_ t: Tensor, offset: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard t.rank >= 2 else { return t.failing("trace", "needs at least two axes, not \(t.rank)", fallback: [], file, line) }
    return sum(diagonal(t, offset: offset, file: file, line: line), axis: -1)
}

/// The upper triangle of the last two axes: elements on and above diagonal `k`, zeros below.
public func triu(_ t: Tensor, k: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    triangle(t, k, upper: true, "triu", file, line)
}

/// The lower triangle of the last two axes: elements on and below diagonal `k`, zeros above.
public func tril(_ t: Tensor, k: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    triangle(t, k, upper: false, "tril", file, line)
}

/// `where(mask, t, 0)` for the constant 0/1 mask of the triangle (so an infinity outside it
/// gives 0, as NumPy's, not NaN).
private func triangle(_ t: Tensor, _ k: Int, upper: Bool, _ op: String, _ file: StaticString, _ line: UInt) -> Tensor {
    guard t.rank >= 2 else { return t.failing(op, "needs at least two axes, not \(t.rank)", file, line) }
    let (n, m) = (t.shape[t.rank - 2], t.shape[t.rank - 1])
    let mask = (0..<(n * m)).map { e -> Double in
        let (i, j) = (e / Swift.max(m, 1), e % Swift.max(m, 1))
        return (upper ? j - i >= k : j - i <= k) ? 1 : 0
    }
    return `where`(Tensor(shape: [n, m], scalars: mask), t, Tensor(0))
}
