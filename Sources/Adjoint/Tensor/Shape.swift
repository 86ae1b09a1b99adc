/// Helpers for row-major shapes and NumPy broadcasting. A shape is a plain `[Int]`;
/// the empty shape is a scalar.
package enum Shape {
    /// Number of elements of a tensor of this shape (1 for a scalar).
    @inlinable package static func count(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { n &*= d }
        return n
    }

    /// Row-major strides, in elements.
    package static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = acc
            acc *= shape[axis]
        }
        return strides
    }

    /// The NumPy broadcast of two shapes, or nil when they do not fit.
    package static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        if a == b { return a }
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { result[i] = da } else if da == 1 { result[i] = db } else { return nil }
        }
        return result
    }

    /// Strides for reading a tensor of `shape` as if broadcast to `target`: 0 on broadcast axes.
    package static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        return (0..<target.count).map { axis in
            axis < offset || shape[axis - offset] == 1 ? 0 : own[axis - offset]
        }
    }

    /// `(3, 2)`, `()` for a scalar: how shapes appear in messages.
    package static func describe(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }

    /// Why `shape` cannot be a tensor's, or nil: a negative extent, or more elements than an
    /// `Int` counts (`count` wraps around, so such a shape could pass for a small one).
    package static func invalidity(_ shape: [Int]) -> String? {
        if let extent = shape.first(where: { $0 < 0 }) {
            return "negative extent \(extent) in shape \(describe(shape))"
        }
        if shape.contains(0) { return nil }
        var n = 1
        for d in shape {
            let (product, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return "shape \(describe(shape)) has more elements than an Int can count" }
            n = product
        }
        return nil
    }

    /// What to go on with after an error about `shape` inside `Tensor.checkingShapes`: the shape
    /// itself when it is valid and small, else as many axes of extent 0 (nothing to allocate).
    package static func placeholder(for shape: [Int]) -> [Int] {
        invalidity(shape) == nil && count(shape) <= 1 << 24 ? shape : shape.map { _ in 0 }
    }
}

/// A shape that does not fit an operation: names the op, the shapes and, where known, the caller.
///
/// Constructors and other entry points report wrong arguments the same way (a negative extent,
/// a count that does not match, a negative iteration count), so that `Tensor.checkingShapes`
/// catches every mistake in a user's data, not only those of operations.
public struct ShapeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The operation, as a user would write it (`matmul`, `+`, `reshaped`).
    public var op: String
    /// The shapes of the operands, in order.
    public var shapes: [[Int]]
    /// What is wrong, in words.
    public var reason: String
    /// The caller's `file:line`, when the API could record it.
    public var location: String?
    /// How the description reads.
    package var kind: Kind

    package enum Kind: Sendable, Equatable {
        /// An operation's operands: their shapes follow the reason.
        case operands
        /// A nested literal's rows: their shapes follow the reason.
        case rows
        /// A shape or extent given to a constructor: the reason names it.
        case shape
        /// An argument that is wrong for another reason than a shape: the reason names it.
        case argument
    }

    package init(_ op: String, _ shapes: [[Int]], _ reason: String, location: String? = nil, kind: Kind = .operands) {
        self.op = op
        self.shapes = shapes
        self.reason = reason
        self.location = location
        self.kind = kind
    }

    public var description: String {
        let place = location.map { " at \($0)" } ?? ""
        let listed = shapes.map(Shape.describe).joined(separator: " and ")
        switch kind {
        case .operands: return "shape error in \(op)\(place): \(reason) (operands \(listed))"
        case .rows: return "shape error in \(op)\(place): \(reason) (rows \(listed))"
        case .shape: return "shape error in \(op)\(place): \(reason)"
        case .argument: return "invalid argument to \(op)\(place): \(reason)"
        }
    }
}
