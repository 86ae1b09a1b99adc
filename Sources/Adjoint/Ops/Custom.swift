/// Functions with a derivative rule of their own (`customDerivative`; autograd's `defvjp`, JAX's
/// `custom_vjp`). One row for all of them: the node's operands are
/// `[y, x₀ … xₙ₋₁, captures…]`, where `y` is the function's traced value (the node's value: an
/// alias in C, the same array in the interpreter), the `xᵢ` its arguments, and the captures the
/// tensors of enclosing traces its rules referenced. The rules themselves were traced into small
/// graphs of ordinary ops when the function was applied (`CustomRule`); differentiating the node
/// copies them into the graph being differentiated, bound to the node's operands and the
/// incoming (co)tangent, so the derivative is made of graph ops again: it is differentiable to
/// any order, and it compiles.
///
/// Nothing flows back through `y`'s own trace to the arguments: the rule replaces it. (When the
/// function closes over traced tensors, `y` was traced at `stopGradient(xᵢ)`, and the
/// cotangent does flow back through it, to those tensors only, with their true derivative.)
enum Custom {
    static let rule = Rule(
        name: "custom_derivative", arity: nil,
        payloadHash: { op, code in Node.mix(code, UInt64(UInt(bitPattern: ObjectIdentifier(payload(op))))) },
        shape: { _, shapes, _ throws(ShapeError) in
            guard let first = shapes.first else { throw ShapeError("customDerivative", shapes, "no value operand") }
            return first
        },
        evaluate: { _, x, _ in x[0].scalars },
        derivative: .linear(pullback: pullback, pushforward: pushforward),
        lowering: .alias,
        foldSplats: { _, v, _, _ in v[0] })

    static func payload(_ op: Op) -> CustomRule {
        if case .custom(let rule) = op { return rule }
        preconditionFailure("not a custom derivative: \(op)")
    }

    /// The cotangents of the arguments from the traced pullback (and, for a function that closes
    /// over traced tensors, the cotangent itself for `y`).
    private static let pullback: Derivative.Pullback = { g, id, cotangent, batch, active in
        let node = g[id]
        let rule = payload(node.op), n = rule.arity, ops = node.operands
        var result = Contributions(count: ops.count)
        if rule.passesThrough && active(0) { result[0] = cotangent }
        let wanted = (0..<n).filter { active(1 + $0) }
        guard !wanted.isEmpty else { return result }
        let pb = rule.pullback
        let bindings = (0..<n).map { ops[1 + $0] } + [id, cotangent]
        let pulled = g.apply(pb, outputs: wanted.map { pb.outputs[$0] }, bindings: bindings, linear: [n + 1],
                             batch: batch, captures: rule.captures(of: pb, ops))
        for (k, i) in wanted.enumerated() { result[1 + i] = pulled[k] }
        return result
    }

    /// The tangent: the traced pushforward when there is one, else the pullback transposed.
    private static let pushforward: Derivative.Pushforward = { g, id, t, batch in
        let node = g[id]
        let rule = payload(node.op), n = rule.arity, ops = node.operands
        let through = rule.passesThrough ? t[0] : nil
        let moving = (0..<n).filter { t[1 + $0] != nil }
        guard !moving.isEmpty else { return through }
        let own: NodeID
        if let pf = rule.pushforward {
            var bindings = (0..<n).map { ops[1 + $0] } + [id]
            bindings += (0..<n).map { t[1 + $0] ?? g.constant(0, shape: g.shape(ops[1 + $0])) }
            own = g.apply(pf, outputs: pf.outputs, bindings: bindings, linear: moving.map { n + 1 + $0 },
                          batch: batch, captures: rule.captures(of: pf, ops))[0]
        } else {
            own = g.transposed(rule, id, tangents: moving.map { ($0, t[1 + $0]!) }, batch: batch)
        }
        return g.sum(own, through)
    }
}

/// The rules of one custom derivative, traced in ordinary ops when the function was applied.
/// A reference type compared by identity: the `Op` of every node of that application carries it.
package final class CustomRule: Hashable, Sendable, CustomStringConvertible {
    /// The number of arguments.
    let arity: Int
    /// The function closes over traced tensors: its value was traced at `stopGradient` of the
    /// arguments, so the cotangent of the value flows back through that trace to them.
    let passesThrough: Bool
    /// `(x₀ … xₙ₋₁, y, g) ↦ (x̄₀ … x̄ₙ₋₁)`, linear in `g`.
    let pullback: RuleGraph
    /// `(x₀ … xₙ₋₁, y, t₀ … tₙ₋₁) ↦ ẏ`, linear in the `tᵢ`; nil: the pullback is transposed.
    let pushforward: RuleGraph?

    init(arity: Int, passesThrough: Bool, pullback: RuleGraph, pushforward: RuleGraph?) {
        self.arity = arity
        self.passesThrough = passesThrough
        self.pullback = pullback
        self.pushforward = pushforward
    }

    /// The nodes bound to `rule`'s captures, among the custom node's operands `ops`.
    func captures(of rule: RuleGraph, _ ops: Operands) -> [NodeID] {
        (0..<rule.captureCount).map { ops[rule.captureOffset + $0] }
    }

    package static func == (a: CustomRule, b: CustomRule) -> Bool { a === b }
    package func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
    package var description: String { "customDerivative(\(arity) arguments)" }
}

