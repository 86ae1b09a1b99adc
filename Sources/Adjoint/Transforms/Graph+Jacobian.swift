/// Jacobians as one graph: every basis direction at once, through the batched derivative rules.
///
/// Forward mode pushes the identity (`n` directions, one per input element) through the tangent
/// sweep as one batch; reverse mode pulls the identity on the output (`m` directions) back as
/// one batch. Either way the graph has as many nodes as one jvp or one vjp, whatever `n` or `m`;
/// only the extents of the batched nodes grow, linearly in the number of directions.
extension Graph {
    /// The Jacobian of `output` with respect to each of `wrt`, shaped `shape(output) + shape(w)`.
    /// `forward` chooses forward mode (one batch of input directions) over reverse mode (one batch
    /// of output directions).
    package mutating func jacobian(of output: NodeID, wrt: [NodeID], forward: Bool) -> [NodeID] {
        let outShape = shape(output)
        let m = Shape.count(outShape)
        let sizes = wrt.map { Shape.count(shape($0)) }
        let n = sizes.reduce(0, +)
        guard m > 0, n > 0 else { return wrt.map { constant(0, shape: outShape + shape($0)) } }
        if !forward {
            let cotangents = reverse(output: output, seed: basis(outShape), wrt: wrt)
            return zip(cotangents, wrt).map { reshape($0, outShape + shape($1)) }
        }
        // One batch of n directions for all the inputs: input i takes its block of columns of
        // the identity, so the tangent sweep runs once.
        let identity = basis([n])
        var offsets = [0]
        for size in sizes { offsets.append(offsets.last! + size) }
        let tangents = wrt.indices.map { i in
            reshape(node(.slice(axis: 1, start: offsets[i], end: offsets[i + 1]), identity), [n] + shape(wrt[i]))
        }
        let pushed = reshape(self.forward(wrt: wrt, tangents: tangents, outputs: [output])[0], [n, m])
        return wrt.indices.map { i in
            let rows = node(.slice(axis: 0, start: offsets[i], end: offsets[i + 1]), pushed)
            return reshape(transpose(rows), outShape + shape(wrt[i]))
        }
    }
}
