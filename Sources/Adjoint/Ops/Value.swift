/// A concrete array: the shape and row-major elements that evaluation works on.
package struct Value: Sendable, Equatable {
    package var shape: [Int]
    package var scalars: [Double]

    package init(shape: [Int], scalars: [Double]) {
        self.shape = shape
        self.scalars = scalars
    }

    package init(_ scalar: Double) {
        self.shape = []
        self.scalars = [scalar]
    }

    package static func splat(_ value: Double, shape: [Int]) -> Value {
        Value(shape: shape, scalars: [Double](repeating: value, count: Shape.count(shape)))
    }
}

/// Index arithmetic shared by the evaluators of broadcasting and structural ops.
package enum Layout {
    /// For each element of `target` (row-major), the offset of the element of a `shape` tensor
    /// broadcast to it. Used for the general broadcasting case only; equal shapes and scalars
    /// take fast paths.
    package static func broadcastOffsets(_ shape: [Int], to target: [Int]) -> [Int] {
        gatherOffsets(target, strides: Shape.broadcastStrides(shape, to: target))
    }

    /// Walks `shape` in row-major order and returns, for each element, `Σ index[axis] * strides[axis]`.
    package static func gatherOffsets(_ shape: [Int], strides: [Int]) -> [Int] {
        let total = Shape.count(shape)
        var result = [Int](repeating: 0, count: total)
        if total == 0 { return result }
        let rank = shape.count
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for i in 0..<total {
            result[i] = offset
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    /// `(outer, length, inner)`: a shape seen as blocks around `axis`.
    package static func around(_ shape: [Int], axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (Shape.count(Array(shape[..<axis])), shape[axis], Shape.count(Array(shape[(axis + 1)...])))
    }
}
