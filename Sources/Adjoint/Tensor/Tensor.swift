/// An n-dimensional array of `Double`, row-major; rank 0 is a scalar.
///
/// `Tensor` is a value type that works eagerly like a NumPy array. Inside a transform (`grad`,
/// `jacobian`, `compile`, …) the same operations also record a graph: such a tensor still holds
/// its example value in `scalars`, so plain Swift control flow can look at it.
public struct Tensor: Sendable {
    /// The elements and the shape (while tracing: the example value).
    @usableFromInline package let storage: Storage
    /// The node this tensor is in an open trace, if any.
    @usableFromInline package let symbol: Symbol?

    /// The shape lives inside the storage, beside the elements, so that a `Tensor` is 28 bytes:
    /// Swift passes and returns it in registers and copies or destroys it inline. (With the shape
    /// as a field of its own it took 41, went through memory, and every copy or destroy in a
    /// caller's module called the type's value witnesses: about 20 ns of a W1 call's 106.)
    /// A scalar holds its one element inline and allocates nothing.
    @usableFromInline package enum Storage: Sendable {
        /// Rank 0.
        case scalar(Double)
        /// Any other shape (a one-element tensor of rank > 0 too), with its elements in row-major order.
        case array([Int], [Double])
        /// Result k of a nested transform inlined into a trace, of this shape: computed when first
        /// looked at (most never are: `compile(grad(f))` needs the nodes, not the numbers).
        case deferred([Int], DeferredResult)
    }

    package init(shape: [Int], scalars: [Double], symbol: Symbol?) {
        self.storage = shape.isEmpty && scalars.count == 1 ? .scalar(scalars[0]) : .array(shape, scalars)
        self.symbol = symbol
    }

    package init(storage: Storage, symbol: Symbol?) {
        self.storage = storage
        self.symbol = symbol
    }

    @inline(__always)
    package init(shape: [Int], scalar: Double, symbol: Symbol?) {
        self.storage = shape.isEmpty ? .scalar(scalar) : .array(shape, [scalar])
        self.symbol = symbol
    }

    /// The extent of each axis; `[]` for a scalar.
    public var shape: [Int] {
        switch storage {
        case .scalar: []
        case .array(let shape, _), .deferred(let shape, _): shape
        }
    }

    /// True when the tensor has this shape (compared in place, without a copy of `shape`).
    @inline(__always)
    package func hasShape(_ expected: [Int]) -> Bool {
        switch storage {
        case .scalar: expected.isEmpty
        case .array(let shape, _), .deferred(let shape, _): shape == expected
        }
    }

    /// The elements in row-major order (while tracing: the example value).
    public var scalars: [Double] {
        switch storage {
        case .scalar(let v): [v]
        case .array(_, let values): values
        case .deferred(_, let result): result.value.scalars
        }
    }

    /// The one element of a tensor that holds its elements and has exactly one, else nil
    /// (the scalar paths of tracing: no arrays for one-element operands).
    @inline(__always)
    package var single: Double? {
        switch storage {
        case .scalar(let v): v
        case .array(_, let values): values.count == 1 ? values[0] : nil
        case .deferred: nil
        }
    }

    /// The value of a rank-0 tensor that no open trace records, else nil (the calls of compiled
    /// functions on such arguments take numbers, not tensors).
    @inline(__always)
    package var concreteScalar: Double? {
        if case .scalar(let v) = storage, !isTraced { return v }
        return nil
    }

    /// The elements without copying them into an array.
    package func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R {
        switch storage {
        case .scalar(var v): return withUnsafePointer(to: &v) { body(UnsafeBufferPointer(start: $0, count: 1)) }
        case .array(_, let values): return values.withUnsafeBufferPointer(body)
        case .deferred(_, let result): return result.value.scalars.withUnsafeBufferPointer(body)
        }
    }

    /// True while the tensor belongs to an open trace (a transform is recording it).
    package var isTraced: Bool { symbol?.trace.isOpen ?? false }

