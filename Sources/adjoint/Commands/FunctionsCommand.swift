import Adjoint
import ArgumentParser

/// `adjoint functions`: every function EXPR may call, with its parameters and how many
/// arguments it takes, one a line. NumPy's spellings (`arcsin`, `arctan2`, `gammaln`) are
/// listed as functions of their own; they are the same functions.
struct FunctionsCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "functions",
        abstract: "List the functions EXPR may call, with their arities."
    )

    func execute(_ console: inout Console) throws(UsageError) {
        let table = Expression.functionTable
        let width = table.map { $0.name.count + $0.parameters.count }.max() ?? 0
        for row in table {
            let signature = row.name + row.parameters
            let arguments = row.arguments == "1" ? "1 argument" : "\(row.arguments) arguments"
            console.print(signature + String(repeating: " ", count: width - signature.count + 2) + arguments)
        }
    }
}
