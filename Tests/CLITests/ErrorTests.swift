import Foundation
import Testing

/// Every user error: exit status 2, one message on standard error naming the problem and its
/// place, nothing on standard output.
@Suite struct ErrorTests {
    static let cases: [(arguments: [String], message: String)] = [
        // The expression: syntax, names, shapes, indices, with a caret under the place.
        (["eval", "sin(x", "--var", "x", "--at", "x=1"], "'(' is never closed\n  sin(x\n     ^"),
        (["eval", "x +* 2", "--var", "x", "--at", "x=1"], "found '*'\n  x +* 2\n     ^"),
        (["eval", "x + y", "--var", "x", "--at", "x=1"], "unknown variable 'y'"),
        (["eval", "sum(x) + sim(x)", "--var", "x:3", "--at", "x=1,2,3"], "did you mean 'sin'?\n  sum(x) + sim(x)\n           ^~~"),
        (["eval", "x + y", "--var", "x:3", "--var", "y:4", "--at", "x=1,2,3", "--at", "y=1,2,3,4"], "cannot broadcast shapes [3] and [4] for '+'\n  x + y\n  ^~~~~"),
        (["eval", "x[5]", "--var", "x:3", "--at", "x=1,2,3"], "index 5 is out of range"),
        (["eval", "x é 2", "--var", "x", "--at", "x=1"], "unexpected character 'é' (U+00E9)\n  x é 2\n    ^"),
        (["eval", "x + y", "--var", "x:4096x1", "--var", "y:1x8192", "--at", "x=1", "--at", "y=1"], "would have 33554432 elements"),
        (["c", "sum(A @ B @ A)", "--var", "A:1000x1000", "--var", "B:1000x1000"], "more than 1000000000 multiply-adds; the command line handles no more\n  sum(A @ B @ A)\n      ^~~~~~~~~"),
        (["c", "x + x * 2 + x * 3 + x * 4 + x * 5", "--var", "x:16000000"], "more than 67108864 elements in all"),
        // Declarations and values.
        (["eval", "x", "--var", "x:3y", "--at", "x=1"], "--var 'x:3y': '3y' is not an extent"),
        (["eval", "x", "--var", "3x", "--at", "x=1"], "'3x' is not a name"),
        (["eval", "x", "--var", "x:", "--at", "x=1"], "the shape after ':' is missing"),
        (["eval", "x", "--var", "x:0", "--at", "x=1"], "every extent must be at least 1"),
        (["eval", "x", "--var", "x:100000x100000", "--at", "x=1"], "the shape is too large"),
        (["eval", "x", "--var", "x", "--var", "x:2", "--at", "x=1"], "'x' is declared twice"),
        (["eval", "x", "--var", "pi"], "'pi' is the constant"),
        (["eval", "x", "--var", "x"], "no value for 'x': add --at x=VALUE"),
        (["eval", "x", "--var", "x:2x2"], "no value for 'x': add --at x=0,0,0,... (shape 2x2: 4 numbers"),
        (["eval", "x", "--var", "x", "--at", "x"], "--at 'x': expected NAME=VALUES"),
        (["eval", "x", "--var", "x", "--at", "x="], "no values after '='"),
        (["eval", "x", "--var", "x", "--at", "x=abc"], "value 1, 'abc', is not a number"),
        (["eval", "x", "--var", "x", "--at", "x=1e999"], "is not a number (or is out of range)"),
        (["eval", "x", "--var", "x:3", "--at", "x=1,2"], "'x' has shape 3 and takes 3 values, but 2 are given"),
        (["eval", "x", "--var", "x", "--at", "x=1", "--at", "x=2"], "'x' is given a value twice"),
        (["eval", "x", "--var", "x", "--at", "x=1", "--at", "y=2"], "--at 'y=2': 'y' is not a declared variable (declared: x)"),
        // Derivatives.
        (["eval", "x", "--var", "x", "--at", "x=1", "--grad", "y"], "--grad 'y': 'y' is not a declared variable"),
        (["eval", "x * 2", "--var", "x:3", "--at", "x=1,2,3", "--grad", "x"], "--grad needs a scalar expression, but this has shape 3; reduce it first, e.g. sum(x * 2)\n  x * 2\n  ^~~~~"),
        (["eval", "x", "--var", "x", "--at", "x=1", "--grad", "x", "--grad", "x"], "--grad 'x' is given twice"),
        (["c", "sum(x)", "--var", "x:2000", "--hessian", "x"], "hessians of at most 1024"),
        (["c", "x", "--var", "x", "--name", "f"], "--name 'f' applies only with --standalone"),
        (["c", "x", "--var", "x", "--standalone", "--name", "1f"], "is not a C identifier"),
        // Files and plots.
        (["c", "x", "--var", "x", "-o", "/nonexistent-directory/f.c"], "cannot write '/nonexistent-directory/f.c' (-o): No such file or directory"),
        (["plot", "x", "--var", "x", "--range", "-1:1", "-o", "/nonexistent-directory/p.svg"], "cannot write"),
        (["plot", "x", "--var", "x", "--range", "7", "-o", "p.svg"], "--range '7': expected LO:HI"),
        (["plot", "x", "--var", "x", "--range", "1:-1", "-o", "p.svg"], "LO must be less than HI"),
        (["plot", "x", "--var", "x", "--range", "0:inf", "-o", "p.svg"], "the ends must be finite"),
        (["plot", "x", "--var", "x:3", "--range", "0:1", "-o", "p.svg"], "declare --var x without a shape"),
        (["plot", "x", "--var", "x", "--range", "0:1", "--derivatives", "20", "-o", "p.svg"], "--derivatives 20: choose 0 to 8"),
        (["plot", "x", "--var", "x", "--range", "0:1", "--points", "1", "-o", "p.svg"], "--points 1: choose 2 to 100000"),
        (["plot", "x + y", "--var", "x", "--range", "0:1", "-o", "p.svg"], "unknown variable 'y'"),
        // ArgumentParser's own usage errors exit 2 too (it would use 64).
        (["eval", "x", "--var", "x", "--at", "x=1", "--bogus"], "Unknown option '--bogus'"),
        (["eval"], "Missing expected argument '<expression>'"),
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
        (["plot", "x", "--var", "x", "--range", "0:1", "--points", "many", "-o", "p.svg"], "--points"),
        // An EXPR that starts with '-' is EXPR (LeadingMinusTests); one that reads as a long
        // option still gets the hint.
        (["eval", "--x*2", "--var", "x", "--at", "x=2"], "goes after '--'"),
        // Issue 14's functions: errors the checker finds, and one only the values show (without
        // the library's Swift location).
        (["eval", "einsum('ij,jk->il', A, A)", "--var", "A:2x2", "--at", "A=1,2,3,4"], "output letter 'l' appears in no operand"),
        (["eval", "'ij' + 1"], "a string is only an argument of einsum"),
        (["eval", "roll(x, s)", "--var", "x:3", "--var", "s", "--at", "x=1,2,3", "--at", "s=1"], "the shift of 'roll' must be an integer literal"),
        (["eval", "triu(x, q=1)", "--var", "x:2x2", "--at", "x=1,2,3,4"], "'triu' has no argument 'q'"),
        (["eval", "take(x, y)", "--var", "x:3", "--var", "y:2", "--at", "x=1,2,3", "--at", "y=0.4,1"],
         "shape error in take: index 0.4 is not an integer (operands (3,) and (2,))"),
    ]

