import Adjoint

// Forward-mode transforms that API.md names and another branch is adding to the library. Until it
// lands, the command line has them here, as nested reverse mode: correct, though not vectorized.

/// The hessian of a function with one output element: shape `x.shape + x.shape`. Row i is the
/// gradient of the i-th gradient component, so this traces `f` once per element of `x`.
// TODO(merge): use Adjoint.hessian once forward mode lands
func hessian(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in
        let n = x.shape.reduce(1, *)
        let rows = (0..<n).map { i in grad { x in grad(f)(x).reshaped([-1])[i] }(x) }
        return stack(rows).reshaped(x.shape + x.shape)
    }
}

/// d/dx of `sum(f(x))`: for an elementwise `f`, f′ at each point.
// TODO(merge): use Adjoint.elementwiseGrad once forward mode lands
func elementwiseGrad(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    grad { x in sum(f(x)) }
}
