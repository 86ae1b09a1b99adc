/// Subscripts of any axis, NumPy's way (see `TensorIndex`), and the functional index update
/// behind their setters: `x[i] = y` on a tensor that is being traced is differentiable in both
/// `x` and `y`.
extension Tensor {
    /// The elements the positions select: `t[0, 1..<3]`, `t[-1]`, `t[stride(from: 3, through: 0, by: -1)]`,
    /// `t[[2, 0, 0]]`, `t[TensorIndex.ellipsis, 0]`. Setting assigns through `updating(at:with:)`.
    public subscript(_ items: any TensorIndexConvertible...) -> Tensor {
        get { selecting(items.map(\.tensorIndex)) }
        set { self = updated(items.map(\.tensorIndex), with: newValue) }
    }

    /// `t[..., 1..<3]`: Swift's `...` in front is NumPy's ellipsis (as many whole axes as the rest leaves).
    public subscript(_ ellipsis: UnboundedRange, _ rest: any TensorIndexConvertible...) -> Tensor {
        get { selecting([.ellipsis] + rest.map(\.tensorIndex)) }
        set { self = updated([.ellipsis] + rest.map(\.tensorIndex), with: newValue) }
    }

    /// `t[0, ..., 1]`: the ellipsis after one position.
    public subscript(_ first: any TensorIndexConvertible, _ ellipsis: UnboundedRange,
                     _ rest: any TensorIndexConvertible...) -> Tensor {
        get { selecting([first.tensorIndex, .ellipsis] + rest.map(\.tensorIndex)) }
        set { self = updated([first.tensorIndex, .ellipsis] + rest.map(\.tensorIndex), with: newValue) }
    }

    /// A copy of the tensor with the elements the positions select (as for the subscript)
    /// replaced by `value`, broadcast to their shape: JAX's `x.at[i].set(v)`. Differentiable in
    /// the tensor (the replaced elements have zero derivative) and in the value.
    public func updating(at items: any TensorIndexConvertible..., with value: Tensor) -> Tensor {
        updated(items.map(\.tensorIndex), with: value)
    }

    /// `updating(at: ..., 1, with: v)`: the ellipsis in front.
    public func updating(at ellipsis: UnboundedRange, _ rest: any TensorIndexConvertible..., with value: Tensor) -> Tensor {
        updated([.ellipsis] + rest.map(\.tensorIndex), with: value)
    }

    /// The subscript's getter, for positions resolved already.
    package func selecting(_ items: [TensorIndex]) -> Tensor {
        do {
            return try TensorSelection(shape, items).select(self)
        } catch {
            return ShapeErrors.report(error, fallback: [])
        }
    }

    /// `updating(at:with:)` for positions resolved already: `where(mask, placed value, self)`,
    /// so the kept elements are exactly the old ones and the new ones exactly the value.
    package func updated(_ items: [TensorIndex], with value: Tensor) -> Tensor {
        let selection: TensorSelection
        do {
            selection = try TensorSelection(shape, items)
        } catch {
            return ShapeErrors.report(error, fallback: shape)
        }
        guard !selection.repeats else {
            return ShapeErrors.report(ShapeError("updating", [shape], "a position is selected twice"), fallback: shape)
        }
        guard Shape.broadcast(value.shape, selection.result) == selection.result else {
            return ShapeErrors.report(ShapeError("updating", [shape, value.shape],
                                                 "the value does not broadcast to the selection's shape \(Shape.describe(selection.result))"),
                                      fallback: shape)
        }
        let placed = selection.embed(Adjoint.broadcast(value, to: selection.result), into: shape)
        let mask = selection.embed(Tensor.ones(selection.result), into: shape)
        return `where`(mask, placed, self)
    }
}
