/// Calling compiled forward-mode transforms: the same shapes as the functions compiled
/// (`compile(jvp(f))`, `compile(vjp(f))`, `compile(hessianVectorProduct(f))` of a parameter list).

extension CompiledFunction where Arguments == (Tensor, Tensor), Result == (value: Tensor, tangent: Tensor) {
    /// The value and the tangent at `x` along `v`.
    public func callAsFunction(_ x: Tensor, _ v: Tensor) -> (value: Tensor, tangent: Tensor) {
        let r = specializations.call([x, v])
        return (r[0], r[1])
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor), Result == (value: Tensor, cotangent: Tensor) {
    /// The value at `x` and the cotangent of `x` for the output cotangent `u`.
    public func callAsFunction(_ x: Tensor, _ u: Tensor) -> (value: Tensor, cotangent: Tensor) {
        let r = specializations.call([x, u])
        return (r[0], r[1])
    }
}

extension CompiledFunction where Arguments == ([Tensor], [Tensor]), Result == [Tensor] {
    /// The function of two lists of equal length (a point and a direction, for a Hessian-vector product).
    public func callAsFunction(_ xs: [Tensor], _ vs: [Tensor]) -> [Tensor] {
        precondition(xs.count == vs.count, "compiled function of two lists: got \(xs.count) and \(vs.count) tensors")
        return specializations.call(xs + vs)
    }
}
