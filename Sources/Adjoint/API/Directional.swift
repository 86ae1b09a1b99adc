/// The core that `jvp`, `vjp`, `elementwiseGrad`, `deriv`, `jacobian`, `hessian` and
/// `hessianVectorProduct` share. Like `Gradient`, each runs through `Staging.transform`: the
/// function is traced at fresh placeholders, the derivative sweep is appended to the same graph,
/// and the result is bound to the actual arguments (inlined into an enclosing trace, or interpreted).
package enum Directional {
    /// The values of `f` at `primals` and their derivatives along `tangents` (one per argument).
    /// The tangents are inputs of the traced graph, so a compiled jvp takes them at run time.
    package static func jvp(_ f: ([Tensor]) -> [Tensor], at primals: [Tensor], tangents: [Tensor],
                            transform: String = "jvp") -> (values: [Tensor], tangents: [Tensor]) {
        guard tangents.map(\.shape) == primals.map(\.shape) else {
            ShapeErrors.fail(ShapeError(transform, primals.map(\.shape) + tangents.map(\.shape),
                                        "each tangent must have the shape of its argument"))
            let values = f(primals)
            return (values, values.map { Tensor.zeros($0.shape) })
        }
        let n = primals.count
        let results = Staging.transform(primals + tangents, { f(Array($0[..<n])) }) { graph, inputs, outputs in
            outputs + graph.forward(wrt: Array(inputs[..<n]), tangents: Array(inputs[n...]), outputs: outputs)
        }
        let k = results.count / 2
        return (Array(results[..<k]), Array(results[k...]))
    }

    /// `jvp` of a function with one result.
    package static func jvp(_ f: ([Tensor]) -> Tensor, at primals: [Tensor], tangents: [Tensor],
                            transform: String = "jvp") -> (value: Tensor, tangent: Tensor) {
        let r = jvp({ [f($0)] }, at: primals, tangents: tangents, transform: transform)
        return (r.values[0], r.tangents[0])
    }

    /// The value of `f` at `primals` and the cotangents of the arguments `wrt` for the output
    /// cotangent `cotangent` (an input of the traced graph), or for ones when it is nil: the
    /// gradient of `sum(f)`.
    package static func vjp(_ f: ([Tensor]) -> Tensor, at primals: [Tensor], cotangent: Tensor?, wrt: [Int],
                            transform: String = "vjp") -> (value: Tensor, cotangents: [Tensor]) {
        guard checkIndices(wrt, count: primals.count, primals, transform) else {
            return (f(primals), primals.map { Tensor.zeros($0.shape) })
        }
        let n = primals.count
        let args = primals + (cotangent.map { [$0] } ?? [])
        let results = Staging.transform(args, { [f(Array($0[..<n]))] }) { graph, inputs, outputs in
            let output = outputs[0]
            let shape = graph.shape(output)
            let zeros = wrt.map { graph.constant(0, shape: graph.shape(inputs[$0])) }
            let seed = cotangent == nil ? graph.constant(1, shape: shape) : inputs[n]
            guard graph.shape(seed) == shape else {
                ShapeErrors.fail(ShapeError(transform, [shape, graph.shape(seed)],
                                            "the cotangent must have the shape of the function's result"))
                return [output] + zeros
            }
            return [output] + graph.reverse(output: output, seed: seed, wrt: wrt.map { inputs[$0] })
        }
        return (results[0], Array(results.dropFirst()))
    }

    /// The Jacobians of `f` at `args` with respect to the arguments `wrt`, each of shape
    /// `output.shape + argument.shape`, built as one graph over all basis directions.
    package static func jacobians(_ f: ([Tensor]) -> Tensor, at args: [Tensor], wrt: [Int], mode: JacobianMode,
                                  transform: String = "jacobian") -> [Tensor] {
        guard checkIndices(wrt, count: args.count, args, transform) else {
            let out = f(args)
            return wrt.map { _ in Tensor.zeros(out.shape) }
        }
        return Staging.transform(args, { [f($0)] }) { graph, inputs, outputs in
            let output = outputs[0]
            let n = wrt.reduce(0) { $0 + Shape.count(graph.shape(inputs[$1])) }
            let m = Shape.count(graph.shape(output))
            let forward = switch mode {
            case .automatic: n <= m
            case .forward: true
            case .reverse: false
            }
            return graph.jacobian(of: output, wrt: wrt.map { inputs[$0] }, forward: forward)
        }
    }

    /// The derivative of `f` at `x` along ones: `J(x) · 1`, shaped like the output, from one
    /// forward sweep whose tangent is the constant 1 (so it costs no argument).
    package static func derivative(_ f: (Tensor) -> Tensor, at x: Tensor) -> Tensor {
        Staging.transform([x], { [f($0[0])] }) { graph, inputs, outputs in
            let one = graph.constant(1, shape: graph.shape(inputs[0]))
            return graph.forward(wrt: [inputs[0]], tangents: [one], outputs: outputs)
        }[0]
    }

    private static func checkIndices(_ wrt: [Int], count: Int, _ args: [Tensor], _ transform: String) -> Bool {
        guard let reason = Gradient.invalid(wrt, count: count) else { return true }
        ShapeErrors.fail(ShapeError(transform, args.map(\.shape), reason, kind: .argument))
        return false
    }
}
