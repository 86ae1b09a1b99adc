/// Reverse mode with an explicit cotangent (`vjp`) or with ones (`elementwiseGrad`), for
/// functions of any output shape.

/// The value of `f` at `x` and the vector-Jacobian product `uᵀ J(x)` for the output cotangent
/// `u` (shaped like the output); the result is shaped like `x`.
///
/// ```swift
/// let (y, g) = vjp({ x in x * x }, at: [1, 2], cotangent: [1, 0])   // g = [2, 0]
/// ```
public func vjp(_ f: (Tensor) -> Tensor, at x: Tensor, cotangent u: Tensor) -> (value: Tensor, cotangent: Tensor) {
    let r = Directional.vjp({ f($0[0]) }, at: [x], cotangent: u, wrt: [0])
    return (r.value, r.cotangents[0])
}

/// The value of a function of a parameter list and the cotangent of each parameter.
public func vjp(_ f: ([Tensor]) -> Tensor, at x: [Tensor], cotangent u: Tensor) -> (value: Tensor, cotangent: [Tensor]) {
    let r = Directional.vjp(f, at: x, cotangent: u, wrt: Array(x.indices))
    return (r.value, r.cotangents)
}

/// The value of `f` at `(x.0, x.1)` and the cotangent of each argument, in order.
public func vjp(_ f: (Tensor, Tensor) -> Tensor, at x: (Tensor, Tensor), cotangent u: Tensor)
    -> (value: Tensor, cotangent: [Tensor]) {
    vjp({ f($0[0], $0[1]) }, at: [x.0, x.1], cotangent: u)
}

/// The value of `f` at `x` and the cotangent of each argument, for three arguments.
public func vjp(_ f: (Tensor, Tensor, Tensor) -> Tensor, at x: (Tensor, Tensor, Tensor), cotangent u: Tensor)
    -> (value: Tensor, cotangent: [Tensor]) {
    vjp({ f($0[0], $0[1], $0[2]) }, at: [x.0, x.1, x.2], cotangent: u)
}

/// The value of `f` at `x` and the cotangent of each argument, for four arguments.
public func vjp(_ f: (Tensor, Tensor, Tensor, Tensor) -> Tensor, at x: (Tensor, Tensor, Tensor, Tensor),
                cotangent u: Tensor) -> (value: Tensor, cotangent: [Tensor]) {
    vjp({ f($0[0], $0[1], $0[2], $0[3]) }, at: [x.0, x.1, x.2, x.3], cotangent: u)
}

/// The gradient of `sum(f(x))`: for an elementwise `f`, its derivative at each point, in one
/// reverse sweep (the vjp with ones). Nests to any order:
///
/// ```swift
/// let x = Tensor(linspace: -7, 7, count: 200)
/// let d4 = elementwiseGrad(elementwiseGrad(elementwiseGrad(elementwiseGrad(tanh))))
/// d4(x)   // tanh'''' at 200 points
/// ```
public func elementwiseGrad(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in Directional.vjp({ f($0[0]) }, at: [x], cotangent: nil, wrt: [0], transform: "elementwiseGrad").cotangents[0] }
}

/// The gradient of `sum(f(xs))` with respect to each tensor of a parameter list.
public func elementwiseGrad(_ f: @escaping ([Tensor]) -> Tensor) -> ([Tensor]) -> [Tensor] {
    { xs in Directional.vjp(f, at: xs, cotangent: nil, wrt: Array(xs.indices), transform: "elementwiseGrad").cotangents }
}

/// The gradient of `sum(f(a, b))` with respect to argument `wrt`.
public func elementwiseGrad(_ f: @escaping (Tensor, Tensor) -> Tensor, wrt: Int = 0) -> (Tensor, Tensor) -> Tensor {
    { a, b in
        Directional.vjp({ f($0[0], $0[1]) }, at: [a, b], cotangent: nil, wrt: [wrt], transform: "elementwiseGrad").cotangents[0]
    }
}

/// The gradient of `sum(f(a, b, c))` with respect to argument `wrt`.
public func elementwiseGrad(_ f: @escaping (Tensor, Tensor, Tensor) -> Tensor, wrt: Int = 0)
    -> (Tensor, Tensor, Tensor) -> Tensor {
    { a, b, c in
        Directional.vjp({ f($0[0], $0[1], $0[2]) }, at: [a, b, c], cotangent: nil, wrt: [wrt],
                        transform: "elementwiseGrad").cotangents[0]
    }
}

/// The gradient of `sum(f(a, b, c, d))` with respect to argument `wrt`.
public func elementwiseGrad(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> Tensor, wrt: Int = 0)
    -> (Tensor, Tensor, Tensor, Tensor) -> Tensor {
    { a, b, c, d in
        Directional.vjp({ f($0[0], $0[1], $0[2], $0[3]) }, at: [a, b, c, d], cotangent: nil, wrt: [wrt],
                        transform: "elementwiseGrad").cotangents[0]
    }
}
