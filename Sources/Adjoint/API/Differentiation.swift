/// Reverse-mode transforms. Each takes a function and returns a function, evaluated by the
/// reference interpreter, or recorded into the enclosing trace when called inside another
/// transform, so they compose freely: `grad(grad(f))`, `compile(grad(f))`.

/// The gradient of a function with one output element.
public func grad(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in Gradient.valueAndGradients({ f($0[0]) }, at: [x], wrt: [0]).gradients[0] }
}

/// The value and the gradient, from one trace.
public func valueAndGrad(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> (value: Tensor, gradient: Tensor) {
    { x in
        let r = Gradient.valueAndGradients({ f($0[0]) }, at: [x], wrt: [0], transform: "valueAndGrad")
        return (r.value, r.gradients[0])
    }
}

/// The gradient with respect to each tensor of a parameter list (tensors of different shapes).
public func grad(_ f: @escaping ([Tensor]) -> Tensor) -> ([Tensor]) -> [Tensor] {
    { xs in Gradient.valueAndGradients({ f($0) }, at: xs, wrt: Array(xs.indices)).gradients }
}

/// The value and the gradient with respect to each tensor of a parameter list.
public func valueAndGrad(_ f: @escaping ([Tensor]) -> Tensor) -> ([Tensor]) -> (value: Tensor, gradient: [Tensor]) {
    { xs in
        let r = Gradient.valueAndGradients({ f($0) }, at: xs, wrt: Array(xs.indices), transform: "valueAndGrad")
        return (r.value, r.gradients)
    }
}

// MARK: - Two to four arguments

/// The gradient with respect to argument `wrt` (0 by default).
public func grad(_ f: @escaping (Tensor, Tensor) -> Tensor, wrt: Int = 0) -> (Tensor, Tensor) -> Tensor {
    { a, b in Gradient.valueAndGradients({ f($0[0], $0[1]) }, at: [a, b], wrt: [wrt]).gradients[0] }
}

/// The gradients with respect to the arguments `wrt`, in that order.
public func grad(_ f: @escaping (Tensor, Tensor) -> Tensor, wrt: [Int]) -> (Tensor, Tensor) -> [Tensor] {
    { a, b in Gradient.valueAndGradients({ f($0[0], $0[1]) }, at: [a, b], wrt: wrt).gradients }
}

/// The value and the gradient with respect to argument `wrt` (0 by default), from one trace.
public func valueAndGrad(_ f: @escaping (Tensor, Tensor) -> Tensor, wrt: Int = 0)
    -> (Tensor, Tensor) -> (value: Tensor, gradient: Tensor) {
    { a, b in
        let r = Gradient.valueAndGradients({ f($0[0], $0[1]) }, at: [a, b], wrt: [wrt], transform: "valueAndGrad")
        return (r.value, r.gradients[0])
    }
}

/// The gradient with respect to argument `wrt` (0 by default), reverse mode.
public func grad(_ f: @escaping (Tensor, Tensor, Tensor) -> Tensor, wrt: Int = 0) -> (Tensor, Tensor, Tensor) -> Tensor {
    { a, b, c in Gradient.valueAndGradients({ f($0[0], $0[1], $0[2]) }, at: [a, b, c], wrt: [wrt]).gradients[0] }
}

/// The gradients with respect to the arguments `wrt`, in that order.
public func grad(_ f: @escaping (Tensor, Tensor, Tensor) -> Tensor, wrt: [Int]) -> (Tensor, Tensor, Tensor) -> [Tensor] {
    { a, b, c in Gradient.valueAndGradients({ f($0[0], $0[1], $0[2]) }, at: [a, b, c], wrt: wrt).gradients }
}

/// The value and the gradient with respect to argument `wrt` (0 by default), from one trace.
public func valueAndGrad(_ f: @escaping (Tensor, Tensor, Tensor) -> Tensor, wrt: Int = 0)
    -> (Tensor, Tensor, Tensor) -> (value: Tensor, gradient: Tensor) {
    { a, b, c in
        let r = Gradient.valueAndGradients({ f($0[0], $0[1], $0[2]) }, at: [a, b, c], wrt: [wrt], transform: "valueAndGrad")
        return (r.value, r.gradients[0])
    }
}

/// The gradient with respect to argument `wrt` (0 by default), reverse mode.
public func grad(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> Tensor, wrt: Int = 0)
    -> (Tensor, Tensor, Tensor, Tensor) -> Tensor {
    { a, b, c, d in
        Gradient.valueAndGradients({ f($0[0], $0[1], $0[2], $0[3]) }, at: [a, b, c, d], wrt: [wrt]).gradients[0]
    }
}

/// The gradients with respect to the arguments `wrt`, in that order.
public func grad(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> Tensor, wrt: [Int])
    -> (Tensor, Tensor, Tensor, Tensor) -> [Tensor] {
    { a, b, c, d in Gradient.valueAndGradients({ f($0[0], $0[1], $0[2], $0[3]) }, at: [a, b, c, d], wrt: wrt).gradients }
}

/// The value and the gradient with respect to argument `wrt` (0 by default), from one trace.
public func valueAndGrad(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> Tensor, wrt: Int = 0)
    -> (Tensor, Tensor, Tensor, Tensor) -> (value: Tensor, gradient: Tensor) {
    { a, b, c, d in
        let r = Gradient.valueAndGradients({ f($0[0], $0[1], $0[2], $0[3]) }, at: [a, b, c, d], wrt: [wrt],
                                           transform: "valueAndGrad")
        return (r.value, r.gradients[0])
    }
}
