import Adjoint
import ArgumentParser

/// `adjoint`: the root command, which only dispatches to its subcommands.
struct AdjointCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "adjoint",
        abstract: "Differentiate, compile, evaluate and plot expressions over tensors.",
        discussion: """
            EXPR is an expression over declared variables: numbers, names, + - * / ** ^ @, unary -, parentheses, calls such as sum(x), dot(a, b), where(x > 0, a, b), indexing x[0], slicing x[1:3], and the constant pi. Declare each variable with --var NAME[:SHAPE] (SHAPE is 3, 4x3, ...; none for a scalar).

            Quote EXPR for the shell. EXPR may start with '-', as in:
              adjoint eval '-x**2' --var x --at x=2
            Everything after '--' is EXPR, never an option: adjoint eval --var x --at x=2 -- '-x**2'

            Errors in what you type print one message with its place and exit with status 2.

            """ + "\nFunctions (adjoint functions lists them with their arities): "
            + Expression.functionSignatures.joined(separator: ", ") + ".",
        version: version,
        subcommands: [CCommand.self, EvalCommand.self, PlotCommand.self, FunctionsCommand.self, FuzzCheckCommand.self]
    )
}

/// A subcommand that runs against a `Console`, so that the process and the in-process
/// `fuzz-check` mode run the very same code.
protocol ConsoleCommand: ParsableCommand {
    func execute(_ console: inout Console) throws(UsageError)
}

extension ConsoleCommand {
    /// ArgumentParser's entry point, for completeness: `CLI.run` calls `execute` instead.
    mutating func run() throws {
        var console = Console(streaming: true)
        try execute(&console)
    }
}

/// The command line as a function from arguments to an exit status.
enum CLI {
    /// Exit status for anything the user typed wrong, whoever noticed it (ArgumentParser's own
    /// usage errors included, which it would report as 64).
    static let usageStatus: Int32 = 2

    /// Parses `arguments` (without the program name), runs the command, and returns the exit
    /// status: 0, or 2 with one message on standard error. It never traps on any input.
    static func run(_ arguments: [String], console: inout Console) -> Int32 {
        let arguments = LeadingMinus.rewrite(arguments)
        let command: any ParsableCommand
        do {
            command = try AdjointCommand.parseAsRoot(arguments)
        } catch {
            return report(error, arguments: arguments, console: &console)
        }
        guard let runnable = command as? any ConsoleCommand else {
            // `adjoint` alone, `--help`, `help c`: ArgumentParser's commands, which only throw
            // the request for a help screen.
            do {
                var other = command
                try other.run()
                return 0
            } catch {
                return report(error, arguments: arguments, console: &console)
            }
        }
        do {
            try runnable.execute(&console)
            return 0
        } catch {
            console.printError("Error: " + error.message)
            return usageStatus
        }
    }

    /// ArgumentParser's message for a parse error, help or version request; usage errors exit 2.
    private static func report(_ error: any Error, arguments: [String], console: inout Console) -> Int32 {
        let code = AdjointCommand.exitCode(for: error)
        var message = AdjointCommand.fullMessage(for: error)
        if code == .success {
            console.print(message)
            return 0
        }
        if let hint = leadingMinusHint(arguments, message: message) { message += "\n" + hint }
        console.printError(sanitized(message))
        return usageStatus
    }

    /// An expression such as `-x**2` reads as an unknown option; say how to pass it.
    private static func leadingMinusHint(_ arguments: [String], message: String) -> String? {
        let expressionChars = "0123456789.*/+()[]@^<> ".utf8
        let looksLikeExpression: Bool
        if message.contains("Missing expected argument '<expression>'") {
            looksLikeExpression = arguments.contains { argument in
                argument.hasPrefix("-") && argument != "-o" && argument != "-h"
                    && (!argument.hasPrefix("--") || argument.utf8.contains { expressionChars.contains($0) })
            }
        } else if message.contains("nknown option") || message.contains("nvalid option") {
            looksLikeExpression = arguments.contains { argument in
                argument.hasPrefix("-") && argument.utf8.contains { expressionChars.contains($0) }
                    && message.contains("'\(argument)'")
            }
        } else {
            looksLikeExpression = false
        }
        guard looksLikeExpression else { return nil }
        return "Hint: an EXPR that starts with '-' goes after '--', as in: adjoint eval --var x --at x=2 -- '-x**2'"
    }

    /// ArgumentParser quotes arguments whole: cut long lines and hide control characters, so a
    /// one-megabyte or binary argument gives a readable message.
    static func sanitized(_ message: String, width: Int = 300) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let visible = String(line.unicodeScalars.map { scalar -> Character in
                scalar.properties.generalCategory.isControlOrInvisible ? "?" : Character(scalar)
            })
            return visible.count > width ? String(visible.prefix(width)) + "..." : visible
        }.joined(separator: "\n")
    }
}
