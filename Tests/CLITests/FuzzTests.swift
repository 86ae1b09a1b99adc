import Foundation
import Testing
import TestSupport

/// Random byte strings and random token soups never crash the command line, and always exit
/// with 0 or 2. Thousands of cases run in-process through the hidden `fuzz-check` mode (the
/// same `CLI.run` as the process); a few hundred more are real process spawns.
@Suite struct FuzzTests {
    static let expressionTokens = [
        "x", "y", "A", "v", "(", ")", "[", "]", ",", ":", "+", "-", "*", "/", "**", "^", "@", "<", "<=", ">", ">=",
        "0", "1", "2", "-1", "2.5", "1e3", "1e999", ".5", "pi", "sum", "mean", "max", "min", "dot", "matmul",
        "transpose", "where", "pow", "exp", "log", "tanh", "sigmoid", "relu", "softplus", "sqrt", "abs",
        "axis", "=", "axis=", " ", "  ", "\t", "\n", "é", "∑", "\u{0}", "\u{202E}", "🙂", "#", "$", "'", "\"", "\\",
    ]

    static let optionTokens = [
        "c", "eval", "plot", "--var", "x", "y", "x:3", "A:2x3", "v:3", "y:2x2", "x:0", "x:3x", "--at", "x=1",
        "x=1,2,3", "y=0.5", "A=1,2,3,4,5,6", "v=1,-2,3", "x=", "=", "--grad", "--hessian", "--standalone",
        "--name", "k", "--json", "--interpret", "-o", "-", "--range", "-1:1", "0:1", "1:0", "--derivatives",
        "2", "0", "-3", "--points", "5", "9", "--help", "-h", "--version", "--", "fuzz-check", "--bogus", "-x",
    ]