/// A rule traced into a graph of its own: placeholders `.input(i)` in order, its results, and
/// where the tensors it captured sit among the custom node's operands.
package struct RuleGraph: Sendable {
    var graph: Graph
    var inputs: [NodeID]
    var outputs: [NodeID]
    var captureOffset: Int
    var captureCount: Int
}

extension Graph {
    /// `rule`'s `outputs` in this graph, its placeholders bound to `bindings` and its captures to
    /// `captures`. The placeholders listed in `linear` are (co)tangents the rule is linear in; with
    /// `batch` axes their bindings carry many directions at once, and the rule, traced for one,
    /// is applied to all by its own forward sweep along them (linear: its tangent along a batch
    /// of directions is the rule at each).
    mutating func apply(_ rule: RuleGraph, outputs: [NodeID], bindings: [NodeID], linear: [Int], batch: [Int],
                        captures: [NodeID]) -> [NodeID] {
        guard !batch.isEmpty else {
            return inline(rule.graph, outputs: outputs, inputs: bindings, captures: captures)
        }
        var source = rule.graph
        var bindings = bindings
        let directions = linear.enumerated().map { k, i in source.input(rule.inputs.count + k, shape: shape(bindings[i])) }
        let pushed = source.forward(wrt: linear.map { rule.inputs[$0] }, tangents: directions, outputs: outputs)
        for i in linear {
            bindings.append(bindings[i])
            bindings[i] = constant(0, shape: rule.graph.shape(rule.inputs[i]))
        }
        return inline(source, outputs: pushed, inputs: bindings, captures: captures)
    }

    /// The tangent of custom node `id` along the arguments' `tangents` (argument index, tangent),
    /// from its pullback `(x, y, g) ↦ x̄ = Jᵀg` by transposition: the cotangent of `g` when the
    /// pullback's results are seeded with the tangents is `Σᵢ Jᵢ tᵢ`. One reverse sweep of the
    /// pullback's graph, batched like the tangents.
    mutating func transposed(_ rule: CustomRule, _ id: NodeID, tangents: [(Int, NodeID)], batch: [Int]) -> NodeID {
        let pb = rule.pullback, n = rule.arity, ops = self[id].operands
        var source = pb.graph
        let seeds = tangents.enumerated().map { k, t in source.input(n + 2 + k, shape: shape(t.1)) }
        let output: NodeID, seed: NodeID
        if tangents.count == 1 {
            (output, seed) = (pb.outputs[tangents[0].0], seeds[0])
        } else {
            // Several arguments: their results flattened and joined, and the tangents alike.
            let flat = tangents.map { i, _ in source.reshape(pb.outputs[i], [Shape.count(source.shape(pb.outputs[i]))]) }
            let flatSeeds = zip(tangents, seeds).map { t, s in
                source.reshape(s, batch + [Shape.count(source.shape(pb.outputs[t.0]))])
            }
            output = source.joined(flat, axis: 0)
            seed = source.joined(flatSeeds, axis: batch.count)
        }
        let cotangent = source.reverse(output: output, seed: seed, wrt: [pb.inputs[n + 1]])[0]
        let bindings = (0..<n).map { ops[1 + $0] } + [id, constant(0, shape: shape(id))] + tangents.map(\.1)
        return inline(source, outputs: [cotangent], inputs: bindings, captures: rule.captures(of: pb, ops))[0]
    }

    /// The nodes joined along `axis` (shapes that fit by construction).
    private mutating func joined(_ nodes: [NodeID], axis: Int) -> NodeID {
        do {
            return try apply(.concat(axis: axis), Operands(nodes))
        } catch {
            preconditionFailure("internal error: a custom derivative joined misfitting nodes: \(error)")
        }
    }

    /// Copies the nodes of `other` that `outputs` need into this graph (simplifying and
    /// hash-consing as it goes), with `.input(i)` bound to `inputs[i]` and `.capture(j)` to
    /// `captures[j]`; returns the outputs' nodes here.
    mutating func inline(_ other: Graph, outputs: [NodeID], inputs: [NodeID], captures: [NodeID]) -> [NodeID] {
        let live = other.reachable(from: outputs)
        var mapped = [NodeID](repeating: NodeID(-1), count: other.count)
        for (index, node) in other.nodes.enumerated() where live[index] {
            switch node.op.leaf {
            case .input(let i): mapped[index] = inputs[i]
            case .capture(let j): mapped[index] = captures[j]
            case .constant(let value): mapped[index] = constant(value, shape: node.shape)
            case .data(let d): mapped[index] = constant(other.data[d], shape: node.shape)
            case nil:
                var operands = node.operands
                for k in 0..<operands.count { operands[k] = mapped[operands[k].int] }
                mapped[index] = make(node.op, operands, shape: node.shape)
            }
        }
        return outputs.map { mapped[$0.int] }
    }
}
