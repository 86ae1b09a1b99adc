import Adjoint
import ArgumentParser

/// `adjoint eval`: EXPR's value and gradients at the given values, compiled or interpreted.
struct EvalCommand: ExpressionCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate EXPR, and its gradients, at given values.",
        discussion: """
            Every declared variable needs a value: --at NAME=VALUES, numbers separated by commas, row-major (4x3 takes 12). The function is traced, differentiated and compiled to native code by default; --interpret evaluates it with the reference interpreter instead. With --json, non-finite numbers print as null.

            Examples:
              adjoint eval 'sum(x ** 2)' --var x:3 --at x=1,2,3 --grad x
              adjoint eval 'dot(W @ x, x)' --var W:2x2 --var x:2 --at W=1,2,3,4 --at x=1,-1 --json
            """
    )

    @Argument(help: "The expression, such as 'sum(x ** 2)'. Quote it for the shell.")
    var expression: String

    @Option(name: .customLong("var"),
            help: ArgumentHelp("Declare a variable: NAME for a scalar, NAME:SHAPE for a tensor (SHAPE is 3, 4x3, ...). Repeat for each variable.",
                               valueName: "NAME[:SHAPE]"))
    var variables: [String] = []

    @Option(name: .customLong("at"),
            help: ArgumentHelp("A variable's value: NAME=VALUES, numbers separated by commas, row-major. One for each variable.",
                               valueName: "NAME=VALUES"))
    var assignments: [String] = []

    @Option(name: .customLong("grad"),
            help: ArgumentHelp("Also print the gradient of EXPR with respect to NAME (EXPR must be a scalar). Repeatable.",
                               valueName: "NAME"))
    var gradients: [String] = []

    @Option(help: ArgumentHelp("Also print the hessian of EXPR with respect to NAME (shape: NAME's shape twice).",
                               valueName: "NAME"))
    var hessian: String?

    @Flag(help: "Evaluate with the reference interpreter instead of compiled code.")
    var interpret = false

    @Flag(help: "Print one JSON object: {\"value\": {\"shape\": [...], \"values\": [...]}, \"gradients\": {NAME: {...}}}.")
    var json = false

    func execute(_ console: inout Console) throws(UsageError) {
        let declared = try Variable.parse(variables)
        let checked = try CheckedExpression(expression, variables: declared)
        let wrt = try checked.gradientIndices(gradients)
        let hessianIndex = try checked.hessianIndex(hessian)
        let arguments = try Assignments.parse(assignments, for: declared)
        let function = checked.function(gradients: wrt, hessian: hessianIndex)
        let results = try checkingShapes { interpret ? function(arguments) : compile(function)(arguments) }
        let gradientResults = zip(wrt, results.dropFirst()).map { (declared[$0].name, $1) }
        let hessianResult = hessianIndex.map { (declared[$0].name, results[results.count - 1]) }
        if json {
            var object = "{\"value\": \(TensorText.json(results[0])), \"gradients\": {"
            object += gradientResults.map { "\"\($0)\": \(TensorText.json($1))" }.joined(separator: ", ") + "}"
            if let (name, h) = hessianResult { object += ", \"hessian\": {\"\(name)\": \(TensorText.json(h))}" }
            console.print(object + "}")
            return
        }
        console.print(TensorText.labeled("value", results[0]))
        for (name, g) in gradientResults { console.print(TensorText.labeled("gradient \(name)", g)) }
        if let (name, h) = hessianResult { console.print(TensorText.labeled("hessian \(name)", h)) }
    }
}
