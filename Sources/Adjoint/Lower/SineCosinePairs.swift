/// Sines and cosines of one value, computed by one `sincos` call.
///
/// A gradient through `sin(x)` needs `cos(x)` (and the reverse), usually far apart: the sine in
/// the forward pass, the cosine in the reverse pass. glibc's `sincos` gives both for about the cost
/// of one, with the same bits as `sin` and `cos` (checked on 20 million arguments, and by the
/// tests against the interpreter). So where both are straight-line statements, the later one moves
/// to right after the earlier one, and the emitter writes them as one call. The move is always
/// allowed: its operand is computed before the earlier one, and nothing else changes. In a
/// traced loop, both then sit in the forward body, and the reverse pass reads the cosine from the
/// tape (Reroll.swift).
extension LoopProgram {
    /// Moves each pair's later statement next to the earlier one and records the pairs
    /// (`sineCosinePartner`: the partner's index for the first of a pair, -1 - index for the second).
    mutating func pairSinesAndCosines() {
        let n = graph.count
        var sine = [Int32](repeating: -1, count: n), cosine = [Int32](repeating: -1, count: n)
        var found = false
        // The rows, compared by identity (`rows`: matching each statement's op would read its node).
        let (sinRule, cosRule) = (ObjectIdentifier(Op.unary(.sin).rule), ObjectIdentifier(Op.unary(.cos).rule))
        func kind(_ step: Step) -> (id: NodeID, isSine: Bool)? {
            guard case .scalar(let id) = step else { return nil }
            let rule = rows[id.int]
            return rule == sinRule || rule == cosRule ? (id, rule == sinRule) : nil
        }
        for step in steps {
            guard let (id, isSine) = kind(step) else { continue }
            let x = graph.nodes[id.int].operands[0].int
            if isSine { sine[x] = Int32(id.index) } else { cosine[x] = Int32(id.index) }
            found = found || (sine[x] >= 0 && cosine[x] >= 0)
        }
        guard found else { return }
        var partner = [Int32](repeating: Int32.min, count: n)
        var reordered: [Step] = []
        reordered.reserveCapacity(steps.count)
        for step in steps {
            guard let (id, isSine) = kind(step) else {
                reordered.append(step)
                continue
            }
            let x = graph.nodes[id.int].operands[0].int
            let other = isSine ? cosine[x] : sine[x]
            guard other >= 0 else { reordered.append(step); continue }
            if partner[id.int] != Int32.min { continue }  // the second of a pair: written after the first
            reordered.append(step)
            reordered.append(.scalar(NodeID(Int(other))))
            partner[id.int] = other
            partner[Int(other)] = -1 - Int32(id.index)
        }
        steps = reordered
        sineCosinePartner = partner
    }

    /// For the first statement of a pair: the sine and the cosine. Nil for the rest.
    package func sineCosine(_ id: NodeID) -> (sine: NodeID, cosine: NodeID)? {
        guard !sineCosinePartner.isEmpty, sineCosinePartner[id.int] >= 0 else { return nil }
        let other = NodeID(Int(sineCosinePartner[id.int]))
        if case .unary(.sin) = graph.nodes[id.int].op { return (id, other) }
        return (other, id)
    }

    /// Whether `id` is the second statement of a pair (written with the first).
    package func isSecondOfPair(_ id: NodeID) -> Bool {
        !sineCosinePartner.isEmpty && sineCosinePartner[id.int] < 0 && sineCosinePartner[id.int] != Int32.min
    }

    /// Whether `id` is either statement of a pair.
    package func isPaired(_ id: NodeID) -> Bool { !sineCosinePartner.isEmpty && sineCosinePartner[id.int] != Int32.min }
}
