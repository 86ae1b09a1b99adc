/// Calls of Runtime routines: one generic step for every routine, from its row's `RoutineCall`.
extension CEmitter {
    /// A Runtime routine call: the row's arguments, operands read through absorbed transposes,
    /// results written into the node's memory (or, for a tuple, each projection's).
    func emitCall(_ id: NodeID, _ out: inout CWriter) {
        let node = program.graph[id]
        guard case .routine(let call) = node.rule.lowering else { preconditionFailure("\(node.op.name) is not a routine call") }
        let sources = node.operands.map { program.routineSource($0) }
        let results = program.projections[id] ?? [id]
        for r in results where program.storage[r.int] == .scalar { out.line("double \(name(r));") }
        // A one-element splat operand has no memory of its own: give it a block-local one.
        var locals = ""
        func operand(_ n: NodeID) -> String {
            let r = program.root(n)
            guard case .literal = program.storage[r.int] else { return pointer(n) }
            if literal(r) == name(r) { return "&" + name(r) }  // declared at the top already
            locals += "const double \(name(n)) = \(literal(program.root(n))); "
            return "&" + name(n)
        }
        let arguments = call.arguments(node.op, node.operands.map { program.graph.shape($0) }, sources.map(\.transposed))
        let text = arguments.map { argument in
            switch argument {
            case .operand(let k): operand(sources[k].node)
            case .result(let k): pointer(results[k])
            case .integer(let value): "\(value)"
            case .workspace: "ws + \(program.scratch[id] ?? 0)"
            }
        }.joined(separator: ", ")
        let statement = "\(call.routine.name)(\(text));"
        let note = results.count == 1 ? comment(id) : " /* " + results.map { name($0) }.joined(separator: ", ") + " */"
        out.line((locals.isEmpty ? statement : "{ " + locals + statement + " }") + note)
    }
}

/// Row passes (Lower/RowPass.swift): one loop over blocks of a matrix's rows, each block's
/// products, the loop's body on its rows, and its accumulations.
extension CEmitter {
    func emitRowPass(_ pass: LoopProgram.RowPass, _ out: inout CWriter) {
        let loop = program.loops[pass.loop]
        let (ctx, prologue, body) = loopBody(loop, indent: 2)
        precondition(!ctx.usesAxes, "a row pass runs over one axis")
        let (n, d, b) = (pass.rows, pass.columns, pass.blockRows)
        let x = pointer(pass.matrix)
        let vector = { (id: NodeID) in self.program.root(self.program.routineSource(self.program.graph[id].operands[1]).node) }
        let vectors = { (id: NodeID) in self.pointer(vector(id)) }
        let x0 = name(pass.matrix)
        let what = pass.products.map { "\(name($0)) = \(x0)·\(name(vector($0)))" }
            + pass.accumulations.map { "\(name($0)) = \(x0)ᵀ·\(name(vector($0)))" }
        out.line("/* one pass over the rows of \(x0) (\(n)×\(d)), \(b) at a time: \(what.joined(separator: ", ")) */")
        for q in pass.accumulations { out.line("for (long k = 0; k < \(d); k++) \(pointer(q))[k] = 0.0;") }
        out.lines(of: prologue)
        out.line("for (long r = 0; r < \(n); r += \(b)) {")
        out.line("    long rn = \(n) - r < \(b) ? \(n) - r : \(b);")
        for p in pass.products { out.line("    adj_rows_dot(\(x) + r * \(d), \(vectors(p)), \(pointer(p)) + r, rn, \(d));") }
        out.line("    for (long k = r; k < r + rn; k++) {")
        out.lines(of: body)
        out.line("    }")
        for q in pass.accumulations { out.line("    adj_rows_accumulate(\(x) + r * \(d), \(vectors(q)) + r, \(pointer(q)), rn, \(d));") }
        out.line("}")
    }
}
