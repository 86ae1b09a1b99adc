import ArgumentParser

/// A subcommand whose one positional argument is EXPR.
protocol ExpressionCommand: ConsoleCommand {
    var expression: String { get }
}

/// EXPR may start with '-' (`adjoint eval '-tanh(x)' --var x --at x=1`).
///
/// ArgumentParser reads such an argument as options: `-tanh(x)` is `-t -a -n -h …`, whose `h`
/// asked for the help screen (status 0, nothing evaluated), and `-x**2` was an unknown option.
/// `@Argument(parsing: .allUnrecognized)` would not help: the built-in help flags are looked for
/// among unrecognized arguments too. So before parsing, an argument that starts with '-' is moved
/// behind `--` when ArgumentParser itself says that the command lacks EXPR without it, unless it
/// is the value of the option before it (`--range -7:7`) or an option itself (`-o`), which
/// ArgumentParser tells too. `-h`, `-help` and anything spelled like a long option (`--var`,
/// `--json`) are never moved, so help and every real flag keep working.
enum LeadingMinus {
    /// The names of the subcommands that take EXPR.
    static let commandNames: Set<String> = Set(AdjointCommand.configuration.subcommands.compactMap { type in
        (type as? any ExpressionCommand.Type)?.configuration.commandName
    })

    /// `arguments` (without the program name) with a leading-minus EXPR moved behind `--`, or as
    /// they are.
    static func rewrite(_ arguments: [String]) -> [String] {
        guard let command = arguments.first, commandNames.contains(command) else { return arguments }
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        for i in arguments.indices.dropFirst() where i < end && isCandidate(arguments[i], of: command)
            && !takesValue(arguments[i - 1], of: command) {
            var rest = arguments
            let expression = rest.remove(at: i)
            guard lacksExpression(rest) else { continue }
            if let terminator = rest.firstIndex(of: "--") {
                rest.insert(expression, at: terminator + 1)
            } else {
                rest += ["--", expression]
            }
            return rest
        }
        return arguments
    }

    /// Starts with '-' but is not `-`, `--`, a help flag, a long option (`--var`, `--at=…`) or
    /// one of the command's short options (`-o`; `-x` is EXPR when no option is called x).
    private static func isCandidate(_ argument: String, of command: String) -> Bool {
        guard argument.hasPrefix("-"), argument != "-", argument != "--", argument != "-h", argument != "-help" else {
            return false
        }
        // A short option that takes a value is missing it here; EXPR is missing only if it is none.
        if argument.count == 2 { return lacksExpression([command, argument]) }
        let afterDashes = argument.dropFirst(2).first
        return !(argument.hasPrefix("--") && (afterDashes?.isLetter ?? false))
    }

    /// Whether `argument` is an option that takes the next argument as its value (`--range`, `-o`).
    private static func takesValue(_ argument: String, of command: String) -> Bool {
        guard argument.hasPrefix("-"), !argument.contains("=") else { return false }
        return message(parsing: [command, argument])?.contains("Missing value for") ?? false
    }

    /// Whether ArgumentParser rejects `arguments` for want of EXPR. (EXPR is each command's first
    /// property, so its absence is the first error reported.)
    private static func lacksExpression(_ arguments: [String]) -> Bool {
        message(parsing: arguments)?.contains("Missing expected argument '<expression>'") ?? false
    }

    /// ArgumentParser's message when it rejects `arguments`; nil when they parse.
    private static func message(parsing arguments: [String]) -> String? {
        do {
            _ = try AdjointCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return AdjointCommand.message(for: error)
        }
    }
}
