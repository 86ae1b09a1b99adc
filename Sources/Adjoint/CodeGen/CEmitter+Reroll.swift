/// Rerolled runs (Lower/Reroll.swift): the body once, in a C loop, with carried values in locals
/// and values read after the run in tapes.
extension CEmitter {
    /// The C name of a run's tape for body position `position` (named after iteration 0's statement).
    func tapeName(_ run: LoopProgram.Reroll, _ position: Int) -> String { "tape_" + name(run.nodes[position]) }

    /// The C name of a run's carried value for body position `position`.
    func carryName(_ run: LoopProgram.Reroll, _ position: Int) -> String { "carry_" + name(run.nodes[position]) }

    /// The C name of run `r`'s table `k`: by run, body position and operand (the statement it
    /// feeds may be folded into its reader, with no name of its own).
    func tableName(_ r: Int, _ k: Int) -> String {
        let table = program.rerolls[r].tables[k]
        return "table_\(r)_\(table.position)_\(table.operand)"
    }

    /// Table `k` of run `r` at iteration `i` (and, for a table of tensors in a loop's run, the
    /// loop's element).
    func tableRead(_ r: Int, _ k: Int, _ ctx: IndexContext) -> String {
        let run = program.rerolls[r]
        let elements = run.tables[k].values.count / run.count
        return tableName(r, k) + (elements == 1 ? "[i]" : "[i * \(elements) + \(ctx.flat)]")
    }

    /// The run inside a loop that `id` belongs to, if any.
    func loopRun(_ id: NodeID) -> Int? {
        guard !program.rerolls.isEmpty else { return nil }
        let r = Int(program.rerollIndex.run[id.int])
        return r >= 0 && program.rerolls[r].loop != nil ? r : nil
    }

    /// A run inside a loop, within the loop's body for one element: the iterations in an inner C
    /// loop, carried values in locals of the element, values read outside the run in tapes of
    /// `count` entries of the loop's size (`tape[i * n + k]`), a reduction's sum of each iteration
    /// in a tape of `count` numbers (started in the loop's prologue).
    func emitLoopRun(_ r: Int, _ loopCtx: IndexContext, _ prologue: inout CWriter, _ out: inout CWriter) {
        let run = program.rerolls[r]
        let loop = program.loops[run.loop!]
        for (position, _) in run.tapes {
            guard case .reduction(let step) = program.graph[run.nodes[position]].rule.lowering else { continue }
            prologue.line("for (long i = 0; i < \(run.count); i++) \(tapeName(run, position))[i] = \(CLiteral.double(step.initial));")
        }
        for (k, table) in run.tables.enumerated() {
            prologue.line("const double *\(tableName(r, k)) = adj_data\(table.data); /* \(run.count) iterations' values */")
        }
        out.line("/* \(run.count) iterations of one body of \(run.period) members, rerolled */")
        for (position, initial) in run.carried {
            out.line("double \(carryName(run, position)) = \(read(initial, at: loopCtx));")
        }
        out.line("for (long i = 0; i < \(run.count); i++) {")
        out.indent += 1
        let ctx = IndexContext(shape: loop.shape, members: loopCtx.members, rerolled: r)
        let tapes = Set(run.tapes.map(\.position))
        for (position, id) in run.body.enumerated() where !folded[id.int] {
            if case .reduction(let step) = program.graph[id].rule.lowering {
                let value = read(program.graph[id].operands[0], at: ctx)
                out.line(accumulation(step, into: "\(tapeName(run, position))[i]", value) + " /* \(name(id)) */")
                continue
            }
            let value = program.graph[id].op.isConstant ? literal(id) : expression(id, at: ctx)
            out.line("double \(name(id)) = \(value);")
            if tapes.contains(position) {
                out.line("\(tapeName(run, position))[i * \(program.graph[id].count) + \(ctx.flat)] = \(name(id));")
            }
        }
        for (position, _) in run.carried { out.line("\(carryName(run, position)) = \(name(run.nodes[position]));") }
        out.indent -= 1
        out.line("}")
        loopCtx.usesAxes = loopCtx.usesAxes || ctx.usesAxes
        loopCtx.usesFlat = loopCtx.usesFlat || ctx.usesFlat
    }

