/// Loops, reads and index arithmetic. Broadcasting, transposes, slices, padding and
/// concatenation are reads at computed offsets: nothing is copied to make shapes match.
extension CEmitter {
    /// The loop being emitted (or none, for straight-line code): its shape, the nodes computed in
    /// its body (readable as locals), and whether the body used the flat or the per-axis indices.
    package final class IndexContext {
        let shape: [Int]
        let members: Set<NodeID>
        /// The rerolled run whose body is being written, if any.
        let rerolled: Int?
        var usesAxes = false
        var usesFlat = false
        /// The one axis longer than 1, if there is only one: its index is the flat index `k`.
        private let onlyAxis: Int?

        init(shape: [Int], members: Set<NodeID> = [], rerolled: Int? = nil) {
            self.shape = shape
            self.members = members
            self.rerolled = rerolled
            let long = shape.indices.filter { shape[$0] != 1 }
            onlyAxis = long.count == 1 ? long[0] : nil
        }

        /// The index variable of `axis`, or nil outside loops (where every index is 0).
        func axis(_ axis: Int) -> String? {
            guard Shape.count(shape) > 1, shape[axis] != 1 else { return nil }
            if axis == onlyAxis { return flat }
            usesAxes = true
            return "i\(axis)"
        }

        var flat: String {
            usesFlat = true
            return "k"
        }
    }

    func emitLoop(_ loop: LoopProgram.Loop, _ out: inout CWriter) {
        let (ctx, prologue, body) = loopBody(loop, indent: 1)
        out.lines(of: prologue)
        let n = Shape.count(loop.shape)
        if ctx.usesAxes {
            for (d, extent) in loop.shape.enumerated() where extent != 1 {
                out.line("for (long i\(d) = 0; i\(d) < \(extent); i\(d)++)")
            }
            out.line("{")
            if ctx.usesFlat { out.line("    long k = \(linear(Shape.strides(loop.shape).enumerated().map { (ctx.axis($0.offset), $0.element) }));") }
        } else {
            out.line("for (long k = 0; k < \(n); k++) {")
        }
        out.lines(of: body)
        out.line("}")
    }

    /// A loop's body, indented `indent` levels, and its prologue (what its reductions start from),
    /// with the index context that records which indices the body reads.
    func loopBody(_ loop: LoopProgram.Loop, indent: Int) -> (IndexContext, prologue: CWriter, body: CWriter) {
        let ctx = IndexContext(shape: loop.shape, members: Set(loop.members))
        var prologue = CWriter()
        var body = CWriter()
        body.indent = indent
        for member in loop.members {
            if let r = loopRun(member) {
                if program.rerollIndex.index[member.int] == 0 { emitLoopRun(r, ctx, &prologue, &body) }
                continue
            }
            if program.isReduction(member) {
                emitReduction(member, ctx, &prologue, &body)
                continue
            }
            if folded[member.int] { continue }
            let value = program.graph[member].op.isConstant ? literal(member) : expression(member, at: ctx)
            body.line("double \(name(member)) = \(value);")
            if program.storage[member.int] != .loopLocal { body.line("\(pointer(member))[\(ctx.flat)] = \(name(member));") }
        }
        return (ctx, prologue, body)
    }

    private func emitReduction(_ id: NodeID, _ ctx: IndexContext, _ prologue: inout CWriter, _ body: inout CWriter) {
        let node = program.graph[id]
        guard case .reduction(let step) = node.rule.lowering, let axes = node.op.reducedAxes else {
            preconditionFailure("\(node.op.name) is not a reduction")
        }
        let initial = CLiteral.double(step.initial)
        let target: String
        if program.storage[id.int] == .scalar {
            prologue.line("double \(name(id)) = \(initial);")
            target = name(id)
        } else {
            prologue.line("for (long k = 0; k < \(node.count); k++) \(pointer(id))[k] = \(initial);")
            target = "\(pointer(id))[\(keptOffset(id, axes: axes, ctx))]"
        }
        body.line(accumulation(step, into: target, read(node.operands[0], at: ctx)) + " /* \(name(id)) */")
    }

