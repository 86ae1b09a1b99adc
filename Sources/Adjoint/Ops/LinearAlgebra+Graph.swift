/// Graph helpers of the linear-algebra rules: solves whose right-hand side carries a direction
/// batch, products with a system's solution, and the constant masks of triangles.
///
/// Shapes: a system's matrix is `B + [n, n]` (B: its stack of leading axes, `stack` of them), its
/// right-hand side and solution `B + [n] + M` with M = [] (a vector) or [m]; a (co)tangent has
/// the direction batch D in front: `D + B + [n] + M`.
extension Graph {
    /// `solve(t)` for `t` of shape `batch + B + [n] + M`, where `solve` takes `B + [n] + M` or
    /// `B + [n, columns]`: the direction batch moves into the columns, so it stays one solve.
    mutating func solving(_ t: NodeID, batch: [Int], stack: Int, _ solve: (inout Graph, NodeID) -> NodeID) -> NodeID {
        if batch.isEmpty { return solve(&self, t) }
        let k = batch.count, s = shape(t)
        let perm = Array(k..<(k + stack + 1)) + Array(0..<k) + Array((k + stack + 1)..<s.count)
        let moved = transpose(t, perm)
        let lead = perm.prefix(stack + 1).map { s[$0] }
        let columns = reshape(moved, lead + [Shape.count(s) / Swift.max(Shape.count(lead), 1)])
        let solved = reshape(solve(&self, columns), perm.map { s[$0] })
        return transpose(solved, Graph.inverse(perm))
    }

    /// `t · xᵀ` for `t` of shape `D + B + [n] + M` and a solution `x` of shape `B + [n] + M`:
    /// `D + B + [n, n]` (an outer product for vectors).
    mutating func timesTransposed(_ t: NodeID, _ x: NodeID, vector: Bool) -> NodeID {
        guard vector else { return matrixProduct(t, swapLastAxes(x)) }
        let (st, sx) = (shape(t), shape(x))
        return mul(reshape(t, st + [1]), reshape(x, Array(sx.dropLast()) + [1, sx.last!]))
    }

    /// `m · x` for `m` of shape `D + B + [n, n]` and a solution `x` of shape `B + [n] + M`:
    /// `D + B + [n] + M`, shaped as the tangent of x.
    mutating func times(_ m: NodeID, _ x: NodeID, vector: Bool) -> NodeID {
        guard vector else { return matrixProduct(m, x) }
        let column = matrixProduct(m, reshape(x, shape(x) + [1]))
        return reshape(column, Array(shape(column).dropLast()))
    }

    /// 1 on the lower (or upper) triangle of an n×n matrix, diagonal included, else 0: built
    /// from a vector of indices and a comparison, so the graph holds O(n) data, not n².
    mutating func triangle(_ n: Int, lower: Bool) -> NodeID {
        let (rows, columns) = indexGrid(n)
        return lower ? node(.compare(.greaterEqual), rows, columns) : node(.compare(.lessEqual), rows, columns)
    }

    /// 1 strictly below the diagonal of an n×n matrix, else 0.
    mutating func strictlyLower(_ n: Int) -> NodeID {
        let (rows, columns) = indexGrid(n)
        return node(.compare(.greater), rows, columns)
    }

    /// The n×n identity.
    mutating func identity(_ n: Int) -> NodeID { basis([n]) }

    /// The row and column indices of an n×n matrix, as [n, 1] and [1, n].
    private mutating func indexGrid(_ n: Int) -> (NodeID, NodeID) {
        let iota = constant((0..<n).map(Double.init), shape: [n])
        return (reshape(iota, [n, 1]), reshape(iota, [1, n]))
    }
}
