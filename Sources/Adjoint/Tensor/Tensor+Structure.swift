/// Changes of shape (the reductions are in Tensor+Reductions.swift, the products in
/// Tensor+MatrixProducts.swift and Tensor+Products.swift).

/// Joins tensors of equal shape off `axis` along `axis`.
public func concatenate(_ tensors: [Tensor], axis: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let first = tensors.first else {
        return ShapeErrors.report(ShapeError("concatenate", [], "needs at least one tensor", location: "\(file):\(line)"),
                                  fallback: [0])
    }
    let a = first.axis(axis, "concatenate", file, line)
    return tensors.dropFirst().reduce(first) { Tensor.apply(.concat(axis: a), [$0, $1], location: "\(file):\(line)") }
}

/// Stacks tensors of one shape along a new axis.
public func stack(_ tensors: [Tensor], axis: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let first = tensors.first else { return Tensor(shape: [0], scalars: []) }
    let a = axis < 0 ? axis + first.rank + 1 : axis
    guard (0...first.rank).contains(a) else {
        return ShapeErrors.report(ShapeError("stack", [first.shape], "axis \(axis) out of range", location: "\(file):\(line)"),
                                  fallback: first.shape)
    }
    let expanded = tensors.map { t in
        var s = t.shape
        if s.count >= a { s.insert(1, at: a) }
        return t.reshaped(s)
    }
    return concatenate(expanded, axis: a, file: file, line: line)
}

extension Tensor {
    /// The axes in reverse order (a matrix's transpose; a vector stays as it is).
    public func transposed() -> Tensor { Tensor.apply(.transpose(Array((0..<rank).reversed())), [self]) }

    /// The axes permuted: result axis i is axis `permutation[i]`.
    public func transposed(_ permutation: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        Tensor.apply(.transpose(permutation), [self], location: "\(file):\(line)")
    }

    /// The same elements in another shape; one extent may be -1 (inferred).
    public func reshaped(_ newShape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        var target = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.reduce(1) { $0 * $1.element }
            target[unknown] = known > 0 && count % known == 0 ? count / known : -1
        }
        return Tensor.apply(.reshape, [self], target: target, location: "\(file):\(line)")
    }

    /// Indexing on the leading axes: `t[i]` drops axis 0, `t[i, j]` axes 0 and 1. Negative
    /// indices count from the end. Setting (`t[i] = v`) assigns through `updating(at:with:)`.
    public subscript(_ indices: Int...) -> Tensor {
        get { element(indices) }
        set { self = updated(indices.map { .index($0) }, with: newValue) }
    }

    private func element(_ indices: [Int]) -> Tensor {
        var result = self
        for (k, index) in indices.enumerated() {
            guard result.rank > 0 else {
                return ShapeErrors.report(ShapeError("subscript", [shape], "too many indices (\(indices.count)) for rank \(rank)"), fallback: [])
            }
            let n = result.shape[0]
            let i = index < 0 ? index + n : index
            guard (0..<n).contains(i) else {
                return ShapeErrors.report(ShapeError("subscript", [shape], "index \(index) out of range 0..<\(n) on axis \(k)"), fallback: [])
            }
            result = Tensor.apply(.slice(axis: 0, start: i, end: i + 1), [result]).reshaped(Array(result.shape.dropFirst()))
        }
        return result
    }

    /// Slicing on axis 0: `t[1..<3]`, `t[2...]`, `t[..<4]`; negative bounds count from the end
    /// (`t[(-2)...]`). Setting assigns through `updating(at:with:)`.
    public subscript<R: RangeExpression>(_ range: R) -> Tensor where R.Bound == Int {
        get {
            guard rank > 0 else {
                return ShapeErrors.report(ShapeError("slice", [shape], "cannot slice a scalar"), fallback: [])
            }
            if let item = range as? any TensorIndexConvertible { return selecting([item.tensorIndex]) }
            let r = range.relative(to: 0..<shape[0])
            return Tensor.apply(.slice(axis: 0, start: r.lowerBound, end: r.upperBound), [self])
        }
        set {
            let item = (range as? any TensorIndexConvertible)?.tensorIndex
                ?? { let r = range.relative(to: 0..<(shape.first ?? 0)); return .range(lower: r.lowerBound, upper: r.upperBound, through: false) }()
            self = updated([item], with: newValue)
        }
    }

    /// `axis` normalized (negative counts from the end) and checked.
    fileprivate func axis(_ axis: Int, _ op: String, _ file: StaticString, _ line: UInt) -> Int {
        let a = axis < 0 ? axis + rank : axis
        if !(0..<Swift.max(rank, 1)).contains(a) || rank == 0 {
            ShapeErrors.fail(ShapeError(op, [shape], "axis \(axis) out of range for rank \(rank)", location: "\(file):\(line)"))
            return 0
        }
        return a
    }
}
