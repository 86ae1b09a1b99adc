/// One self-contained C file for a lowered program (`adjoint c --standalone`): it compiles with
/// any C99 compiler (`cc -std=c99 -Wall -c`, with no warning) or tcc, and needs nothing but libm.
///
/// The file holds, in order: a comment header saying what the kernel computes and its argument
/// order, declarations of the libm functions the kernel calls, the C file of each Runtime routine
/// it calls (`Runtime/matmul.c` for `adj_matmul`, pasted whole), the static helpers of the op
/// table that it uses, its tensor constants as static arrays, the kernel, and a workspace-size query
/// `long NAME_workspace(void)`. Only what is used is emitted, because `-Wall` reports unused
/// static functions. The kernel itself is the text the JIT compiles, under another name.
package enum Standalone {
    /// What the header says about one argument or result.
    package struct Label {
        package var name: String
        package var note: String
        package init(_ name: String, note: String = "") {
            self.name = name
            self.note = note
        }
    }

    /// The file for `program`, with the kernel called `kernelName`. `summary` lines open the
    /// header comment; `inputs` and `outputs` name the arguments and results in kernel order.
    package static func file(for program: LoopProgram, kernelName: String, summary: [String],
                             inputs: [Label], outputs: [Label]) -> String {
        let emitter = CEmitter(program, dataMode: .inline)
        let kernel = emitter.function(named: kernelName)
        // What the kernel calls, and what the helpers it calls call in turn.
        let helpers = Prelude.helperDefinitions(calling: Prelude.calledNames(in: kernel))
        let called = Prelude.calledNames(in: kernel + helpers.joined(separator: "\n"))
        var text = header(program, kernelName: kernelName, summary: summary, inputs: inputs, outputs: outputs)
        let prototypes = Rule.libmFunctions.filter { called.contains($0.name) }.map(\.prototype)
        if !prototypes.isEmpty { text += "\n" + prototypes.joined(separator: "\n") + "\n" }
        for file in Routine.files(for: called) { text += "\n" + runtime(file) }
        if !helpers.isEmpty { text += "\n" + helpers.joined(separator: "\n") + "\n" }
        let data = emitter.dataDeclarations()
        if !data.isEmpty { text += "\n" + data }
        text += "\n" + kernel
        text += "\n/* Elements (doubles) of scratch memory that \(kernelName) needs in ws. */\n"
        text += "long \(kernelName)_workspace(void) { return \(program.workspaceCount); }\n"
        return text
    }

    /// `Runtime/<file>`, with its `#include` of the runtime header replaced by the prototypes of
    /// the routines the file defines and calls (the output must stand alone).
    static func runtime(_ file: String) -> String {
        guard let source = RuntimeSource.files[file] else { preconditionFailure("no Runtime/\(file) embedded") }
        let include = "#include \"adjoint_runtime.h\""
        let needs = Set(Routine.all.filter { $0.file == file }.flatMap(\.needs))
        let declarations = Routine.all.filter { $0.file == file || needs.contains($0.file) }
            .map(\.prototype).joined(separator: "\n")
        return "/* ---- Runtime/\(file) (Adjoint's runtime), pasted because the kernel calls it ---- */\n"
            + source.replacing(include, with: declarations)
            + "/* ---- end of Runtime/\(file) ---- */\n"
    }

    /// The comment at the top: what the file computes, the calling convention, how to build it.
    private static func header(_ program: LoopProgram, kernelName: String, summary: [String],
                               inputs: [Label], outputs: [Label]) -> String {
        var lines = summary.map(commentSafe)
        lines.append("")
        lines.append("int \(kernelName)(const double *const *in, double *const *out, double *ws);")
        lines.append("")
        var rows: [[String]] = []
        for (i, shape) in program.inputShapes.enumerated() {
            let label = i < inputs.count ? inputs[i] : Label("argument \(i)")
            rows.append(["in[\(i)]", label.name, "shape " + Shape.describe(shape), elements(shape), label.note])
        }
        for (j, shape) in program.outputShapes.enumerated() {
            let label = j < outputs.count ? outputs[j] : Label("result \(j)")
            rows.append(["out[\(j)]", label.name, "shape " + Shape.describe(shape), elements(shape), label.note])
        }
        let scratch = program.workspaceCount
        rows.append(["ws", "scratch", "", scratch == 1 ? "1 double" : "\(scratch) doubles",
                     "as \(kernelName)_workspace() says" + (scratch == 0 ? " (NULL is fine)" : "")])
        lines += table(rows.map { $0.map(commentSafe) })
        lines.append("")
        lines.append("Arrays are row-major. The caller allocates every out[j]; the kernel allocates nothing,")
        lines.append("keeps no state, and may run on many threads at once with separate workspaces.")
        if program.guards.isEmpty {
            lines.append("Returns 0.")
        } else {
            lines.append("Returns 0, or k > 0 when the inputs take another branch than the one this code was")
            lines.append("generated for (guard k-1); the outputs are then left untouched.")
        }
        lines.append("Self-contained C99: cc -std=c99 -c FILE.c, then link with -lm.")
        let body = lines.map { (" * " + $0).trimmingTrailingSpaces() }.joined(separator: "\n")
        return "/*\n" + body + "\n */\n"
    }

    private static func elements(_ shape: [Int]) -> String {
        let n = Shape.count(shape)
        return n == 1 ? "1 double" : "\(n) doubles"
    }

    /// Rows of cells padded into aligned columns.
    private static func table(_ rows: [[String]]) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count + 2)
            }.joined().trimmingTrailingSpaces()
        }
    }

    /// Text that cannot end the comment, form a trigraph, or carry a control or non-ASCII character.
    private static func commentSafe(_ text: String) -> String {
        let bytes = text.utf8.map { byte -> UInt8 in
            byte < 0x20 || byte == 0x7F ? UInt8(ascii: " ") : byte > 0x7F ? UInt8(ascii: "?") : byte
        }
        var safe = String(decoding: bytes, as: UTF8.self).replacing("*/", with: "* /")
        while safe.contains("??") { safe = safe.replacing("??", with: "? ") }
        return safe
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
