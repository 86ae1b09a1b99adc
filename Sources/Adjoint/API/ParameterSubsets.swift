/// Gradients with respect to some of the arguments: a subset of a parameter list, or several of
/// two to four separate arguments at once in `valueAndGrad`. The arguments not listed are
/// constants (no derivative is built for them, in the graph or in compiled code), and the
/// gradients come in the order listed. An index out of range or listed twice is reported as an
/// invalid argument (a trap, or a thrown `ShapeError` under `Tensor.checkingShapes`).
///
/// ```swift
/// func loss(_ p: [Tensor]) -> Tensor { sum(p[0] * p[1]) + sum(p[2] * p[2]) }
/// let g = grad(loss, wrt: [2, 0])(params)             // [∂/∂p₂, ∂/∂p₀]
/// let (value, gs) = compile(valueAndGrad(loss, wrt: [0]))(params)
/// ```

/// The gradients with respect to the parameters `wrt` of a parameter list, in that order.
public func grad(_ f: @escaping ([Tensor]) -> Tensor, wrt: [Int]) -> ([Tensor]) -> [Tensor] {
    { xs in Gradient.valueAndGradients(f, at: xs, wrt: wrt).gradients }
}

/// The gradient with respect to parameter `wrt` of a parameter list (shaped like it).
public func grad(_ f: @escaping ([Tensor]) -> Tensor, wrt: Int) -> ([Tensor]) -> Tensor {
    { xs in Gradient.valueAndGradients(f, at: xs, wrt: [wrt]).gradients[0] }
}

/// The value and the gradients with respect to the parameters `wrt`, in that order, from one trace.
public func valueAndGrad(_ f: @escaping ([Tensor]) -> Tensor, wrt: [Int]) -> ([Tensor]) -> (value: Tensor, gradient: [Tensor]) {
    { xs in
        let r = Gradient.valueAndGradients(f, at: xs, wrt: wrt, transform: "valueAndGrad")
        return (r.value, r.gradients)
    }
}

/// The value and the gradient with respect to parameter `wrt` of a parameter list.
public func valueAndGrad(_ f: @escaping ([Tensor]) -> Tensor, wrt: Int) -> ([Tensor]) -> (value: Tensor, gradient: Tensor) {
    { xs in
        let r = Gradient.valueAndGradients(f, at: xs, wrt: [wrt], transform: "valueAndGrad")
        return (r.value, r.gradients[0])
    }
}

/// The value and the gradients with respect to the arguments `wrt`, in that order.
public func valueAndGrad(_ f: @escaping (Tensor, Tensor) -> Tensor, wrt: [Int])
    -> (Tensor, Tensor) -> (value: Tensor, gradient: [Tensor]) {
    { a, b in
        let r = Gradient.valueAndGradients({ f($0[0], $0[1]) }, at: [a, b], wrt: wrt, transform: "valueAndGrad")
        return (r.value, r.gradients)
    }
}

/// The value and the gradients with respect to the arguments `wrt`, for three arguments.
public func valueAndGrad(_ f: @escaping (Tensor, Tensor, Tensor) -> Tensor, wrt: [Int])
    -> (Tensor, Tensor, Tensor) -> (value: Tensor, gradient: [Tensor]) {
    { a, b, c in
        let r = Gradient.valueAndGradients({ f($0[0], $0[1], $0[2]) }, at: [a, b, c], wrt: wrt, transform: "valueAndGrad")
        return (r.value, r.gradients)
    }
}

/// The value and the gradients with respect to the arguments `wrt`, for four arguments.
public func valueAndGrad(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> Tensor, wrt: [Int])
    -> (Tensor, Tensor, Tensor, Tensor) -> (value: Tensor, gradient: [Tensor]) {
    { a, b, c, d in
        let r = Gradient.valueAndGradients({ f($0[0], $0[1], $0[2], $0[3]) }, at: [a, b, c, d], wrt: wrt,
                                           transform: "valueAndGrad")
        return (r.value, r.gradients)
    }
}

// MARK: - Compiling them

/// `compile(valueAndGrad(f, wrt: k))` for a parameter list.
public func compile(_ f: @escaping ([Tensor]) -> (value: Tensor, gradient: Tensor), maxSpecializations: Int = 32)
    -> CompiledFunction<[Tensor], (value: Tensor, gradient: Tensor)> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0); return [r.value, r.gradient] }
}

/// `compile(valueAndGrad(f, wrt: [i, j]))` for two arguments.
public func compile(_ f: @escaping (Tensor, Tensor) -> (value: Tensor, gradient: [Tensor]), maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor), (value: Tensor, gradient: [Tensor])> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0[0], $0[1]); return [r.value] + r.gradient }
}

/// `compile(valueAndGrad(f, wrt: [...]))` for three arguments.
public func compile(_ f: @escaping (Tensor, Tensor, Tensor) -> (value: Tensor, gradient: [Tensor]), maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor, Tensor), (value: Tensor, gradient: [Tensor])> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0[0], $0[1], $0[2]); return [r.value] + r.gradient }
}

/// `compile(valueAndGrad(f, wrt: [...]))` for four arguments.
public func compile(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> (value: Tensor, gradient: [Tensor]),
                    maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor, Tensor, Tensor), (value: Tensor, gradient: [Tensor])> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0[0], $0[1], $0[2], $0[3]); return [r.value] + r.gradient }
}

extension CompiledFunction where Arguments == [Tensor], Result == (value: Tensor, gradient: Tensor) {
    /// The value and the gradient with respect to the one parameter compiled for.
    public func callAsFunction(_ xs: [Tensor]) -> (value: Tensor, gradient: Tensor) {
        let r = specializations.call(xs)
        return (r[0], r[1])
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor), Result == (value: Tensor, gradient: [Tensor]) {
    /// The value and the gradients with respect to the arguments compiled for.
    public func callAsFunction(_ a: Tensor, _ b: Tensor) -> (value: Tensor, gradient: [Tensor]) {
        let r = specializations.call([a, b])
        return (r[0], Array(r.dropFirst()))
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor, Tensor), Result == (value: Tensor, gradient: [Tensor]) {
    /// The value and the gradients with respect to the arguments compiled for.
    public func callAsFunction(_ a: Tensor, _ b: Tensor, _ c: Tensor) -> (value: Tensor, gradient: [Tensor]) {
        let r = specializations.call([a, b, c])
        return (r[0], Array(r.dropFirst()))
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor, Tensor, Tensor), Result == (value: Tensor, gradient: [Tensor]) {
    /// The value and the gradients with respect to the arguments compiled for.
    public func callAsFunction(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ d: Tensor) -> (value: Tensor, gradient: [Tensor]) {
        let r = specializations.call([a, b, c, d])
        return (r[0], Array(r.dropFirst()))
    }
}