    @Test(arguments: cases.indices)
    func exitsWithStatus2(_ k: Int) throws {
        let (arguments, message) = Self.cases[k]
        let run = try CLI.run(arguments)
        #expect(run.exited, "adjoint \(arguments) crashed")
        #expect(run.status == 2, "adjoint \(arguments) exited \(run.status)")
        #expect(run.output.isEmpty, "adjoint \(arguments) printed \(run.output)")
        #expect(run.errors.hasPrefix("Error: "), "adjoint \(arguments): \(run.errors)")
        #expect(run.errors.contains(message), "adjoint \(arguments) said:\n\(run.errors)\nexpected:\n\(message)")
    }

    /// Help and version are not errors.
    @Test func helpAndVersion() throws {
        let version = try CLI.run(["--version"])
        #expect(version.status == 0 && version.output == "0.1.0\n")
        for command in ["c", "eval", "plot"] {
            let help = try CLI.run([command, "--help"])
            #expect(help.status == 0 && help.output.contains("USAGE: adjoint \(command)"))
            #expect(!help.output.contains("fuzz-check"))
        }
        let overview = try CLI.run([])
        #expect(overview.status == 0 && overview.output.contains("SUBCOMMANDS"))
    }

    /// A huge or binary argument gives a short, printable message.
    @Test func hugeArgumentsAreQuotedShort() throws {
        let run = try CLI.run(["eval", String(repeating: "-", count: 50_000) + "x\u{7}"])
        #expect(run.status == 2)
        #expect(run.errors.split(separator: "\n").allSatisfy { $0.count < 400 })
        #expect(!run.errors.contains("\u{7}"))
    }
}
