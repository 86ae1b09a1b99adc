import AdjointRuntime

/// One pass over a matrix's rows for what a gradient otherwise reads it for twice.
///
/// The gradient of a linear model (logistic regression, least squares, a GLM) computes z = X·w,
/// then row-wise work on z giving v (each vᵢ from zᵢ and other values of row i), then Xᵀ·v. As
/// three steps, X (often megabytes) streams from memory twice. As a pass, each block of rows is
/// read once into L1: its part of X·w, the row-wise work on those rows, and its contribution to
/// Xᵀ·v added in, while the block is still in cache.
///
/// Lowering finds it in the scheduled program, after loops are formed: a product P = X·w
/// (w one column) whose readers are all members of one loop L reading it at their own index (or
/// run after L), and an accumulation Q = Xᵀ·v over the same memory with v computed in L. L must
/// run over one axis of X's row count, so its index is the row. A row-wise op that reads another
/// row of z (a roll, a cumulative sum) sits in a later loop, and then nothing fuses; nor does a
/// matrix read once.
extension LoopProgram {
    package struct RowPass: Sendable, Equatable {
        /// The matrix whose rows the pass reads (an n×d row-major memory).
        package var matrix: NodeID
        package var rows: Int
        package var columns: Int
        /// Rows per block: the block stays in L1 between the products and the accumulations.
        package var blockRows: Int
        /// Products X·w, computed block by block before the loop's body runs on the block.
        package var products: [NodeID]
        /// The loop whose body runs on each block's rows.
        package var loop: Int
        /// Accumulations Xᵀ·v, zeroed before the pass and added into block by block after the body.
        package var accumulations: [NodeID]
    }

    /// Matrices with fewer elements than this stay in L1/L2 between two passes anyway, and small
    /// products keep `adj_matmul`'s exact order (the interpreter's bits).
    package static let rowPassMinimum = 16384

    /// Bytes of the matrix a block reads: a block should stay in L1 (32–48 KB per core).
    private static let blockBytes = 32768

    /// Finds the row passes and moves their products and accumulations to their loop's time, so
    /// that the memory plan sees them written during the pass.
    mutating func findRowPasses() {
        var products: [NodeID: [NodeID]] = [:]
        var accumulations: [NodeID: [NodeID]] = [:]
        for index in 0..<graph.count where roles[index] == .routine && graph.nodes[index].op == .matmul {
            let id = NodeID(index)
            guard let (matrix, transposed) = rowPassOperand(id) else { continue }
            if transposed { accumulations[matrix, default: []].append(id) } else { products[matrix, default: []].append(id) }
        }
        var taken = Set<Int>()
        for (matrix, found) in products.sorted(by: { $0.key.index < $1.key.index }) {
            guard let candidates = accumulations[matrix] else { continue }
            var byLoop: [Int: [NodeID]] = [:]
            for product in found {
                if let loop = rowLoop(reading: product), !taken.contains(loop) { byLoop[loop, default: []].append(product) }
            }
            for (loop, products) in byLoop.sorted(by: { $0.key < $1.key }) {
                let fed = candidates.filter { accumulates(into: $0, from: loop) }
                guard !fed.isEmpty else { continue }
                let shape = graph.shape(graph[products[0]].operands[0])
                taken.insert(loop)
                let block = Swift.max(4, (LoopProgram.blockBytes / 8 / shape[1]) & ~3)
                rowPasses.append(RowPass(matrix: matrix, rows: shape[0], columns: shape[1], blockRows: Swift.min(block, shape[0]),
                                         products: products, loop: loop, accumulations: fed))
                for node in products + fed { times[node.int] = loops[loop].time }
            }
        }
    }

    /// For a matrix product with one column (n×d times d×1), big enough to fuse: the memory of its
    /// left operand (through reshapes) and whether it is read transposed.
    private func rowPassOperand(_ id: NodeID) -> (NodeID, Bool)? {
        let operands = graph[id].operands
        let (a, b) = (graph.shape(operands[0]), graph.shape(operands[1]))
        guard b[1] == 1, graph[id].count > 1, a[0] > 1, a[1] > 1, a[0] * a[1] >= LoopProgram.rowPassMinimum else { return nil }
        let source = routineSource(operands[0])
        let matrix = memoryRoot(source.node)
        guard graph[matrix].op.constantValue == nil else { return nil }
        return (matrix, source.transposed)
    }

    /// The node whose memory `id` is (reshapes share their operand's memory).
    private func memoryRoot(_ id: NodeID) -> NodeID {
        var id = id
        while roles[id.int] == .alias { id = graph[id].operands[0] }
        return id
    }

    /// The loop that reads product `id` row by row, if its every reader allows the pass: members
    /// of that loop reading it at their own index, or steps that run after the loop.
    private func rowLoop(reading id: NodeID) -> Int? {
        var direct: [(reader: NodeID, read: NodeID)] = []
        var pending = [id]
        while let node = pending.popLast() {
            for reader in users[node] {
                if roles[reader.int] == .alias { pending.append(reader) } else { direct.append((reader, node)) }
            }
        }
        let rows = graph.shape(graph[id].operands[0])[0]
        guard let first = direct.first(where: { if case .member = roles[$0.reader.int] { true } else { false } }),
              case .member(let loop) = roles[first.reader.int], loops[loop].time > times[id.int],
              Shape.count(loops[loop].shape) == rows, loops[loop].shape.filter({ $0 != 1 }).count == 1 else { return nil }
        let time = loops[loop].time
        for (reader, read) in direct {
            if roles[reader.int] == .member(loop: loop) {
                if !readsDirectly(reader, read) { return nil }
            } else if !(times[reader.int] > time || (roles[reader.int] == .routine && times[reader.int] == time)) {
                return nil
            }
        }
        return loop
    }

    /// Whether accumulation `id` (Xᵀ·v) can run in the pass of `loop`: v is computed in the loop,
    /// and the accumulation runs after it today (so moving it into the pass makes it no later).
    private func accumulates(into id: NodeID, from loop: Int) -> Bool {
        let v = memoryRoot(routineSource(graph[id].operands[1]).node)
        return roles[v.int] == .member(loop: loop) && !isReduction(v) && times[id.int] > loops[loop].time
    }
}

extension Routine {
    private typealias RowsCall = @convention(c) (
        UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int
    ) -> Void

    /// `adj_rows_dot`: one block of X·w in a row pass (Runtime/rows.c).
    package static let rowsDot = Routine(name: "adj_rows_dot", file: "rows.c",
                                         address: unsafeBitCast(adj_rows_dot as RowsCall, to: UnsafeRawPointer.self))

    /// `adj_rows_accumulate`: one block of Xᵀ·v added in, in a row pass (Runtime/rows.c).
    package static let rowsAccumulate = Routine(
        name: "adj_rows_accumulate", file: "rows.c",
        address: unsafeBitCast(adj_rows_accumulate as RowsCall, to: UnsafeRawPointer.self))
}
