import Testing

/// An EXPR that starts with '-' is EXPR, in every subcommand that takes one, wherever it stands
/// among the options; help, options and option values that start with '-' keep their meaning.
@Suite struct LeadingMinusTests {
    /// `-tanh(x)` read as `-t -a -n -h …` printed the help screen and exited 0.
    @Test func evalOfLeadingMinusExpression() throws {
        let output = try CLI.succeed(["eval", "-tanh(x)", "--var", "x", "--at", "x=1"])
        #expect(output == "value = -0.7615941559557649\n")
    }

    @Test(arguments: [
        ["eval", "-x**2", "--var", "x", "--at", "x=2", "--grad", "x"],
        ["eval", "--var", "x", "-x**2", "--at", "x=2", "--grad", "x"],
        ["eval", "--var", "x", "--at", "x=2", "--grad", "x", "-x**2"],
        ["eval", "--var", "x", "--at", "x=2", "--grad", "x", "--", "-x**2"],
    ])
    func evalWhereverTheExpressionStands(_ arguments: [String]) throws {
        #expect(try CLI.succeed(arguments) == "value = -4.0\ngradient x = -4.0\n")
    }

    /// A one-letter EXPR such as `-x` is EXPR unless the command has an option of that letter.
    @Test func singleLetterExpressions() throws {
        #expect(try CLI.succeed(["eval", "-x", "--var", "x", "--at", "x=3"]) == "value = -3.0\n")
        #expect(try CLI.succeed(["eval", "-1"]) == "value = -1.0\n")
        let viaTerminator = try CLI.succeed(["c", "--var", "x", "-o", "-", "--", "-x"])
        #expect(try CLI.succeed(["c", "-x", "-o", "-", "--var", "x"]) == viaTerminator)
        let missing = try CLI.run(["c", "-o", "--var", "x"])
        #expect(missing.status == 2 && missing.errors.contains("Missing value for '-o <FILE>'"))
    }

    @Test func cOfLeadingMinusExpression() throws {
        let viaTerminator = try CLI.succeed(["c", "--var", "x:3", "--grad", "x", "--", "-sum(tanh(x))"])
        #expect(try CLI.succeed(["c", "-sum(tanh(x))", "--var", "x:3", "--grad", "x"]) == viaTerminator)
        #expect(viaTerminator.contains("adj_kernel"))
    }

    @Test func plotOfLeadingMinusExpression() throws {
        let svg = try CLI.succeed(["plot", "-tanh(x)", "--var", "x", "--range", "-7:7", "--derivatives", "1", "-o", "-"])
        #expect(svg.hasPrefix("<?xml") && svg.contains("f(x) = -tanh(x) and its derivative"))
        // A range starting with '-' is still the value of --range, next to a leading-minus EXPR.
        let both = try CLI.succeed(["plot", "--range", "-2:-1", "-x", "--var", "x", "-o", "-"])
        #expect(both.contains("f(x) = -x"))
    }

    @Test func helpIsStillHelp() throws {
        for arguments in [["eval", "-h"], ["eval", "--help"], ["plot", "-tanh(x)", "--help"], ["c", "-x", "-h"]] {
            let run = try CLI.run(arguments)
            #expect(run.status == 0 && run.output.contains("USAGE: adjoint \(arguments[0])"), "adjoint \(arguments)")
        }
    }

    /// Other mistakes beside a leading-minus EXPR are reported as such, with status 2.
    @Test func otherErrorsAreStillReported() throws {
        let cases: [([String], String)] = [
            (["plot", "-tanh(x)", "--var", "x", "-o", "p.svg"], "Missing expected argument '--range <LO:HI>'"),
            (["eval", "-x", "-y", "--var", "x", "--at", "x=1"], "Unknown option '-y'"),
            (["eval", "-x", "--var", "x", "--at", "x=1", "--bogus"], "Unknown option '--bogus'"),
            (["eval", "-z", "--var", "x", "--at", "x=1"], "unknown variable 'z'"),
            (["eval", "--json"], "Missing expected argument '<expression>'"),
        ]
        for (arguments, message) in cases {
            let run = try CLI.run(arguments)
            #expect(run.exited && run.status == 2, "adjoint \(arguments) exited \(run.status)")
            #expect(run.errors.contains(message), "adjoint \(arguments) said:\n\(run.errors)")
        }
    }
}
