import Adjoint
import ArgumentParser

/// `adjoint c`: the C that the JIT compiles for EXPR (and its derivatives), or one
/// self-contained C file to embed in other programs.
///
/// One kernel computes everything asked for, sharing the forward pass: its results are EXPR's
/// value, then one gradient per `--grad` in order, then the hessian. That is the kernel
/// `adjoint eval` runs for the same options.
struct CCommand: ExpressionCommand {
    static let configuration = CommandConfiguration(
        commandName: "c",
        abstract: "Print the C code generated for EXPR and its derivatives.",
        discussion: """
            Prints one kernel, int adj_kernel(const double *const *in, double *const *out, double *ws): in[i] is the i-th --var (row-major doubles); out[0] is EXPR's value, then the gradients in --grad order, then the hessian; ws is scratch memory. Without --standalone this is exactly the text libtcc compiles in-process. With --standalone it is one C file that any C99 compiler builds with no other file, with a header comment saying what it computes and a function NAME_workspace() giving the size of ws.

            Examples:
              adjoint c 'sum(tanh(x))' --var x:3 --grad x
              adjoint c 'dot(x, A @ x)' --var A:3x3 --var x:3 --grad x --standalone -o f.c
              adjoint c 'sum(tanh(W @ x))' --var W:2x3 --var x:3 --grad W --graph -o graph.svg
            """
    )

    @Argument(help: "The expression, such as 'sum(tanh(x))'. Quote it for the shell.")
    var expression: String

    @Option(name: .customLong("var"),
            help: ArgumentHelp("Declare a variable: NAME for a scalar, NAME:SHAPE for a tensor (SHAPE is 3, 4x3, ...). Their order is the kernel's argument order.",
                               valueName: "NAME[:SHAPE]"))
    var variables: [String] = []

    @Option(name: .customLong("grad"),
            help: ArgumentHelp("Also compute the gradient with respect to NAME (EXPR must be a scalar). Repeatable.",
                               valueName: "NAME"))
    var gradients: [String] = []

    @Option(help: ArgumentHelp("Also compute the hessian with respect to NAME (EXPR must be a scalar).", valueName: "NAME"))
    var hessian: String?

    @Flag(help: "Print one self-contained C file: the kernel, the runtime code it uses, its constants, a workspace-size function and a header comment.")
    var standalone = false

    @Flag(help: "Print the traced graph instead of C: Graphviz dot text, the function's nodes and its derivative's set apart, each labelled with its op and shape. With -o FILE.svg, Graphviz's dot draws it.")
    var graph = false

    @Option(help: ArgumentHelp("The kernel's name in --standalone output (also NAME_workspace).", valueName: "NAME"))
    var name: String?

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Write the C to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    func execute(_ console: inout Console) throws(UsageError) {
        let declared = try Variable.parse(variables)
        let checked = try CheckedExpression(expression, variables: declared)
        let wrt = try checked.gradientIndices(gradients)
        let hessianIndex = try checked.hessianIndex(hessian)
        if let name {
            guard standalone else { throw UsageError("--name \(quoted(name)) applies only with --standalone") }
            guard Variable.isName(name), name.utf8.count <= 200 else {
                throw UsageError("--name \(quoted(name)) is not a C identifier (letters, digits and '_', not starting with a digit)")
            }
        }
        let function = checked.function(gradients: wrt, hessian: hessianIndex)
        let shapes = declared.map(\.shape)
        if graph {
            guard !standalone else { throw UsageError("--graph and --standalone: choose one (the graph or the C)") }
            let text = try GraphOutput.text(function, shapes: shapes, inputs: declared.map(\.name),
                                            outputs: outputLabels(checked, wrt: wrt, hessian: hessianIndex).map(\.name))
            if let output { return try GraphOutput.write(text, to: output, &console) }
            console.print(String(text.dropLast()))
            return
        }
        let source: String
        if standalone {
            let program = try checkingShapes { LoopProgram(tracing: function, at: shapes.map { Tensor.zeros($0) }) }
            source = Standalone.file(for: program, kernelName: name ?? "adj_kernel",
                                     summary: summary(checked, wrt: wrt, hessian: hessianIndex),
                                     inputs: declared.map { Standalone.Label($0.name) },
                                     outputs: outputLabels(checked, wrt: wrt, hessian: hessianIndex))
        } else {
            source = try checkingShapes { compile(function).cSource(for: shapes) }
        }
        if let output {
            try console.write(source, toFile: output)
        } else {
            console.print(source.hasSuffix("\n") ? String(source.dropLast()) : source)
        }
    }

    /// The header's first lines: what the file computes.
    private func summary(_ checked: CheckedExpression, wrt: [Int], hessian: Int?) -> [String] {
        let names = checked.variables.map(\.name).joined(separator: ", ")
        var lines = ["Generated by Adjoint \(AdjointCommand.version) (adjoint c --standalone).", ""]
        let text = checked.expression.text
        lines.append("f(\(names)) = " + (text.utf8.count <= 300 ? text : String(text.prefix(300)) + " ..."))
        var parts: [String] = []
        if !wrt.isEmpty { parts.append("its gradient with respect to " + wrt.map { checked.variables[$0].name }.joined(separator: ", ")) }
        if let hessian { parts.append("its hessian with respect to \(checked.variables[hessian].name)") }
        if !parts.isEmpty {
            lines.append("with " + parts[0] + (parts.count > 1 ? "," : ""))
            if parts.count > 1 { lines.append("and " + parts[1]) }
            lines.append("(exact derivatives, by reverse-mode automatic differentiation).")
        }
        return lines
    }

    private func outputLabels(_ checked: CheckedExpression, wrt: [Int], hessian: Int?) -> [Standalone.Label] {
        var labels = [Standalone.Label("f", note: "the value")]
        for i in wrt {
            let v = checked.variables[i].name
            labels.append(Standalone.Label("df/d\(v)", note: "gradient: element k is df/d\(v)[k]"))
        }
        if let hessian {
            let v = checked.variables[hessian].name
            labels.append(Standalone.Label("d2f/d\(v)2", note: "hessian: element (j, k) is d2f/d\(v)[j]d\(v)[k]"))
        }
        return labels
    }
}
