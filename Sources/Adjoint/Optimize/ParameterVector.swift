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
    /// gradients of those shapes. False (after reporting the error) when the update must not go on.
    mutating func prepare(for parameters: [Tensor], gradients: [Tensor], optimizer: String) -> Bool {
        let parameterShapes = parameters.map(\.shape)
        guard ParameterSlots.gradients(gradients, fit: parameters, optimizer) else { return false }
        if let shapes {
            guard shapes == parameterShapes else {
                ShapeErrors.fail(ShapeError("\(optimizer).update", parameterShapes,
                    "the parameter list changed from \(shapes) to \(parameterShapes); call reset() to start over"))
                return false
            }
            return true
        }
        shapes = parameterShapes
        values = parameters.map { [Double](repeating: 0, count: $0.count) }
        return true
    }

    /// Whether each gradient has its parameter's shape; reports the error when not.
    static func gradients(_ gradients: [Tensor], fit parameters: [Tensor], _ optimizer: String) -> Bool {
        let shapes = parameters.map(\.shape), gradientShapes = gradients.map(\.shape)
        guard gradientShapes != shapes else { return true }
        ShapeErrors.fail(ShapeError("\(optimizer).update", gradientShapes + shapes,
                                    "the gradient shapes \(gradientShapes) differ from the parameter shapes \(shapes)"))
        return false
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
