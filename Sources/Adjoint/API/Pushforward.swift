/// `jvp(f)` and `vjp(f)` as values: a function's pushforward and pullback, callable at a point
/// and a direction, and accepted by `compile`.
///
/// They are small structs rather than closures because Swift converts between tuple types whose
/// labels differ (with a warning only), so `compile` could not tell a closure returning
/// `(value:tangent:)` from one returning `(value:gradient:)`; a nominal type keeps the overloads
/// apart, and calling it still gives the labeled tuple.

/// The pushforward of a function: `(x, v) ↦ (f(x), J(x) v)`, from one forward sweep.
///
/// ```swift
/// let push = jvp(f)
/// let (y, dy) = push(x, v)
/// let fast = compile(push)        // the tangent is a run-time argument of the kernel
/// ```
public struct Pushforward {
    let function: (Tensor) -> Tensor

    /// The value of the function at `x` and its derivative along `v` (shaped like the value).
    public func callAsFunction(_ x: Tensor, _ v: Tensor) -> (value: Tensor, tangent: Tensor) {
        Directional.jvp({ function($0[0]) }, at: [x], tangents: [v])
    }
}

/// The pullback of a function: `(x, u) ↦ (f(x), uᵀ J(x))`, from one reverse sweep.
///
/// ```swift
/// let pull = vjp(f)
/// let (y, g) = pull(x, u)         // g has the shape of x
/// let fast = compile(pull)        // the cotangent is a run-time argument of the kernel
/// ```
public struct Pullback {
    let function: (Tensor) -> Tensor

    /// The value of the function at `x` and the cotangent of `x` for the output cotangent `u`.
    public func callAsFunction(_ x: Tensor, _ u: Tensor) -> (value: Tensor, cotangent: Tensor) {
        let r = Directional.vjp({ function($0[0]) }, at: [x], cotangent: u, wrt: [0])
        return (r.value, r.cotangents[0])
    }
}

/// The pushforward of `f`, for calling at many points and directions or for `compile(jvp(f))`.
public func jvp(_ f: @escaping (Tensor) -> Tensor) -> Pushforward { Pushforward(function: f) }

/// The pullback of `f`, for calling at many points and cotangents or for `compile(vjp(f))`.
public func vjp(_ f: @escaping (Tensor) -> Tensor) -> Pullback { Pullback(function: f) }

// MARK: - Calling them compiled (and the compiled Hessian-vector product of a parameter list)

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
        guard xs.count == vs.count else {
            ShapeErrors.fail(ShapeError("compiled function of two lists", xs.map(\.shape) + vs.map(\.shape),
                                        "the lists must have equal lengths, got \(xs.count) and \(vs.count) tensors"))
            return xs.map { Tensor.zeros($0.shape) }
        }
        return specializations.call(xs + vs)
    }
}
