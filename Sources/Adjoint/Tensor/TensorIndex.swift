/// What one position of a tensor subscript selects along an axis (or, for `ellipsis` and
/// `newAxis`, how the positions map to axes). Integers, ranges, strides and `[Int]` convert to
/// it (`TensorIndexConvertible`), so subscripts read as NumPy's: `t[-1]`, `t[0, 1..<3]`,
/// `t[..., 2...]`, `t[stride(from: 4, through: 0, by: -2)]`, `t[[0, 2, 2]]`.
///
/// Integers and range bounds count from the end when negative (`-1` is the last element,
/// `(-2)...` the last two). A stride or an `[Int]` selects the positions it lists, each counted
/// like an integer index; an index or a bound outside the axis is an error (NumPy clips slices;
/// Swift's own collections trap, and a silent clip hides mistakes).
public enum TensorIndex: Sendable, Equatable {
    /// One position; the axis is removed.
    case index(Int)
    /// Positions `lower..<upper` (`lower...upper` when `through`); nil bounds are the ends.
    case range(lower: Int?, upper: Int?, through: Bool)
    /// The listed positions, in order (a stride's, or an array's: NumPy's fancy index on one axis).
    case positions([Int])
    /// The whole axis.
    case all
    /// As many whole axes as the other positions leave (NumPy's `...`; Swift's `...` in the
    /// first, second or third position of a subscript means it too).
    case ellipsis
    /// A new axis of extent 1 (NumPy's `newaxis`).
    case newAxis
}

/// A value that can stand in a tensor subscript.
public protocol TensorIndexConvertible: Sendable {
    /// The index this value stands for (`2` is `.index(2)`, `1..<3` a range).
    var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { self }
}

extension Int: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { .index(self) }
}

extension Range: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(lower: lowerBound, upper: upperBound, through: false) }
}

extension ClosedRange: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(lower: lowerBound, upper: upperBound, through: true) }
}

extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(lower: lowerBound, upper: nil, through: false) }
}

extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(lower: nil, upper: upperBound, through: false) }
}

extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(lower: nil, upper: upperBound, through: true) }
}

extension StrideTo: TensorIndexConvertible where Element == Int {
    public var tensorIndex: TensorIndex { .positions(Array(self)) }
}

extension StrideThrough: TensorIndexConvertible where Element == Int {
    public var tensorIndex: TensorIndex { .positions(Array(self)) }
}

extension Array: TensorIndexConvertible where Element == Int {
    public var tensorIndex: TensorIndex { .positions(self) }
}