    /// The statement that accumulates `value` into `target` by a reduction's step.
    func accumulation(_ step: ReductionStep, into target: String, _ value: String) -> String {
        switch step {
        case .add: "\(target) += \(value);"
        case .multiply: "\(target) *= \(value);"
        // A NaN element makes the maximum NaN (as NumPy's), and stays: nothing compares above it.
        case .maximum: "if (\(value) > \(target) || \(value) != \(value)) \(target) = \(value);"
        }
    }

    /// The offset into a reduction's result of the loop's current element.
    private func keptOffset(_ id: NodeID, axes: [Int], _ ctx: IndexContext) -> String {
        let strides = Shape.strides(program.graph.shape(id))
        var terms: [(String?, Int)] = []
        var k = 0
        for d in ctx.shape.indices where !axes.contains(d) {
            terms.append((ctx.axis(d), strides[k]))
            k += 1
        }
        return linear(terms)
    }

    /// The value of a non-leaf node as a C expression (straight-line code or a loop body).
    func expression(_ id: NodeID, at ctx: IndexContext) -> String {
        var out = CText()
        writeExpression(id, at: ctx, to: &out)
        return out.string
    }

    /// Appends `expression(id, at: ctx)` to `out`; elementwise chains never build pieces apart.
    func writeExpression(_ id: NodeID, at ctx: IndexContext, to out: inout CText) {
        if let form = program.forms[id.int] {
            let xs = program.graph.nodes[id.int].operands
            if let r = ctx.rerolled, !program.rerolls[r].tables.isEmpty {
                let position = Int(program.rerollIndex.index[id.int]) % program.rerolls[r].period
                form.write(to: &out, arity: xs.count) { k, out in
                    if let t = program.rerolls[r].table(at: position, operand: k) { out += tableRead(r, t, ctx); return }
                    write(xs[k], at: ctx, to: &out, in: form, position: k)
                }
                return
            }
            form.write(to: &out, arity: xs.count) { k, out in write(xs[k], at: ctx, to: &out, in: form, position: k) }
        } else {
            out += structuralExpression(id, program.graph.nodes[id.int], at: ctx)
        }
    }

    /// Reductions' operands (a reduction of one element is that element) and the index-mapped reads.
    private func structuralExpression(_ id: NodeID, _ node: Node, at ctx: IndexContext) -> String {
        let xs = node.operands
        let map: IndexMap
        switch node.rule.lowering {
        case .reduction: return read(xs[0], at: ctx)
        case .index(let indexMap): map = indexMap(node.op, xs.map { program.graph.shape($0) })
        case .leaf, .alias, .elementwise, .routine, .projection:
            preconditionFailure("\(node.op.name) is not computed by an expression")
        }
        switch map {
        case .broadcast: return read(xs[0], at: ctx)
        case .permute(let perm):
            let s = Shape.strides(program.graph.shape(xs[0]))
            return memory(xs[0], linear(perm.indices.map { (ctx.axis($0), s[perm[$0]]) }))
        case .offset(let axis, let start, let step):
            let s = Shape.strides(program.graph.shape(xs[0]))
            return memory(xs[0], linear(node.shape.indices.map { (ctx.axis($0), $0 == axis ? s[$0] * step : s[$0]) },
                                        plus: start * s[axis]))
        case .pad(let axis, let before, let step) where step != 1:
            return stridedPad(xs[0], node, axis: axis, before: before, step: step, at: ctx)
        case .pad(let axis, let before, _):
            let s = Shape.strides(program.graph.shape(xs[0]))
            let n = program.graph.shape(xs[0])[axis]
            let read = memory(xs[0], linear(node.shape.indices.map { (ctx.axis($0), s[$0]) }, plus: -before * s[axis]))
            guard let i = ctx.axis(axis) else { return 0 >= before && 0 < before + n ? read : "0.0" }
            // Only the bounds that can fail: padding on one side needs one comparison.
            var bounds: [String] = []
            if before > 0 { bounds.append("\(i) >= \(before)") }
            if before + n < node.shape[axis] { bounds.append("\(i) < \(before + n)") }
            return bounds.isEmpty ? read : "(\(bounds.joined(separator: " && ")) ? \(read) : 0.0)"
        case .gather(let axis):
            return gather(xs[0], xs[1], node, axis: axis, at: ctx)
        case .concat(let axis):
            let (sa, sb) = (Shape.strides(program.graph.shape(xs[0])), Shape.strides(program.graph.shape(xs[1])))
            let na = program.graph.shape(xs[0])[axis]
            let a = memory(xs[0], linear(node.shape.indices.map { (ctx.axis($0), sa[$0]) }))
            let b = memory(xs[1], linear(node.shape.indices.map { (ctx.axis($0), sb[$0]) }, plus: -na * sb[axis]))
            guard let i = ctx.axis(axis) else { return na > 0 ? a : b }
            return "(\(i) < \(na) ? \(a) : \(b))"
        }
    }

