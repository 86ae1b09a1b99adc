/// The reverse-mode core that `grad`, `valueAndGrad` and their multi-argument forms share.
package enum Gradient {
    /// The value of `f` at `args` and its gradient with respect to the arguments `wrt`.
    /// `f` must have a single-element output; the gradients have their arguments' shapes.
    /// Arguments not in `wrt` are constants: no derivative is built for them.
    package static func valueAndGradients(_ f: ([Tensor]) -> Tensor, at args: [Tensor], wrt: [Int],
                                          transform: String = "grad") -> (value: Tensor, gradients: [Tensor]) {
        if let reason = invalid(wrt, count: args.count) {
            ShapeErrors.fail(ShapeError(transform, args.map(\.shape), reason, kind: .argument))
            return (Tensor(0), wrt.map { args.indices.contains($0) ? Tensor.zeros(args[$0].shape) : Tensor(0) })
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

    /// Why `wrt` does not name distinct arguments among `count`, or nil when it does.
    package static func invalid(_ wrt: [Int], count: Int) -> String? {
        if let bad = wrt.first(where: { !(0..<count).contains($0) }) {
            return "argument index \(bad) in wrt \(wrt) is out of range for \(count) arguments"
        }
        // wrt is a handful of indices: a quadratic scan allocates nothing.
        for (k, index) in wrt.enumerated() where wrt[..<k].contains(index) {
            return "argument index \(index) is listed twice in wrt \(wrt)"
        }
        return nil
    }
}