    func emitRerolled(_ r: Int, _ out: inout CWriter) {
        let run = program.rerolls[r]
        out.line("/* \(run.count) iterations of one body of \(run.period) statements, rerolled */")
        for (position, initial) in run.carried {
            out.line("double \(carryName(run, position)) = \(read(initial, at: IndexContext(shape: [])));")
        }
        for (k, table) in run.tables.enumerated() {
            out.line("const double *\(tableName(r, k)) = adj_data\(table.data); /* \(run.count) numbers, one an iteration */")
        }
        out.line("for (long i = 0; i < \(run.count); i++) {")
        out.indent += 1
        let ctx = IndexContext(shape: [], rerolled: r)
        for id in run.body where !folded[id.int] && !program.isSecondOfPair(id) {
            if let pair = program.sineCosine(id) {
                writeSineCosine(pair, ctx, &out)
                continue
            }
            out.startLine()
            out.buffer += "double \(name(id)) = "
            writeExpression(id, at: ctx, to: &out.buffer)
            out.buffer += ";\n"
        }
        for (position, _) in run.tapes { out.line("\(tapeName(run, position))[i] = \(name(run.nodes[position]));") }
        for (position, _) in run.carried { out.line("\(carryName(run, position)) = \(name(run.nodes[position]));") }
        out.indent -= 1
        out.line("}")
    }

    /// How `id` is read where it is not a plain name: a value of a rerolled run from its tape (at
    /// the iteration read, which inside another run's body moves with that run's index), and, in
    /// a run's body, the value iteration 0 reads from before the run as the carried local.
    func rerolledRead(_ read: NodeID, _ ctx: IndexContext) -> String? {
        // A reshape of a run's value reads the value's memory (its tape), at its own element.
        let id = program.root(read)
        let r = Int(program.rerollIndex.run[id.int])
        if let body = ctx.rerolled {
            let run = program.rerolls[body]
            if r == body { return nil }  // the same iteration's statement
            if let position = carried[body][id] { return carryName(run, position) }
            guard r >= 0 else { return nil }
            let source = program.rerolls[r]
            let k = Int(program.rerollIndex.index[id.int])
            if !source.tapes.contains(where: { $0.position == k % source.period }) { return carryName(source, k % source.period) }
            let (m, stride) = (k / source.period, run.strides[r] ?? 0)
            let at = stride == 0 ? "\(m)" : stride == 1 ? (m == 0 ? "i" : "\(m) + i") : stride == -1 ? "\(m) - i"
                : stride > 0 ? "\(m) + \(stride) * i" : "\(m) - \(-stride) * i"
            // An entry of a tape of tensors (a run in a loop): the element this one reads.
            let elements = program.graph[id].count
            let entry = elements == 1 ? at : "(\(at)) * \(elements) + \(elementOffset(read, at: ctx))"
            return "\(tapeName(source, k % source.period))[\(entry)]"
        }
        guard r >= 0 else { return nil }
        let source = program.rerolls[r]
        // A value of a run in a loop, read after the run: from its tape entry, its memory.
        if source.loop != nil { return memoryRead(read, at: ctx) }
        let k = Int(program.rerollIndex.index[id.int])
        // Read after the run: from the tape, or, for a carried value's last iteration, its local.
        if !source.tapes.contains(where: { $0.position == k % source.period }) { return carryName(source, k % source.period) }
        return "\(tapeName(source, k % source.period))[\(k / source.period)]"
    }

    /// For each run, the nodes its iteration 0 reads as carried values, by body position.
    static func carriedReads(_ program: LoopProgram) -> [[NodeID: Int]] {
        program.rerolls.map { run in
            Dictionary(run.carried.map { ($0.initial, $0.position) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// Folding stays inside one iteration of a run: a value of a run that a later iteration or a
    /// reader after the run reads needs its name (and its tape), and a value from before the run
    /// that the body reads is read by name (iteration 0's operand is the carried local's start).
    static func unfoldAcrossRuns(_ program: LoopProgram, _ folded: inout [Bool], user: [NodeID]) {
        guard !program.rerolls.isEmpty else { return }
        let index = program.rerollIndex
        let kept = program.rerolls.map { run in Set(run.carried.map(\.position) + run.tapes.map(\.position)) }
        for i in folded.indices where folded[i] {
            let u = user[i].int
            let (ri, ru) = (index.run[i], index.run[u])
            if ri < 0 && ru < 0 { continue }
            guard ri == ru, ri >= 0 else { folded[i] = false; continue }
            let period = program.rerolls[Int(ri)].period
            let (ki, ku) = (Int(index.index[i]), Int(index.index[u]))
            if ki / period != ku / period || kept[Int(ri)].contains(ki % period) { folded[i] = false }
        }
    }

    /// A sine and a cosine of one value: one `sincos` call for libtcc and the optimized tier; two
    /// calls in `--standalone` output, which any C library must build (`sincos` is glibc's; the
    /// bits are the same).
    func writeSineCosine(_ pair: (sine: NodeID, cosine: NodeID), _ ctx: IndexContext, _ out: inout CWriter) {
        let x = read(program.graph[pair.sine].operands[0], at: ctx)
        let (s, c) = (name(pair.sine), name(pair.cosine))
        switch dataMode {
        case .external: out.line("double \(s), \(c); sincos(\(x), &\(s), &\(c));")
        case .inline: out.line("double \(s) = sin(\(x)), \(c) = cos(\(x));")
        }
    }
}
