/// The loop IR: a graph scheduled into straight-line scalar statements, fused loops and runtime
/// calls, with a storage decision for every node. The C emitter prints it one step at a time.
package struct LoopProgram: Sendable {
    /// How a node is computed.
    package enum Role: Sendable, Equatable {
        /// Not needed by any output or guard.
        case dead
        /// An input, a tensor constant or a splat constant: nothing to compute.
        case leaf
        /// One element: a straight-line statement.
        case scalar
        /// Computed inside loop `loop`: elementwise ops, index-mapped reads (broadcast, transpose,
        /// slice, pad, concat), and reductions, which accumulate while their operand's loop runs.
        case member(loop: Int)
        /// A call of a Runtime routine (a matrix product, a solve); for a node with several
        /// results, the call writes each of its projections.
        case routine
        /// Result k of a node with several results: memory its routine writes.
        case result
        /// A reshape: the same memory as its operand.
        case alias
    }

    /// Where a node's value lives.
    package enum Storage: Sendable, Equatable {
        case none
        /// `in[i]`.
        case input(Int)
        /// A tensor constant, the k-th of the kernel's data arrays.
        case data(Int)
        /// A splat constant, printed inline.
        case literal(Double)
        /// A C local `double` at function scope.
        case scalar
        /// A C local `double` inside the body of its loop.
        case loopLocal
        /// `ws + offset` in the caller's workspace (in elements).
        case buffer(offset: Int)
        /// `out[j]`, written in place.
        case output(Int)
        /// The memory of another node (reshape).
        case alias(NodeID)
    }

    /// A fused loop over `shape`: its members run in this order for each element.
    package struct Loop: Sendable {
        package var shape: [Int]
        package var time: Int
        package var members: [NodeID] = []
    }

    package enum Step: Sendable, Equatable {
        case scalar(NodeID)
        case check(guardIndex: Int)
        case loop(Int)
        /// A pass over a matrix's rows, block by block: its products, loop and accumulations
        /// (`rowPasses[k]`, Lower/RowPass.swift).
        case rowPass(Int)
        /// A run of statements repeating one body, as one C loop (`rerolls[k]`, Lower/Reroll.swift).
        case rerolled(Int)
        /// The Runtime routine call of a node.
        case call(NodeID)
        /// Copy node's value into output j (outputs that are inputs, constants, scalars, or staged
        /// behind guards).
        case copy(output: Int, NodeID)
    }

    package var graph: Graph
    package var inputShapes: [[Int]]
    package var outputs: [NodeID]
    package var guards: [Guard]
    package var roles: [Role]
    package var storage: [Storage]
    package var times: [Int]
    package var loops: [Loop] = []
    package var rowPasses: [RowPass] = []
    package var rerolls: [Reroll] = []
    package var rerollIndex = RerollIndex(count: 0)
    /// Statements of `sin x` and `cos x` written as one `sincos` call (SineCosinePairs.swift); empty if none.
    package var sineCosinePartner: [Int32] = []
    package var steps: [Step] = []
    /// The graph's `.data` indices in kernel order (`storage` `.data(k)` is `graph.data[dataArrays[k]]`).
    package var dataArrays: [Int] = []
    /// Elements of workspace the kernel needs.
    package var workspaceCount = 0
    /// Where each routine call's scratch (its `.workspace` argument) starts in the workspace.
    package var scratch: [NodeID: Int] = [:]

    package var outputShapes: [[Int]] { outputs.map { graph.shape($0) } }

    /// For an operand of a routine call: the node to read and whether it is read transposed (a
    /// `transpose` of a matrix is absorbed into the call, when the routine reads it transposed
    /// by a flag, instead of being materialized).
    package func routineSource(_ operand: NodeID) -> (node: NodeID, transposed: Bool) {
        if absorbed.contains(operand) { return (graph[operand].operands[0], true) }
        return (operand, false)
    }

    /// Each node's row traits, read once (lowering and the emitter ask for them many times a node).
    package var reduces: [Bool] = []
    /// The C form of each elementwise node (nil for the rest).
    package var forms: [CForm?] = []
    package var kinds: [Lowering.Kind] = []
    /// Each node's row, by identity: the stages that look for one op (a sine, a cosine) or
    /// compare ops read this array instead of the nodes (W6's 140,000 nodes are 11 MB).
    package var rows: [ObjectIdentifier] = []

    /// The projections of each tuple node (a node with several results), by result.
    package var projections: [NodeID: [NodeID]] = [:]

    /// Who reads each node (by `reads`), once roles are known.
    package var users = Users(count: 0) { _ in }

    /// Transposes of matrices read only by routine calls that read them in place: no code of their own.
    package var absorbed: Set<NodeID> = []

    /// The root of a chain of aliases.
    package func root(_ id: NodeID) -> NodeID {
        var id = id
        while case .alias(let target) = storage[id.int] { id = target }
        return id
    }
}

extension LoopProgram {
    /// A rough count of the scalar operations one run of the kernel's own code performs: one per
    /// statement, per element of every loop member, per element copied or written by a routine
    /// call (whose arithmetic runs in the runtime, already optimized). It weighs how much a
    /// kernel gains from the optimized tier (see Kernel+Optimize.swift).
    package var estimatedOperations: Int {
        steps.reduce(0) { total, step in
            switch step {
            case .scalar, .check: total + 1
            case .loop(let l):
                // A run in the loop's body keeps its first iteration as members.
                total + Shape.count(loops[l].shape) * Swift.max(loops[l].members.count, 1)
                    + Shape.count(loops[l].shape) * rerolls.reduce(0) { $0 + ($1.loop == l ? ($1.count - 1) * $1.period : 0) }
            case .rerolled(let k): total + rerolls[k].nodes.count
            case .rowPass(let k):
                total + Shape.count(loops[rowPasses[k].loop].shape) * Swift.max(loops[rowPasses[k].loop].members.count, 1)
                    + (rowPasses[k].products + rowPasses[k].accumulations).reduce(0) { $0 + Shape.count(graph.shape($1)) }
            case .call(let node): total + Shape.count(graph.shape(node))
            case .copy(_, let node): total + Shape.count(graph.shape(node))
            }
        }
    }
}