    /// One random case: arguments as byte arrays.
    static func randomCase(_ rng: inout SplitMix64) -> [[UInt8]] {
        func expression() -> [UInt8] {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:  // random bytes, NUL and invalid UTF-8 included
                return (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 1:  // printable ASCII noise
                return (0..<Int.random(in: 0...30, using: &rng)).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }
            default:  // a soup of expression tokens
                let tokens = (0..<Int.random(in: 1...14, using: &rng)).map { _ in expressionTokens.randomElement(using: &rng)! }
                return Array(tokens.joined(separator: Bool.random(using: &rng) ? " " : "").utf8)
            }
        }
        var arguments: [[UInt8]] = [Array(["c", "eval", "plot"].randomElement(using: &rng)!.utf8), expression()]
        if Int.random(in: 0..<4, using: &rng) == 0 {
            // A structured call: declarations and values that often fit, so evaluation runs too.
            arguments += ["--var", "x:3", "--var", "y", "--var", "A:2x3", "--at", "x=1,2,3", "--at", "y=0.5",
                          "--at", "A=1,2,3,4,5,6"].map { Array($0.utf8) }
            if Bool.random(using: &rng) { arguments += [Array("--grad".utf8), Array(["x", "y", "A"].randomElement(using: &rng)!.utf8)] }
            if arguments[0] == Array("plot".utf8) { arguments = [Array("plot".utf8), expression()] + ["--var", "y", "--range", "-1:1", "--points", "7", "--derivatives", "2", "-o", "-"].map { Array($0.utf8) } }
            if arguments[0] == Array("c".utf8) { arguments = arguments.filter { $0 != Array("--at".utf8) && !$0.contains(UInt8(ascii: "=")) } }
        }
        for _ in 0..<Int.random(in: 0...8, using: &rng) {
            let token = Int.random(in: 0..<5, using: &rng) == 0 ? expression() : Array(optionTokens.randomElement(using: &rng)!.utf8)
            arguments.insert(token, at: Int.random(in: 0...arguments.count, using: &rng))
        }
        // Never let a spawned case write a file outside its directory.
        for k in arguments.indices where arguments[k] == Array("-o".utf8) && k + 1 < arguments.count {
            arguments[k + 1] = Array("-".utf8)
        }
        return arguments
    }

    /// A random expression from the grammar, over x:3, y, A:2x3, B:3x2 and v:2: most are shape
    /// errors, the rest evaluate. This is where the checker and the evaluator must agree
    /// (an expression that checks must build without a trap).
    static func grammarExpression(_ rng: inout SplitMix64, depth: Int = 0) -> String {
        let leaves = ["x", "y", "A", "B", "v", "2", "0.5", "-1", "pi", "1e-3"]
        if depth > 3 || Int.random(in: 0..<3, using: &rng) == 0 { return leaves.randomElement(using: &rng)! }
        func sub() -> String { grammarExpression(&rng, depth: depth + 1) }
        func integer() -> String { String(Int.random(in: -4...4, using: &rng)) }
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: return "(\(sub()) \(["+", "-", "*", "/", "**", "^", "@"].randomElement(using: &rng)!) \(sub()))"
        case 1: return "\(["exp", "log", "sin", "tanh", "sqrt", "abs", "sigmoid", "relu", "softplus", "log1p", "expm1", "transpose"].randomElement(using: &rng)!)(\(sub()))"
        case 2: return "\(["sum", "mean", "max", "min"].randomElement(using: &rng)!)(\(sub())\(Bool.random(using: &rng) ? ", \(Bool.random(using: &rng) ? "axis=" : "")\(integer())" : ""))"
        case 3: return "\(["dot", "matmul", "pow"].randomElement(using: &rng)!)(\(sub()), \(sub()))"
        case 4: return "where(\(sub()) \(["<", "<=", ">", ">="].randomElement(using: &rng)!) \(sub()), \(sub()), \(sub()))"
        case 5: return "\(sub())[\(integer())]"
        case 6: return "\(sub())[\(integer()), \(integer())]"
        case 7: return "\(sub())[\(Bool.random(using: &rng) ? integer() : ""):\(Bool.random(using: &rng) ? integer() : "")]"
        default: return "-\(sub())"
        }
    }

    static func grammarCase(_ rng: inout SplitMix64) -> [[UInt8]] {
        var arguments = [Bool.random(using: &rng) ? "eval" : "c", grammarExpression(&rng),
                         "--var", "x:3", "--var", "y", "--var", "A:2x3", "--var", "B:3x2", "--var", "v:2"]
        if arguments[0] == "eval" {
            arguments += ["--at", "x=1,-2,3", "--at", "y=0.5", "--at", "A=1,2,3,4,5,6", "--at", "B=-1,0,1,2,3,4", "--at", "v=0.25,4"]
            if Int.random(in: 0..<3, using: &rng) == 0 { arguments.append("--interpret") }
        }
        if Bool.random(using: &rng) { arguments += ["--grad", ["x", "y", "A", "B", "v"].randomElement(using: &rng)!] }
        if Int.random(in: 0..<4, using: &rng) == 0 { arguments += ["--hessian", ["x", "y", "v"].randomElement(using: &rng)!] }
        if arguments[0] == "c" && Bool.random(using: &rng) { arguments.append("--standalone") }
        return arguments.map { Array($0.utf8) }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func thousandsOfCasesInProcess() throws {
        // ADJOINT_FUZZ_CASES=100000 (and ADJOINT_FUZZ_SEED) for a longer hunt than the default.
        let environment = ProcessInfo.processInfo.environment
        let count = environment["ADJOINT_FUZZ_CASES"].flatMap { Int($0) } ?? 2500
        var rng = SplitMix64(seed: environment["ADJOINT_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED)
        let cases = (0..<count).map { _ in Self.randomCase(&rng) } + (0..<count / 3).map { _ in Self.grammarCase(&rng) }
            + Self.extremeCases().map { $0.map { Array($0.utf8) } }
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let corpus = directory.appendingPathComponent("corpus.txt")
        try cases.map { $0.map(Self.hex).joined(separator: " ") }.joined(separator: "\n").appending("\n")
            .write(to: corpus, atomically: true, encoding: .utf8)
        let run = try CLI.run(["fuzz-check", corpus.path], in: directory)
        let lines = run.output.split(separator: "\n")
        let finished = lines.count
        if !run.exited || run.status != 0 {
            let culprit = finished < cases.count ? cases[finished].map { String(decoding: $0, as: UTF8.self).debugDescription } : []
            Issue.record("fuzz-check died at case \(finished): \(culprit)\n\(run.errors.prefix(2000))")
            return
        }
        #expect(finished == cases.count)
        var statuses: [Int: Int] = [:]
        for line in lines {
            let parts = line.split(separator: " ")
            let index = Int(parts[0])!, status = Int(parts[1])!
            statuses[status, default: 0] += 1
            if parts.count > 2 || (status != 0 && status != 2) {
                let arguments = cases[index].map { String(decoding: $0, as: UTF8.self).debugDescription }
                Issue.record("case \(index) exited \(status) (\(parts.dropFirst(2).joined())): \(arguments)")
            }
        }
        // The corpus must reach the code past the checks, not only the error paths.
        #expect(statuses[0, default: 0] >= 100, "only \(statuses[0, default: 0]) cases succeeded: \(statuses)")
        #expect(statuses[2, default: 0] >= 1000)
    }

    /// Very long, deeply nested, NUL-containing and non-ASCII expressions.
    static func extremeCases() -> [[String]] {
        let values = ["--var", "x", "--at", "x=0.5", "--grad", "x"]
        return [
            ["eval", String(repeating: "(", count: 100_000) + "x" + String(repeating: ")", count: 100_000)] + values,
            ["eval", String(repeating: "(", count: 100_000) + "x"] + values,
            ["eval", String(repeating: "sin(", count: 5000) + "x" + String(repeating: ")", count: 5000)] + values,
            ["eval", "--"] + values + [String(repeating: "-", count: 100_000) + "x"],
            ["eval", String(repeating: "x**", count: 5000) + "x"] + values,
            ["eval", (0..<4000).map { "x*\($0)" }.joined(separator: "+")] + values,
            ["c", (0..<3000).map { "sin(x*\($0))" }.joined(separator: "+"), "--var", "x", "--grad", "x", "--standalone"],
            ["eval", "x\u{0}+1"] + values,
            ["eval", "x + \u{0}"] + values,
            ["eval", "\u{0}"],
            ["eval", "x + ∑"] + values,
            ["eval", "x +\u{202E} 1"] + values,
            ["eval", "漢字 + x"] + values,
            ["eval", "x", "--var", String(repeating: "x", count: 100_000), "--at", "x=1"],
            ["eval", "x", "--var", "x", "--at", "x=" + Array(repeating: "1", count: 100_000).joined(separator: ",")],
            ["eval", "x[" + String(repeating: "9", count: 40) + "]", "--var", "x:3", "--at", "x=1,2,3"],
            ["plot", "x", "--var", "x", "--range", "-1e308:1e308", "-o", "-"],
            ["plot", "1/x", "--var", "x", "--range", "-1:1", "--points", "3", "--derivatives", "8", "-o", "-"],
        ]
    }

    /// Real processes: the same generator (NUL bytes cannot be passed through exec, so they are
    /// dropped; arguments are valid Unicode, as Process requires).
    @Test func hundredsOfProcesses() throws {
        var rng = SplitMix64(seed: 0xC0FFEE)
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var statuses: [Int32: Int] = [:]
        for _ in 0..<250 {
            let arguments = Self.randomCase(&rng).map { String(decoding: $0.filter { $0 != 0 }, as: UTF8.self) }
                .filter { $0 != "fuzz-check" }
            let run = try CLI.run(arguments, in: directory)
            statuses[run.status, default: 0] += 1
            #expect(run.exited, "adjoint crashed on \(arguments.map(\.debugDescription)): \(run.errors.prefix(1000))")
            #expect(run.status == 0 || run.status == 2, "adjoint exited \(run.status) on \(arguments.map(\.debugDescription))")
            if run.status == 2 { #expect(!run.errors.isEmpty) }
        }
        #expect(statuses[0, default: 0] >= 5, "\(statuses)")
    }
}
