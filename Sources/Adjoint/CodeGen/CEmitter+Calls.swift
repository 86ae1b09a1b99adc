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
