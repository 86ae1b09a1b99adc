import Testing
@testable import Adjoint

/// Golden values of the graph itself: hash-consing, folding, identities, pruning.
@Suite struct GraphTests {
    static func traced(_ f: (Tensor) -> Tensor, at x: Tensor = 0.5) -> Staging.Traced {
        Staging.trace([x]) { [f($0[0])] }
    }

    static func ops(_ g: Graph) -> [String] { g.nodes.map(\.op.name) }

    /// A node is one cache line at most: every stage passes over arenas of 100k nodes.
    @Test func aNodeFitsACacheLine() {
        #expect(MemoryLayout<Node>.stride <= 64, "\(MemoryLayout<Node>.stride) bytes")
        #expect(MemoryLayout<Op>.size <= 24, "\(MemoryLayout<Op>.size) bytes")
    }

    @Test func hashConsingSharesCommonSubexpressions() {
        let t = Self.traced { x in sin(x) + sin(x) }
        #expect(Self.ops(t.graph) == ["input0", "sin", "add"])
        #expect(t.graph.nodes[2].operands.map(\.int) == [1, 1])
        // Commutative operands are ordered, so a*b and b*a are one node.
        let u = Self.traced { x in let y = exp(x); return x * y + y * x }
        #expect(Self.ops(u.graph) == ["input0", "exp", "mul", "add"])
    }

    /// The table finds every node again across growth, reservation, and a rebuild after
    /// nodes were appended without it.
    @Test func hashConsingFindsEveryNodeAtAnySize() {
        var g = Graph()
        let x = g.input(0, shape: [])
        var ids = [x]
        func build(_ k: Int) -> Node { Node(op: k % 2 == 0 ? .unary(.sin) : .unary(.exp), operands: Operands(ids[k / 2]), shape: []) }
        for k in 0..<5000 {
            if k == 1000 { g.reserveCapacity(20_000) }
            ids.append(g.intern(build(k)))
        }
        #expect(g.count == 5001)
        for k in 0..<5000 { #expect(g.intern(build(k)) == ids[k + 1]) }
        let copy = g.appendDistinct(Node(op: .unary(.cos), operands: Operands(x), shape: []))
        #expect(g.intern(Node(op: .unary(.cos), operands: Operands(x), shape: [])) == copy)
        for k in stride(from: 0, to: 5000, by: 7) { #expect(g.intern(build(k)) == ids[k + 1]) }
        #expect(g.count == 5002)
    }

    /// Nodes are placed near their newest operand; a node of thousands of users fills its window
    /// and the rest go by hash, where lookups find them too (across growth and a rebuild), among
    /// neighbours whose windows that crowd overlaps.
    @Test func hashConsingFindsTheUsersOfANodeOfManyUsers() {
        var g = Graph()
        let x = g.input(0, shape: [4000])
        func slice(_ k: Int) -> Node {
            Node(op: .slice(axis: 0, start: k, end: k + 1), operands: Operands(x), shape: [1])
        }
        var slices: [NodeID] = []
        var chain: [NodeID] = []
        for k in 0..<4000 {
            slices.append(g.intern(slice(k)))
            // Neighbours: a chain whose windows lie inside the slices' crowd.
            let previous = chain.last ?? slices[k]
            chain.append(g.intern(Node(op: .unary(.sin), operands: Operands(previous), shape: [1])))
        }
        #expect(g.count == 8001)
        #expect(Set(slices).count == 4000 && Set(chain).count == 4000)
        for k in 0..<4000 {
            #expect(g.intern(slice(k)) == slices[k])
            let previous = k == 0 ? slices[0] : chain[k - 1]
            #expect(g.intern(Node(op: .unary(.sin), operands: Operands(previous), shape: [1])) == chain[k])
        }
        _ = g.appendDistinct(Node(op: .unary(.cos), operands: Operands(x), shape: [4000]))
        for k in stride(from: 0, to: 4000, by: 3) { #expect(g.intern(slice(k)) == slices[k]) }
        #expect(g.count == 8002)
    }

    @Test func constantsFoldAndIdentitiesVanish() {
        let t = Self.traced { x in (x * 1 + 0) * (Tensor(2) + 3) - (-(-x)) * 0 }
        let (g, roots) = t.graph.pruned(roots: t.outputs)
        #expect(Self.ops(g) == ["input0", "constant", "mul"])
        #expect(g.constantValue(NodeID(1)) == 5)
        #expect(roots == [NodeID(2)])
        let n = Self.traced { x in -(-x) }
        #expect(n.outputs == n.inputs)
    }

    @Test func pruningKeepsOnlyWhatOutputsNeed() {
        let t = Self.traced { x in
            _ = cos(x) * 7   // dead
            return exp(x) + 1
        }
        #expect(t.graph.count == 7)  // input, cos, 7, mul, exp, 1, add
        let (pruned, roots) = t.graph.pruned(roots: t.outputs)
        #expect(Self.ops(pruned) == ["input0", "exp", "constant", "add"])
        #expect(roots == [NodeID(3)])
    }

    @Test func gradientGraphOfTanhIsSmall() {
        // d/dx tanh(x) = 1 - tanh(x)²: the adjoint reuses the forward tanh node.
        let t = Staging.trace([0.5]) { xs in
            let (g, gs) = (xs[0], grad { tanh($0) }(xs[0]))
            _ = g
            return [gs]
        }
        let (pruned, _) = t.graph.pruned(roots: t.outputs)
        #expect(Self.ops(pruned) == ["input0", "tanh", "constant", "mul", "sub"])
    }

    @Test func shapesAreStatic() {
        let t = Staging.trace([Tensor.zeros([3, 2])]) { xs in [sum(xs[0], axis: 0), xs[0].transposed()] }
        #expect(t.outputs.map { t.graph.shape($0) } == [[2], [2, 3]])
    }
}
