import AdjointCheck
#if canImport(Glibc)
import Glibc
#endif

// adjoint-stress: throughput of batch calls and of compiling on many threads, then random
// programs checked four ways for as long as asked (scripts/stress).
//   adjoint-stress [--seed S] [--programs N (the end)] [--start K] [--seconds T] [--optimized-every K]
//                  [--no-throughput] [--no-shrink]
// (--start K: begin at program K of the seed, to repeat a failure reported as "program K".)
// Prints each failure, shrunk to a minimal program, and a closing 'N passed, N failed' line;
// exits 1 when any program failed.

func value(_ flag: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return fallback }
    guard let n = Int(args[i + 1]), n >= 0 else {
        print("adjoint-stress: \(flag) needs a non-negative integer, got '\(args[i + 1])'")
        exit(2)
    }
    return n
}

let seed = UInt64(value("--seed", 1))
let programs = value("--programs", 100_000)
let seconds = value("--seconds", 0)
let shrinks = CommandLine.arguments.contains("--no-shrink") ? 0 : 5
let campaign = Campaign(seed: seed, programs: programs, optimizedEvery: value("--optimized-every", 200))
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
let start = now()
func elapsed() -> Double { now() - start }

if !CommandLine.arguments.contains("--no-throughput") { Throughput.report() }
print("adjoint-stress: seed \(seed), up to \(programs) programs\(seconds > 0 ? " or \(seconds) s" : "")")
var checked = 0, failed = 0
var k = value("--start", 0)
while k < programs && (seconds == 0 || elapsed() < Double(seconds)) {
    let chunk = k..<Swift.min(programs, k + 100)
    let report = campaign.run(chunk, shrinkLimit: failed < shrinks ? 1 : 0)
    checked += report.checked
    failed += report.failures.count
    if !report.failures.isEmpty { print(report) }
    k = chunk.upperBound
    print("  \(checked) programs in \(Int(elapsed())) s, \(failed) failing")
    fflush(nil)
}
print("\(checked - failed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