    /// The value of `id` at the current element of `ctx` (broadcast when its shape is smaller).
    func read(_ id: NodeID, at ctx: IndexContext) -> String {
        var out = CText()
        write(id, at: ctx, to: &out)
        return out.string
    }

    /// Appends `read(id, at: ctx)` to `out`; a folded value read as operand `position` of `parent`
    /// is parenthesized only where C's precedence and left-to-right grouping need it, so the text
    /// groups exactly as the graph does.
    func write(_ id: NodeID, at ctx: IndexContext, to out: inout CText, in parent: CForm? = nil, position: Int = 0) {
        if !program.rerolls.isEmpty, let text = rerolledRead(id, ctx) {
            out += text
            return
        }
        if folded[id.int] {
            let parens = program.forms[id.int]?.needsParentheses(in: parent, position: position) ?? false
            if parens { out += "(" }
            writeExpression(id, at: ctx, to: &out)
            if parens { out += ")" }
            return
        }
        if !ctx.members.isEmpty && ctx.members.contains(id) { out += name(id); return }
        switch program.storage[id.int] {
        case .literal: out += literal(id)
        case .scalar, .loopLocal: out += name(id)
        default: out += memoryRead(id, at: ctx)
        }
    }

    /// The element of the memory holding `id` that the current element of `ctx` reads.
    func memoryRead(_ id: NodeID, at ctx: IndexContext) -> String { memory(id, elementOffset(id, at: ctx)) }

    /// The offset of the element of `id` that the current element of `ctx` reads (broadcast when
    /// its shape is smaller).
    func elementOffset(_ id: NodeID, at ctx: IndexContext) -> String {
        let shape = program.graph.shape(id)
        if Shape.count(shape) == 1 { return "0" }
        if shape == ctx.shape { return ctx.flat }
        let strides = Shape.broadcastStrides(shape, to: ctx.shape)
        return linear(strides.indices.map { strides[$0] == 0 ? (nil, 0) : (ctx.axis($0), strides[$0]) })
    }

    /// The element at `offset` of the memory holding `id`.
    func memory(_ id: NodeID, _ offset: String) -> String {
        let r = program.root(id)
        switch program.storage[r.int] {
        case .literal: return literal(r)
        case .scalar: return name(r)
        case .input where program.graph[r].count == 1: return name(r)
        default: return "\(pointer(r))[\(offset)]"
        }
    }

    /// `Σ index * stride (+ constant)`, leaving out indices that are always 0.
    func linear(_ terms: [(String?, Int)], plus constant: Int = 0) -> String {
        let parts = terms.compactMap { index, stride -> String? in
            guard let index, stride != 0 else { return nil }
            return stride == 1 ? index : "\(index) * \(stride)"
        }
        if parts.isEmpty { return "\(constant)" }
        let sum = parts.joined(separator: " + ")
        return constant > 0 ? "\(sum) + \(constant)" : constant < 0 ? "\(sum) - \(-constant)" : sum
    }
}
