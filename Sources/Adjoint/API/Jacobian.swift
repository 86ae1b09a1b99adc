/// Jacobians and Hessians, each built as one graph vectorized over the basis directions (a
/// batched jvp or vjp), never as a loop of separate traces: the graph has the size of one
/// derivative sweep whatever the number of directions, and its arrays grow linearly with it.

/// How `jacobian` builds its graph.
public enum JacobianMode: Sendable, Hashable {
    /// Forward mode when the input has no more elements than the output, else reverse mode.
    case automatic
    /// One batched jvp: the input's `n` basis directions pushed forward together. Best when `n ≤ m`.
    case forward
    /// One batched vjp: the output's `m` basis directions pulled back together. Best when `m < n`.
    case reverse
}

/// The Jacobian of `f`: `jacobian(f)(x)[i…, j…] = ∂f(x)[i…] / ∂x[j…]`, of shape
/// `f(x).shape + x.shape`.
///
/// ```swift
/// let J = jacobian { x in x * x }([1, 2, 3] as Tensor)   // diag(2, 4, 6), shape [3, 3]
/// let Jr = jacobian(f, mode: .reverse)                   // force reverse mode
/// ```
public func jacobian(_ f: @escaping (Tensor) -> Tensor, mode: JacobianMode = .automatic) -> (Tensor) -> Tensor {
    { x in Directional.jacobians({ f($0[0]) }, at: [x], wrt: [0], mode: mode)[0] }
}

/// The Jacobian of a function of a parameter list with respect to each parameter: element `i`
/// has shape `f(xs).shape + xs[i].shape`. One graph for all parameters.
public func jacobian(_ f: @escaping ([Tensor]) -> Tensor, mode: JacobianMode = .automatic) -> ([Tensor]) -> [Tensor] {
    { xs in Directional.jacobians(f, at: xs, wrt: Array(xs.indices), mode: mode) }
}

/// The Jacobian of `f` with respect to argument `wrt`, of shape `f(a, b).shape + argument.shape`.
public func jacobian(_ f: @escaping (Tensor, Tensor) -> Tensor, wrt: Int = 0, mode: JacobianMode = .automatic)
    -> (Tensor, Tensor) -> Tensor {
    { a, b in Directional.jacobians({ f($0[0], $0[1]) }, at: [a, b], wrt: [wrt], mode: mode)[0] }
}

/// The Jacobian of `f` with respect to argument `wrt`, for three arguments.
public func jacobian(_ f: @escaping (Tensor, Tensor, Tensor) -> Tensor, wrt: Int = 0, mode: JacobianMode = .automatic)
    -> (Tensor, Tensor, Tensor) -> Tensor {
    { a, b, c in Directional.jacobians({ f($0[0], $0[1], $0[2]) }, at: [a, b, c], wrt: [wrt], mode: mode)[0] }
}

/// The Jacobian of `f` with respect to argument `wrt`, for four arguments.
public func jacobian(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> Tensor, wrt: Int = 0,
                     mode: JacobianMode = .automatic) -> (Tensor, Tensor, Tensor, Tensor) -> Tensor {
    { a, b, c, d in
        Directional.jacobians({ f($0[0], $0[1], $0[2], $0[3]) }, at: [a, b, c, d], wrt: [wrt], mode: mode)[0]
    }
}

/// The Hessian of a function with one output element, of shape `x.shape + x.shape`, by
/// forward-over-reverse: the forward-mode Jacobian of the gradient, one graph for all `n`
/// directions.
///
/// ```swift
/// hessian { x in sum(x * x * x) }([1, 2] as Tensor)   // [[6, 0], [0, 12]]
/// ```
public func hessian(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in Directional.jacobians({ grad(f)($0[0]) }, at: [x], wrt: [0], mode: .forward, transform: "hessian")[0] }
}

/// The Hessian with respect to argument `wrt` (the others held fixed).
public func hessian(_ f: @escaping (Tensor, Tensor) -> Tensor, wrt: Int = 0) -> (Tensor, Tensor) -> Tensor {
    { a, b in
        Directional.jacobians({ grad(f, wrt: wrt)($0[0], $0[1]) }, at: [a, b], wrt: [wrt], mode: .forward,
                              transform: "hessian")[0]
    }
}

/// The Hessian with respect to argument `wrt`, for three arguments.
public func hessian(_ f: @escaping (Tensor, Tensor, Tensor) -> Tensor, wrt: Int = 0) -> (Tensor, Tensor, Tensor) -> Tensor {
    { a, b, c in
        Directional.jacobians({ grad(f, wrt: wrt)($0[0], $0[1], $0[2]) }, at: [a, b, c], wrt: [wrt], mode: .forward,
                              transform: "hessian")[0]
    }
}

/// The Hessian with respect to argument `wrt`, for four arguments.
public func hessian(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> Tensor, wrt: Int = 0)
    -> (Tensor, Tensor, Tensor, Tensor) -> Tensor {
    { a, b, c, d in
        Directional.jacobians({ grad(f, wrt: wrt)($0[0], $0[1], $0[2], $0[3]) }, at: [a, b, c, d], wrt: [wrt],
                              mode: .forward, transform: "hessian")[0]
    }
}
