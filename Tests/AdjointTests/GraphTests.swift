import Testing
@testable import Adjoint

/// Golden values of the graph itself: hash-consing, folding, identities, pruning.
@Suite struct GraphTests {
    static func traced(_ f: (Tensor) -> Tensor, at x: Tensor = 0.5) -> Staging.Traced {
        Staging.trace([x]) { [f($0[0])] }
    }

    static func ops(_ g: Graph) -> [String] { g.nodes.map(\.op.name) }

    @Test func hashConsingSharesCommonSubexpressions() {
        let t = Self.traced { x in sin(x) + sin(x) }
        #expect(Self.ops(t.graph) == ["input0", "sin", "add"])
        #expect(t.graph.nodes[2].operands.map(\.int) == [1, 1])
        // Commutative operands are ordered, so a*b and b*a are one node.
        let u = Self.traced { x in let y = exp(x); return x * y + y * x }
        #expect(Self.ops(u.graph) == ["input0", "exp", "mul", "add"])
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
