/// Forward-mode transforms: the tangent graph is appended to the traced graph, as nodes of the
/// same kind, so these nest with every other transform and `compile` accepts what they return.

/// The value of `f` at `x` and its directional derivative along `v` (the Jacobian-vector product
/// `J(x) v`, shaped like the output), from one forward sweep.
///
/// ```swift
/// let (y, dy) = jvp(sin, at: 0.5, tangent: 1)   // sin 0.5, cos 0.5
/// ```
public func jvp(_ f: (Tensor) -> Tensor, at x: Tensor, tangent v: Tensor) -> (value: Tensor, tangent: Tensor) {
    Directional.jvp({ f($0[0]) }, at: [x], tangents: [v])
}

/// The value of a function of a parameter list and its derivative along `tangent` (one tangent
/// per parameter, of its shape).
public func jvp(_ f: ([Tensor]) -> Tensor, at x: [Tensor], tangent v: [Tensor]) -> (value: Tensor, tangent: Tensor) {
    Directional.jvp(f, at: x, tangents: v)
}

/// The value of `f` at `(x.0, x.1)` and its derivative along `(v.0, v.1)`.
public func jvp(_ f: (Tensor, Tensor) -> Tensor, at x: (Tensor, Tensor), tangent v: (Tensor, Tensor))
    -> (value: Tensor, tangent: Tensor) {
    Directional.jvp({ f($0[0], $0[1]) }, at: [x.0, x.1], tangents: [v.0, v.1])
}

/// The value of `f` at `x` and its derivative along `v`, for three arguments.
public func jvp(_ f: (Tensor, Tensor, Tensor) -> Tensor, at x: (Tensor, Tensor, Tensor),
                tangent v: (Tensor, Tensor, Tensor)) -> (value: Tensor, tangent: Tensor) {
    Directional.jvp({ f($0[0], $0[1], $0[2]) }, at: [x.0, x.1, x.2], tangents: [v.0, v.1, v.2])
}

/// The value of `f` at `x` and its derivative along `v`, for four arguments.
public func jvp(_ f: (Tensor, Tensor, Tensor, Tensor) -> Tensor, at x: (Tensor, Tensor, Tensor, Tensor),
                tangent v: (Tensor, Tensor, Tensor, Tensor)) -> (value: Tensor, tangent: Tensor) {
    Directional.jvp({ f($0[0], $0[1], $0[2], $0[3]) }, at: [x.0, x.1, x.2, x.3], tangents: [v.0, v.1, v.2, v.3])
}

/// The derivative of a function of one scalar, whatever its output: `f'(x)`, shaped like `f(x)`.
/// One forward sweep with tangent 1; nest it freely (`deriv(deriv(f))`).
///
/// As in autograd, an input of several elements gets the tangent of ones (`J(x) · 1`): for an
/// elementwise `f`, its derivative at each point, like `elementwiseGrad` but in forward mode.
///
/// ```swift
/// let velocity = deriv { t in stack([cos(t), sin(t)]) }
/// velocity(0)   // [-0.0, 1.0]
/// ```
public func deriv(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in Directional.derivative(f, at: x) }
}

/// The Hessian-vector product `H(x) v` of a function with one output element, by
/// forward-over-reverse (the jvp of the gradient). The Hessian is never formed: the cost is a
/// small constant times the gradient's, whatever the size of `x`.
///
/// ```swift
/// let hvp = compile(hessianVectorProduct(loss))
/// let hv = hvp(x, v)          // shaped like x
/// ```
public func hessianVectorProduct(_ f: @escaping (Tensor) -> Tensor) -> (Tensor, Tensor) -> Tensor {
    { x, v in
        Directional.jvp({ grad(f)($0[0]) }, at: [x], tangents: [v], transform: "hessianVectorProduct").tangent
    }
}

/// The Hessian-vector product for a parameter list: `H v` with one direction per parameter,
/// returned per parameter (the blocks of `H` applied to the whole of `v`).
public func hessianVectorProduct(_ f: @escaping ([Tensor]) -> Tensor) -> ([Tensor], [Tensor]) -> [Tensor] {
    { xs, vs in Directional.jvp({ grad(f)($0) }, at: xs, tangents: vs, transform: "hessianVectorProduct").tangents }
}
