/// Parameter lists seen as one flat vector of `Double`s, and the per-parameter state arrays of the
/// first-order optimizers. Updates work on the values (`scalars`) directly: they are arithmetic on
/// numbers, not something to trace.
enum ParameterVector {
    /// All elements of all tensors, in order.
    static func flatten(_ tensors: [Tensor]) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(tensors.reduce(0) { $0 + $1.count })
        for t in tensors { result.append(contentsOf: t.scalars) }
        return result
    }

    /// `flat` cut back into tensors of the shapes of `template`.
    static func unflatten(_ flat: [Double], like template: [Tensor]) -> [Tensor] {
        var offset = 0
        return template.map { t in
            defer { offset += t.count }
            return Tensor(shape: t.shape, scalars: Array(flat[offset..<(offset + t.count)]))
        }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var total = 0.0
        for i in a.indices { total += a[i] * b[i] }
        return total
    }

    /// Euclidean norm of all elements of all tensors.
    static func norm(_ tensors: [Tensor]) -> Double {
        var total = 0.0
        for t in tensors { for v in t.scalars { total += v * v } }
        return total.squareRoot()
    }

    /// `x + a·y`.
    static func adding(_ x: [Double], _ a: Double, _ y: [Double]) -> [Double] {
        var result = x
        for i in result.indices { result[i] += a * y[i] }
        return result
    }
}

/// One state array per parameter tensor (a velocity, a moment), created at zero on the first
/// update and checked against the parameter list on every later one.
struct ParameterSlots: Sendable {
    private(set) var shapes: [[Int]]?
    var values: [[Double]] = []

    /// Makes the slots for `parameters` on first use; afterwards requires the same shapes, and
    /// gradients of those shapes.
    mutating func prepare(for parameters: [Tensor], gradients: [Tensor], optimizer: String) {
        let parameterShapes = parameters.map(\.shape)
        precondition(gradients.map(\.shape) == parameterShapes,
                     "\(optimizer).update: gradient shapes \(gradients.map(\.shape)) differ from parameter shapes \(parameterShapes)")
        if let shapes {
            precondition(shapes == parameterShapes,
                         "\(optimizer).update: the parameter list changed from \(shapes) to \(parameterShapes); call reset() to start over")
            return
        }
        shapes = parameterShapes
        values = parameters.map { [Double](repeating: 0, count: $0.count) }
    }

    mutating func reset() {
        shapes = nil
        values = []
    }
}

extension Array where Element == Tensor {
    /// Replaces each tensor's elements by `transform(index of tensor, elements)`, keeping shapes.
    mutating func updateScalars(_ transform: (Int, inout [Double]) -> Void) {
        for k in indices {
            var scalars = self[k].scalars
            transform(k, &scalars)
            self[k] = Tensor(shape: self[k].shape, scalars: scalars)
        }
    }
}
