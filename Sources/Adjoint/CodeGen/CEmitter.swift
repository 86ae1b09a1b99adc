import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Prints a lowered program as one C function with the fixed kernel signature
/// `int NAME(const double *const *in, double *const *out, double *ws)`: inputs, outputs and
/// the caller's workspace; it returns 0, or k when guard k-1 fails (before writing any output).
/// One statement per node, named after its op, so a person can follow it.
///
/// After `init` nothing in an emitter changes (the index contexts that record what a loop used
/// are made per loop and per thread), so the statements of a big kernel are written by two
/// threads at once.
package final class CEmitter: @unchecked Sendable {
    package let program: LoopProgram
    /// How tensor constants are reached: as symbols the JIT provides, or as arrays in the file.
    package enum DataMode { case external, inline }
    package let dataMode: DataMode

    /// Values used once, right where they are computed, are written inside their user's
    /// expression instead of as statements of their own (see `foldedValues`).
    let folded: [Bool]
    /// Each live node's C name, and the text of each literal, made once (kernels of 100k nodes are common).
    private let names: [String]
    private let literals: [String?]

    /// Splat constants read so often that they are declared once, as named locals at the top of
    /// the kernel, and read by name (see `namedConstantReads`).
    let namedConstants: [NodeID]

    /// A splat constant read at this many places or more is declared once as a `const double`
    /// local. libtcc gives every floating literal in the source a data entry, an ELF symbol and a
    /// relocation of its own; W6's 10,000 steps read five constants 60,000 times, and naming them
    /// halves libtcc's time on it (53 -> 28 ms). Rarer constants stay inline, where they read best.
    static let namedConstantReads = 8

    /// For each rerolled run, what its body reads as carried values (CEmitter+Reroll.swift).
    let carried: [[NodeID: Int]]

    package init(_ program: LoopProgram, dataMode: DataMode = .external) {
        self.program = program
        self.dataMode = dataMode
        self.carried = CEmitter.carriedReads(program)
        let (uses, user) = CEmitter.readCounts(program)
        let folded = CEmitter.foldedValues(program, uses: uses, user: user)
        self.folded = folded
        var namedConstants: [NodeID] = []
        var names = [String](repeating: "", count: program.graph.count)
        var literals = [String?](repeating: nil, count: program.graph.count)
        // Folded values are written inside their user and never named.
        // Statements of a rerolled run after its first iteration are never printed (or read by name).
        let runs = program.rerollIndex
        let unprinted = { (i: Int) in
            !program.rerolls.isEmpty && runs.run[i] >= 0 && Int(runs.index[i]) >= program.rerolls[Int(runs.run[i])].period
        }
        for index in 0..<program.graph.count where program.roles[index] != .dead && !folded[index] && !unprinted(index) {
            let id = NodeID(index)
            let op = program.graph[id].op
            switch op.leaf {
            case .input(let i): names[index] = "x\(i)"
            case .data: names[index] = "data\(CEmitter.dataIndex(program, id))"
            case .constant(let value):
                // Printed inline where read, or by name when read often; named in any case, for a
                // splat that is materialized (a routine's operand).
                names[index] = op.name + String(id.index)
                if uses[index] >= CEmitter.namedConstantReads, program.storage[index] == .literal(value) {
                    namedConstants.append(id)
                    literals[index] = names[index]
                } else {
                    literals[index] = CLiteral.double(value)
                }
            case .capture, nil: names[index] = op.name + String(id.index)
            }
        }
        self.names = names
        self.literals = literals
        self.namedConstants = namedConstants
    }

    /// The text of a splat constant.
    func literal(_ id: NodeID) -> String { literals[id.int]! }

    /// Which values to fold into their one user's expression: a value read once, by an elementwise
    /// statement of the same block (straight-line code, or the same loop body), and not stored. Folding keeps
    /// what libtcc must parse small and lets it keep temporaries in registers (it spills every
    /// named local); the results are the same, since C evaluates the same operations in the same
    /// order with every one rounded to double. Chains fold at most `maxDepth` deep.
    /// `user` is each node's last reader (`readCounts`).
    static func foldedValues(_ program: LoopProgram, uses: [Int], user: [NodeID], maxDepth: Int = 6) -> [Bool] {
        let n = program.graph.count
        var folded = [Bool](repeating: false, count: n)
        var depth = [Int](repeating: 0, count: n)
        for index in 0..<n where uses[index] == 1 && !program.isReduction(NodeID(index)) && !program.isPaired(NodeID(index)) {
            let u = user[index]
            let sameBlock: Bool
            switch (program.roles[index], program.roles[u.int], program.storage[index]) {
            // Only into elementwise readers: a structural one (a transpose or slice of one element)
            // reads its operand's memory by name, which a folded value does not have.
            case (.scalar, .scalar, .scalar): sameBlock = program.isElementwise(u)
            case (.member(let a), .member(let b), .loopLocal): sameBlock = a == b && !program.isReduction(u)
            default: sameBlock = false
            }
            guard sameBlock else { continue }
            var d = 1
            for operand in program.graph.nodes[index].operands where folded[operand.int] {
                d = Swift.max(d, depth[operand.int] + 1)
            }
            if d <= maxDepth {
                folded[index] = true
                depth[index] = d
            }
        }
        unfoldAcrossRuns(program, &folded, user: user)
        return folded
    }

    /// How many times each node is read by live nodes (outputs and guard conditions count twice,
    /// as reads from outside the kernel's statements), and the last live node that reads it.
    static func readCounts(_ program: LoopProgram) -> (uses: [Int], user: [NodeID]) {
        var uses = [Int](repeating: 0, count: program.graph.count)
        var user = [NodeID](repeating: NodeID(-1), count: program.graph.count)
        for index in 0..<program.graph.count where program.roles[index] != .dead {
            for operand in program.reads(NodeID(index)) {
                uses[operand.int] += 1
                user[operand.int] = NodeID(index)
            }
        }
        for output in program.outputs { uses[output.int] += 2 }
        for g in program.guards { uses[g.condition.int] += 2 }
        return (uses, user)
    }

    /// The C name of a node's value.
    package func name(_ id: NodeID) -> String { names[id.int] }

    private static func dataIndex(_ program: LoopProgram, _ id: NodeID) -> Int {
        if case .data(let k) = program.storage[id.int] { return k }
        return -1
    }

    /// The C name of the memory holding a node (its root's, for aliases).
    package func pointer(_ id: NodeID) -> String {
        let r = program.root(id)
        // A value of a run in a loop lives in an entry of its tape: no pointer of its own.
        if loopRun(r) != nil, case .buffer(let offset) = program.storage[r.int] { return "(ws + \(offset))" }
        switch program.storage[r.int] {
        case .input where program.graph[r].count == 1: return "&\(name(r))"  // read into a local
        case .input, .data: return name(r)
        case .scalar: return "&\(name(r))"
        default: return "a_\(name(r))"
        }
    }

    /// The declarations of tensor constants: extern for the JIT, with their elements when inline.
    package func dataDeclarations() -> String {
        program.dataArrays.enumerated().map { k, d in
            switch dataMode {
            case .external: return "extern const double adj_data\(k)[];\n"
            case .inline:
                let values = program.graph.data[d].map(CLiteral.double).joined(separator: ", ")
                return "static const double adj_data\(k)[\(program.graph.data[d].count)] = {\(values)};\n"
            }
        }.joined()
    }

    /// The kernel function.
    /// `parts`: how many threads write the statements (by default two for big kernels, else one).
    package func function(named kernel: String, parts: Int? = nil) -> String {
        var out = CWriter()
        writeFunction(named: kernel, to: &out, parts: parts)
        return out.text
    }

    /// Appends the kernel function to `out`.
    package func writeFunction(named kernel: String, to out: inout CWriter, parts: Int? = nil) {
        out.line("int \(kernel)(const double *const *in, double *const *out, double *ws) {")
        out.indent += 1
        declarePointers(&out)
        let big = program.steps.count >= CEmitter.parallelSteps && sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1
        writeStatements(&out, parts: parts ?? (big ? 2 : 1))
        out.line("return 0;")
        out.indent -= 1
        out.line("}")
    }

    /// Kernels with at least this many steps are written by two threads, a half each: W6's
    /// 30,000 statements take 17 ms to write on one.
    package static let parallelSteps = 8192

    /// Writes the kernel's statements to `out` in `parts` consecutive runs of steps, each on a
    /// thread of its own, the first into `out` and the others into buffers appended when all are done.
    private func writeStatements(_ out: inout CWriter, parts: Int) {
        let steps = program.steps
        let writers = UnsafeMutableBufferPointer<CWriter>.allocate(capacity: parts)
        defer { writers.deinitialize().deallocate() }
        var rest = CWriter()
        rest.indent = out.indent
        writers.initialize(repeating: rest)
        swap(&out, &writers[0])  // writers[0] holds the only reference to the text so far
        let shared = UnsafeSendable(writers)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let straightLine = IndexContext(shape: [])
            let writer = shared.value.baseAddress! + part
            // Room for a typical statement per step up front: megabytes are not copied while growing.
            writer.pointee.buffer.bytes.reserveCapacity(writer.pointee.buffer.bytes.count + 80 * steps.count / parts)
            for step in steps[steps.count * part / parts ..< steps.count * (part + 1) / parts] {
                emit(step, straightLine, &writer.pointee)
            }
        }
        swap(&out, &writers[0])
        out.buffer.bytes.reserveCapacity(out.buffer.bytes.count + writers.dropFirst().reduce(0) { $0 + $1.buffer.bytes.count } + 64)
        for part in writers.dropFirst() { out.buffer.bytes += part.buffer.bytes }
    }

    private func declarePointers(_ out: inout CWriter) {
        var unused = true
        for index in 0..<program.graph.count {
            let id = NodeID(index)
            switch program.storage[index] {
            case .input(let i):
                let shape = Shape.describe(program.graph.shape(id))
                if program.graph[id].count == 1 {
                    out.line("const double \(name(id)) = in[\(i)][0]; /* input \(i), shape \(shape) */")
                } else {
                    out.line("const double *\(name(id)) = in[\(i)]; /* input \(i), shape \(shape) */")
                }
            case .data(let k):
                // Read through a local pointer, never the extern array itself: libtcc 0.9.27 gets
                // `adj_data0[0] + adj_data0[1]` wrong (both operands through the GOT; the second
                // load clobbers the first's address), while reads through a pointer are plain loads.
                out.line("const double *\(name(id)) = adj_data\(k); /* tensor constant, shape \(Shape.describe(program.graph.shape(id))) */")
            case .output(let j):
                out.line("double *\(pointer(id)) = out[\(j)]; /* output \(j), shape \(Shape.describe(program.graph.shape(id))) */")
            case .buffer(let offset):
                unused = false
                if loopRun(id) != nil { break }
                out.line("double *\(pointer(id)) = ws + \(offset); /* \(program.graph[id].count) elements */")
            default:
                break
            }
        }
        for run in program.rerolls {
            for (position, offset) in run.tapes {
                let entries = run.loop == nil ? "\(run.count) iterations" : "\(run.count) iterations × \(program.graph[run.nodes[position]].count)"
                out.line("double *\(tapeName(run, position)) = ws + \(offset); /* \(entries) of \(name(run.nodes[position])) */")
                unused = false
            }
        }
        if unused { out.line("(void)ws;") }
        for id in namedConstants {
            out.line("const double \(name(id)) = \(CLiteral.double(program.graph.constantValue(id)!));")
        }
    }

    /// Writes one step; `straightLine` is the index context of code outside loops (no indices).
    private func emit(_ step: LoopProgram.Step, _ straightLine: IndexContext, _ out: inout CWriter) {
        switch step {
        case .scalar(let id):
            if folded[id.int] || program.isSecondOfPair(id) { return }
            if let pair = program.sineCosine(id) {
                writeSineCosine(pair, straightLine, &out)
                return
            }
            out.startLine()
            out.buffer += "double "
            out.buffer += name(id)
            out.buffer += " = "
            writeExpression(id, at: straightLine, to: &out.buffer)
            out.buffer += ";"
            if !program.graph.shape(id).isEmpty { out.buffer += comment(id) }
            out.buffer += "\n"
        case .check(let k):
            let g = program.guards[k]
            let value = read(g.condition, at: straightLine)
            out.line("if (\(g.expected ? "!" : "")(\(value) != 0.0)) return \(k + 1); /* guard \(k): took the \(g.expected) branch */")
        case .loop(let l):
            emitLoop(program.loops[l], &out)
        case .rowPass(let k):
            emitRowPass(program.rowPasses[k], &out)
        case .rerolled(let r):
            emitRerolled(r, &out)
        case .call(let id):
            emitCall(id, &out)
        case .copy(let j, let id):
            let n = program.graph[id].count
            if n == 1 {
                out.line("out[\(j)][0] = \(read(id, at: straightLine)); /* output \(j) */")
            } else {
                let value = read(id, at: IndexContext(shape: program.graph.shape(id)))
                out.line("for (long k = 0; k < \(n); k++) out[\(j)][k] = \(value); /* output \(j) */")
            }
        }
    }

    /// ` /* (3, 2) */` for a tensor, nothing for a scalar.
    package func comment(_ id: NodeID) -> String {
        let shape = program.graph.shape(id)
        return shape.isEmpty ? "" : " /* " + Shape.describe(shape) + " */"
    }
}

/// A value handed to threads that touch disjoint parts of it (the emitter's output slots).
private struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