    /// A tensor of the given shape holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Double]) {
        let op = "Tensor(shape:scalars:)"
        if let reason = Shape.invalidity(shape) {
            self = ShapeErrors.report(ShapeError(op, [shape], reason, kind: .shape), fallback: Shape.placeholder(for: shape))
        } else if Shape.count(shape) != scalars.count {
            let reason = "shape \(Shape.describe(shape)) holds \(Shape.count(shape)) elements, but \(scalars.count) scalars were given"
            self = ShapeErrors.report(ShapeError(op, [shape], reason, kind: .shape), fallback: Shape.placeholder(for: shape))
        } else {
            self.init(shape: shape, scalars: scalars, symbol: nil)
        }
    }

    /// A scalar.
    @inlinable public init(_ value: Double) {
        storage = .scalar(value)
        symbol = nil
    }

    /// A vector holding `scalars`.
    public init(_ scalars: [Double]) {
        self.init(shape: [scalars.count], scalars: scalars, symbol: nil)
    }

    /// A tensor of `shape` with every element `value`.
    public init(repeating value: Double, shape: [Int]) {
        self = Tensor.filled(value, shape, op: "Tensor(repeating:shape:)")
    }

    /// Zeros of the given shape.
    public static func zeros(_ shape: [Int]) -> Tensor { filled(0, shape, op: "Tensor.zeros") }

    /// Ones of the given shape.
    public static func ones(_ shape: [Int]) -> Tensor { filled(1, shape, op: "Tensor.ones") }

    /// `shape` checked before anything is allocated: a negative extent would trap in `Array`
    /// with no word of which call was wrong.
    private static func filled(_ value: Double, _ shape: [Int], op: String) -> Tensor {
        if let reason = Shape.invalidity(shape) {
            return ShapeErrors.report(ShapeError(op, [shape], reason, kind: .shape), fallback: Shape.placeholder(for: shape))
        }
        return Tensor(shape: shape, scalars: [Double](repeating: value, count: Shape.count(shape)), symbol: nil)
    }

    /// `count` evenly spaced values from `start` to `end` inclusive (NumPy's `linspace`: the last
    /// value is exactly `end`).
    public init(linspace start: Double, _ end: Double, count: Int) {
        guard count >= 0 else {
            self = ShapeErrors.report(ShapeError("Tensor(linspace:_:count:)", [], "count must not be negative, got \(count)",
                                                 kind: .shape), fallback: [0])
            return
        }
        let step = count > 1 ? (end - start) / Double(count - 1) : 0
        var values = (0..<count).map { start + Double($0) * step }
        if count > 1 { values[count - 1] = end }
        self.init(shape: [count], scalars: values)
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int {
        switch storage {
        case .scalar: 1
        case .array(_, let values): values.count
        case .deferred(let shape, _): Shape.count(shape)
        }
    }

    /// The one element of a tensor that holds exactly one (NaN, after reporting the error, when
    /// it holds another number and `Tensor.checkingShapes` collects errors).
    @inlinable public var scalar: Double {
        if case .scalar(let v) = storage { return v }
        return onlyElement
    }

    /// `scalar` of a tensor that is not rank 0 (kept apart so that `scalar` inlines into callers).
    @usableFromInline var onlyElement: Double {
        switch storage {
        case .scalar(let v): return v
        case .array(_, let values) where values.count == 1: return values[0]
        case .deferred(_, let result) where count == 1: return result.value.scalars[0]
        default:
            ShapeErrors.fail(ShapeError("Tensor.scalar", [shape],
                                        "a tensor of shape \(Shape.describe(shape)) holds \(count) elements, not one", kind: .shape))
            return .nan
        }
    }

    /// The same tensor with no link to any trace: a constant to every transform.
    public var detached: Tensor { Tensor(storage: storage, symbol: nil) }

    package var value: Value {
        if case .deferred(_, let result) = storage { return result.value }
        return Value(shape: shape, scalars: scalars)
    }

    package init(_ value: Value) { self.init(shape: value.shape, scalars: value.scalars, symbol: nil) }
}

extension Tensor: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// A scalar (rank 0) from a literal: `let a: Tensor = 0.5`.
    public init(floatLiteral value: Double) { self.init(value) }

    /// A scalar (rank 0) from an integer literal: `let a: Tensor = 2`.
    public init(integerLiteral value: Int) { self.init(Double(value)) }

    /// Nested array literals: `[[1, 2], [3, 4]]` is a 2×2 matrix; `[]` is an empty vector.
    public init(arrayLiteral elements: Tensor...) {
        self = Tensor.stackLiteral(elements)
    }

    private static func stackLiteral(_ elements: [Tensor]) -> Tensor {
        guard let first = elements.first else { return Tensor(shape: [0], scalars: []) }
        guard elements.allSatisfy({ $0.shape == first.shape }) else {
            let error = ShapeError("Tensor literal", elements.map(\.shape),
                                   "its rows have different shapes; every row of a nested literal needs the same shape", kind: .rows)
            return ShapeErrors.report(error, fallback: Shape.placeholder(for: [elements.count] + first.shape))
        }
        if elements.contains(where: { $0.symbol != nil }) { return stack(elements, axis: 0) }
        return Tensor(shape: [elements.count] + first.shape, scalars: elements.flatMap(\.scalars))
    }
}

extension Tensor: CustomStringConvertible {
    /// NumPy-like text: `1.5`, `[1.0, 2.0]`, `[[1.0, 2.0], [3.0, 4.0]]`.
    public var description: String {
        func render(_ offset: Int, _ axis: Int) -> String {
            if axis == shape.count { return "\(scalars[offset])" }
            let inner = Shape.count(Array(shape[(axis + 1)...]))
            return "[" + (0..<shape[axis]).map { render(offset + $0 * inner, axis + 1) }.joined(separator: ", ") + "]"
        }
        return render(0, 0)
    }
}

extension Tensor: Equatable {
    /// Same shape and same elements. While tracing, this is a branch like `<` and records a guard.
    public static func == (a: Tensor, b: Tensor) -> Bool {
        guard a.shape == b.shape else { return false }
        return Tensor.decide(.compare(.equal), a, b, all: true)
    }
}
