/// The reverse-mode core that `grad`, `valueAndGrad` and their multi-argument forms share.
package enum Gradient {
    /// The value of `f` at `args` and its gradient with respect to the arguments `wrt`.
    /// `f` must have a single-element output; the gradients have their arguments' shapes.
    package static func valueAndGradients(_ f: ([Tensor]) -> Tensor, at args: [Tensor], wrt: [Int],
                                          transform: String = "grad") -> (value: Tensor, gradients: [Tensor]) {
        guard wrt.allSatisfy({ args.indices.contains($0) }) else {
            ShapeErrors.fail(ShapeError(transform, args.map(\.shape),
                                        "argument index \(wrt) out of range for \(args.count) arguments"))
            return (Tensor(0), args.map { Tensor.zeros($0.shape) })
        }
        let results = Staging.transform(args, { [f($0)] }) { graph, inputs, outputs in
            let output = outputs[0]
            let shape = graph.shape(output)
            guard Shape.count(shape) == 1 else {
                ShapeErrors.fail(ShapeError(transform, [shape],
                    "the function must return one element (a loss); use jacobian or elementwiseGrad for more"))
                return [output] + wrt.map { graph.constant(0, shape: graph.shape(inputs[$0])) }
            }
            let seed = graph.constant(1, shape: shape)
            return [output] + graph.reverse(output: output, seed: seed, wrt: wrt.map { inputs[$0] })
        }
        return (results[0], Array(results.dropFirst()))
    }
}
