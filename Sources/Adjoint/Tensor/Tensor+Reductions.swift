/// Reductions: `sum`, `mean`, `prod`, `max`, `min`, each over every element, over one `axis:`
/// or over several `axes:` (negative axes count from the end), with `keepDims: true` keeping the
/// reduced axes as extents of 1 (NumPy's `keepdims`) so the result broadcasts against the operand.
/// A repeated axis, or one out of range, is a `ShapeError` naming the function and the shape.

/// The sum of all elements.
public func sum(_ t: Tensor) -> Tensor { Tensor.apply(.reduce(.sum, Array(0..<t.rank)), [t]) }

/// The sum of all elements; with `keepDims`, shaped as `t` with every extent 1.
public func sum(_ t: Tensor, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(nil, keepDims, "sum", file, line) { $0.reducing(.sum, $1) }
}

/// The sum along `axis`, which is removed (kept with extent 1 with `keepDims`).
public func sum(_ t: Tensor, axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced([axis], keepDims, "sum", file, line) { $0.reducing(.sum, $1) }
}

/// The sum along each of `axes` (none: the tensor as it is).
public func sum(_ t: Tensor, axes: [Int], keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(axes, keepDims, "sum", file, line) { $0.reducing(.sum, $1) }
}

/// The mean of all elements. An empty tensor has none: that is a shape error (NumPy warns and
/// answers NaN, which would then spread with no word of where it came from).
public func mean(_ t: Tensor, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(nil, keepDims, "mean", file, line) { $0.averaging($1, "mean", "\(file):\(line)") }
}

/// The mean along `axis`, which is removed; an axis of extent 0 is a shape error, as for `mean(t)`.
public func mean(_ t: Tensor, axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced([axis], keepDims, "mean", file, line) { $0.averaging($1, "mean", "\(file):\(line)") }
}

/// The mean over `axes`.
public func mean(_ t: Tensor, axes: [Int], keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(axes, keepDims, "mean", file, line) { $0.averaging($1, "mean", "\(file):\(line)") }
}

/// The product of all elements (1 for an empty tensor). Its derivative is the product of the
/// other elements, right where elements are zero, and at every order.
public func prod(_ t: Tensor) -> Tensor { Tensor.apply(.reduce(.prod, Array(0..<t.rank)), [t]) }

/// The product of all elements; with `keepDims`, shaped as `t` with every extent 1.
public func prod(_ t: Tensor, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(nil, keepDims, "prod", file, line) { $0.reducing(.prod, $1) }
}

/// The product along `axis` (negative counts from the end), which is removed.
public func prod(_ t: Tensor, axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced([axis], keepDims, "prod", file, line) { $0.reducing(.prod, $1) }
}

/// The product over `axes`.
public func prod(_ t: Tensor, axes: [Int], keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(axes, keepDims, "prod", file, line) { $0.reducing(.prod, $1) }
}

/// The largest element. Where several elements tie, the derivative is split evenly among them
/// (autograd's rule), in both modes. NaN anywhere gives NaN, as NumPy's `max`.
public func max(_ t: Tensor) -> Tensor { Tensor.apply(.reduce(.max, Array(0..<t.rank)), [t]) }

/// The largest element; with `keepDims`, shaped as `t` with every extent 1.
public func max(_ t: Tensor, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(nil, keepDims, "max", file, line) { $0.reducing(.max, $1) }
}

/// The largest element along `axis`, which is removed; ties share the derivative evenly.
public func max(_ t: Tensor, axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced([axis], keepDims, "max", file, line) { $0.reducing(.max, $1) }
}

/// The largest element over `axes`.
public func max(_ t: Tensor, axes: [Int], keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(axes, keepDims, "max", file, line) { $0.reducing(.max, $1) }
}

/// The smallest element (`-max(-t)`: ties share the derivative evenly, NaN propagates).
public func min(_ t: Tensor) -> Tensor { -max(-t) }

/// The smallest element; with `keepDims`, shaped as `t` with every extent 1.
public func min(_ t: Tensor, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(nil, keepDims, "min", file, line) { -(-$0).reducing(.max, $1) }
}

/// The smallest element along `axis`, which is removed.
public func min(_ t: Tensor, axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced([axis], keepDims, "min", file, line) { -(-$0).reducing(.max, $1) }
}

/// The smallest element over `axes`.
public func min(_ t: Tensor, axes: [Int], keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(axes, keepDims, "min", file, line) { -(-$0).reducing(.max, $1) }
}

extension Tensor {
    /// `axes` (nil: all) normalized, checked and sorted, or nil after reporting a `ShapeError`
    /// that names `op` and the shape: an axis out of range, or one given twice (`[1, -1]` on a
    /// matrix names axis 1 twice).
    package func reductionAxes(_ axes: [Int]?, _ op: String, _ location: String) -> [Int]? {
        guard let axes else { return Array(0..<rank) }
        var normalized: [Int] = []
        for axis in axes {
            let a = axis < 0 ? axis + rank : axis
            guard (0..<rank).contains(a) else {
                ShapeErrors.fail(ShapeError(op, [shape], "axis \(axis) out of range for rank \(rank)", location: location))
                return nil
            }
            guard !normalized.contains(a) else {
                ShapeErrors.fail(ShapeError(op, [shape], "axis \(axis) given twice in \(axes) (axis \(a) of rank \(rank))",
                                            location: location))
                return nil
            }
            normalized.append(a)
        }
        return normalized.sorted()
    }

    /// The shape with `axes` (normalized) removed, or, with `keepDims`, set to 1.
    package func reducedShape(_ axes: [Int], keepDims: Bool) -> [Int] {
        keepDims ? shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
                 : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }

    /// A reduction's public form: `axes` checked, `body` applied to them (it removes them), the
    /// result reshaped for `keepDims`. After a reported error, zeros of the result's shape.
    package func reduced(_ axes: [Int]?, _ keepDims: Bool, _ op: String, _ file: StaticString, _ line: UInt,
                         _ body: (Tensor, [Int]) -> Tensor) -> Tensor {
        let location = "\(file):\(line)"
        guard let normalized = reductionAxes(axes, op, location) else {
            return Tensor.zeros(keepDims ? shape.map { _ in 1 } : [])
        }
        let result = body(self, normalized)
        return keepDims ? result.reshaped(reducedShape(normalized, keepDims: true), file: file, line: line) : result
    }

    /// The primitive reduction over normalized `axes`, which it removes.
    package func reducing(_ reducer: Reducer, _ axes: [Int], location: String? = nil) -> Tensor {
        Tensor.apply(.reduce(reducer, axes), [self], location: location)
    }

    /// The number of elements each result element of a reduction over `axes` gathers.
    package func extent(_ axes: [Int]) -> Int { axes.reduce(1) { $0 * shape[$1] } }

    /// The mean over normalized `axes` (removed); none to average over is a shape error.
    package func averaging(_ axes: [Int], _ op: String, _ location: String) -> Tensor {
        let n = extent(axes)
        guard n > 0 else {
            let reason = axes.count == rank ? "the tensor is empty: no elements to average"
                : "axis \(axes.first { shape[$0] == 0 } ?? 0) is empty: no elements to average"
            return ShapeErrors.report(ShapeError(op, [shape], reason, location: location),
                                      fallback: reducedShape(axes, keepDims: false))
        }
        return reducing(.sum, axes, location: location) / Double(n)
    }
}
