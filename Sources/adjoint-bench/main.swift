import Adjoint
#if canImport(Glibc)
import Glibc
#endif

// adjoint-bench: the peers' workloads (../shared/peers/WORKLOADS.md, W1–W7 and GEMM, and ADBench's
// LSTM objective, LSTM.swift) through
// Adjoint's public API, beside a hand-written Swift baseline run in this process and the peers
// (JAX jit, autograd, CasADi, NumPy's BLAS and LAPACK) measured in the same run by the scripts in
// peers/ with the peers' virtual environment (scripts/peers-venv), single thread, each group just
// before our rows of it. Run:
//   swift run -c release adjoint-bench [--quick] [--no-peers] [--only W1,W3,GEMM] [--w7]
// `--no-peers` leaves the peers out; `--only` runs the sections named (by prefix, with their
// peers); `--w7` runs W7 alone. `--profile`, `--profile-w1`, `--w6-setup`, `--setups`:
// diagnostic modes, see Profiles.swift.

let arguments = CommandLine.arguments
if arguments.contains("--quick") {
    Measure.minBatch = 0.02
    Measure.batches = 3
    PeerRun.environment.merge(["PEERS_TARGET": "0.02", "PEERS_REPEATS": "3", "PEERS_SETUP_REPEATS": "1"]) { $1 }
}
if let only = arguments.firstIndex(of: "--only"), only + 1 < arguments.count {
    Bench.only = arguments[only + 1].split(separator: ",").map(String.init)
}

if Profiles.run(arguments) { exit(0) }

// Kernels run libtcc's code until the bench asks for the optimized tier (Kernel.optimize()), so
// both tiers are measured, each on its own; in a program the switch happens by itself.
Kernel.optimizesAutomatically = false
var report = Report()
let peersEnabled = !arguments.contains("--no-peers")
let command = (["adjoint-bench"] + arguments.dropFirst()).joined(separator: " ")
let machine = Machine.description()

if arguments.contains("--w7") {
    LinearAlgebraWorkload.run(&report, peers: peersEnabled)
    report.print(machine: machine + ["load at the end: \(Machine.load())"], command: command)
    exit(0)
}

let data = BenchData.make()
let peers = WorkloadPeers(data, enabled: peersEnabled)
/// Runs a section when `--only` asks for it, its peers (`group`) measured just before it.
@MainActor func section(_ name: String, _ body: (inout Report) -> Void) {
    guard Bench.wants(name) else { return }
    peers.measure(name, &report)
    body(&report)
}
section("W1") { ScalarBench.w1(&$0, peers) }
section("W2") { ScalarBench.w2(&$0, data, peers) }
section("W3") { DenseBench.w3(&$0, data, peers) }
section("W4") { DenseBench.w4(&$0, data, peers) }
section("W5") { ChainBench.w5(&$0, data, peers) }
section("W6") { ChainBench.w6(&$0, peers) }
section("GEMM") { GEMMBench.run(&$0, data, peers) }
section("LSTM") { LSTM.run(&$0, data.lstm, peers) }
peers.close()
// W7 (LinearAlgebra.swift) runs its own peers (NumPy's LAPACK, JAX, autograd).
if Bench.wants("W7") { LinearAlgebraWorkload.run(&report, peers: peersEnabled) }
if Bench.wants("control") { Extras.controlFlow(&report) }
if Bench.wants("leak") { Extras.leakCheck(&report) }
report.print(machine: machine + ["load at the end: \(Machine.load())"], command: command)
