/// Prints a lowered program as one C function with the fixed kernel signature
/// `int NAME(const double *const *in, double *const *out, double *ws)`: inputs, outputs and
/// the caller's workspace; it returns 0, or k when guard k-1 fails (before writing any output).
/// One statement per node, named after its op, so a person can follow it.
package struct CEmitter {
    package let program: LoopProgram
    /// How tensor constants are reached: as symbols the JIT provides, or as arrays in the file.
    package enum DataMode { case external, inline }
    package var dataMode: DataMode = .external

    package init(_ program: LoopProgram, dataMode: DataMode = .external) {
        self.program = program
        self.dataMode = dataMode
    }

    /// The C name of a node's value.
    package func name(_ id: NodeID) -> String {
        switch program.graph[id].op {
        case .input(let i): "x\(i)"
        case .data: "adj_data\(dataIndex(id))"
        default: "\(program.graph[id].op.name)\(id.index)"
        }
    }

    private func dataIndex(_ id: NodeID) -> Int {
        if case .data(let k) = program.storage[id.int] { return k }
        return -1
    }

    /// The C name of the memory holding a node (its root's, for aliases).
    package func pointer(_ id: NodeID) -> String {
        let r = program.root(id)
        switch program.storage[r.int] {
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
    package func function(named kernel: String) -> String {
        var out = CWriter()
        out.line("int \(kernel)(const double *const *in, double *const *out, double *ws) {")
        out.indent += 1
        declarePointers(&out)
        for step in program.steps { emit(step, &out) }
        out.line("return 0;")
        out.indent -= 1
        out.line("}")
        return out.text
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
            case .output(let j):
                out.line("double *\(pointer(id)) = out[\(j)]; /* output \(j), shape \(Shape.describe(program.graph.shape(id))) */")
            case .buffer(let offset):
                out.line("double *\(pointer(id)) = ws + \(offset); /* \(program.graph[id].count) elements */")
                unused = false
            default:
                break
            }
        }
        if unused { out.line("(void)ws;") }
    }

    private func emit(_ step: LoopProgram.Step, _ out: inout CWriter) {
        switch step {
        case .scalar(let id):
            out.line("double \(name(id)) = \(expression(id, at: IndexContext(shape: []))); \(comment(id))")
        case .check(let k):
            let g = program.guards[k]
            let value = read(g.condition, at: IndexContext(shape: []))
            out.line("if (\(g.expected ? "!" : "")(\(value) != 0.0)) return \(k + 1); /* guard \(k): took the \(g.expected) branch */")
        case .loop(let l):
            emitLoop(program.loops[l], &out)
        case .matmul(let id):
            let node = program.graph[id]
            let (a, ta) = program.matmulSource(node.operands[0])
            let (b, tb) = program.matmulSource(node.operands[1])
            let (sa, sb) = (program.graph.shape(node.operands[0]), program.graph.shape(node.operands[1]))
            if program.storage[id.int] == .scalar { out.line("double \(name(id));") }
            out.line("adj_matmul(\(pointer(a)), \(pointer(b)), \(pointer(id)), \(sa[0]), \(sa[1]), \(sb[1]), \(ta ? 1 : 0), \(tb ? 1 : 0)); \(comment(id))")
        case .copy(let j, let id):
            let n = program.graph[id].count
            if n == 1 {
                out.line("out[\(j)][0] = \(read(id, at: IndexContext(shape: []))); /* output \(j) */")
            } else {
                let value = read(id, at: IndexContext(shape: program.graph.shape(id)))
                out.line("for (long k = 0; k < \(n); k++) out[\(j)][k] = \(value); /* output \(j) */")
            }
        }
    }

    package func comment(_ id: NodeID) -> String {
        let shape = program.graph.shape(id)
        return shape.isEmpty ? "" : "/* \(Shape.describe(shape)) */"
    }
}

/// Accumulates indented lines of C.
package struct CWriter {
    package var text = ""
    package var indent = 0

    package mutating func line(_ s: String) {
        text += String(repeating: "    ", count: indent)
        text += s.hasSuffix(" ") ? String(s.dropLast()) : s
        text += "\n"
    }
}
