/// Batched tangents and cotangents: many directions pushed (or pulled) through one graph at once.
///
/// A tangent or cotangent of a node of shape `s` may carry leading batch axes: its shape is
/// `batch + s`, the same `batch` for every node of one sweep. The derivative rules read `batch`
/// off the shapes they are given, so one rule serves the plain case (`batch == []`, where every
/// helper here builds exactly the nodes of the unbatched rule) and the vectorized one (a Jacobian's
/// basis directions). Elementwise rules broadcast a primal of shape `s` against `batch + s` as
/// they are; the helpers below shift axes past the batch and keep matrix products rank 2.
extension Graph {
    /// The batch axes of `t`, a (co)tangent of a node of rank `rank`.
    package func batch(of t: NodeID, rank: Int) -> [Int] {
        Array(shape(t).dropLast(rank))
    }

    /// Tangent `t` of shape `batch + s` with ones inserted after the batch up to `batch` plus
    /// `rank` axes, so that it broadcasts against primals aligned on their trailing axes.
    package mutating func lift(_ t: NodeID, batch: [Int], rank: Int) -> NodeID {
        let s = shape(t)
        let inner = s.count - batch.count
        guard !batch.isEmpty, inner < rank else { return t }
        return reshape(t, batch + [Int](repeating: 1, count: rank - inner) + s[batch.count...])
    }

    /// Sums `a` (of shape `batch + s`, with `s` broadcast from `target`) down to `batch + target`:
    /// the adjoint of broadcasting, leaving the batch axes alone.
    package mutating func unbroadcast(_ a: NodeID, to target: [Int], batch: [Int]) -> NodeID {
        if batch.isEmpty { return unbroadcast(a, to: target) }
        let shape = self.shape(a)
        let full = batch + target
        if shape == full { return a }
        let k = batch.count
        let lead = shape.count - full.count
        var axes = Array(k..<(k + lead))
        for axis in (k + lead)..<shape.count where target[axis - k - lead] == 1 && shape[axis] != 1 {
            axes.append(axis)
        }
        return reshape(node(.reduce(.sum, axes), a), full)
    }

    /// Permutation `perm` of a node's axes, applied past `k` leading batch axes.
    package static func shifted(_ perm: [Int], by k: Int) -> [Int] {
        Array(0..<k) + perm.map { $0 + k }
    }

    /// Axes of a node, numbered past `k` leading batch axes.
    package static func shifted(axes: [Int], by k: Int) -> [Int] {
        axes.map { $0 + k }
    }

    /// `t · m` for `t` of shape `batch + [a, b]` and a matrix `m` of shape `[b, c]`: the batch
    /// folds into the rows, so the product stays one rank-2 matmul.
    package mutating func matmul(batched t: NodeID, batch: [Int], _ m: NodeID) -> NodeID {
        if batch.isEmpty { return node(.matmul, t, m) }
        let s = shape(t), p = Shape.count(batch)
        let (a, b) = (s[s.count - 2], s[s.count - 1])
        let product = node(.matmul, reshape(t, [p * a, b]), m)
        return reshape(product, batch + [a, shape(m)[1]])
    }

    /// `m · t` for a matrix `m` of shape `[a, b]` and `t` of shape `batch + [b, c]`: the batch
    /// folds into the columns (`t` is moved to `[b, batch…, c]` first).
    package mutating func matmul(_ m: NodeID, batched t: NodeID, batch: [Int]) -> NodeID {
        if batch.isEmpty { return node(.matmul, m, t) }
        let k = batch.count, s = shape(t), p = Shape.count(batch)
        let (b, c) = (s[k], s[k + 1])
        let columns = reshape(transpose(t, [k] + Array(0..<k) + [k + 1]), [b, p * c])
        let a = shape(m)[0]
        let product = reshape(node(.matmul, m, columns), [a] + batch + [c])
        return transpose(product, Array(1...k) + [0, k + 1])
    }

    /// The `n` basis directions of a tensor of `shape` (n = its element count), as one node of
    /// shape `[n] + shape`: the identity matrix, reshaped. It is built from one vector of indices
    /// and a comparison, so the graph holds O(n) data, not n².
    package mutating func basis(_ shape: [Int]) -> NodeID {
        let n = Shape.count(shape)
        let iota = constant((0..<n).map(Double.init), shape: [n])
        let identity = node(.compare(.equal), reshape(iota, [n, 1]), reshape(iota, [1, n]))
        return reshape(identity, [n] + shape)
    }
}

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
