import Adjoint

/// The arrays of W2–W5 and GEMM (../shared/peers/WORKLOADS.md's streams), made once: our
/// inputs, and the peers' through the files PeerRun writes (so both compute on the same bits).
struct BenchData {
    struct Regression {
        let tag: String, label: String, X: Tensor, t: Tensor, w: Tensor
    }

    let w2x: Tensor
    let w3: [Regression]
    let mlp: MLP.Data
    let w5x: Tensor, w5v: Tensor
    /// GEMM's other operands: D [256, 128] (seed 901, W4's dpre shape), A and B [512, 512] (911, 912).
    let gemmD: Tensor, gemmA: Tensor, gemmB: Tensor
    /// The LSTM objective's arrays for l = 2 and 4 (LSTM.swift).
    let lstm: [LSTM.Data]

    static func make() -> BenchData {
        // numpy.linspace(-7, 7, 200): i·step + start, the last point exactly 7.
        let x2 = (0..<200).map { $0 == 199 ? 7.0 : Double($0) * (14.0 / 199.0) + -7.0 }
        let w3 = [("small", "4×3", 4, 3, UInt64(300)), ("big", "10000×100", 10000, 100, 310)].map { tag, label, n, d, seed in
            Regression(tag: tag, label: label,
                       X: Tensor(shape: [n, d], scalars: PeerStream.normal(seed: seed + 1, count: n * d)),
                       t: Tensor(shape: [n], scalars: PeerStream.boolean(seed: seed + 2, count: n)),
                       w: Tensor(shape: [d], scalars: PeerStream.normal(seed: seed + 3, count: d, scale: 0.1)))
        }
        let uniform = { (seed: UInt64) in Tensor(shape: [1000], scalars: PeerStream.uniform(seed: seed, count: 1000).map { 2 * $0 - 1 }) }
        let normal = { (seed: UInt64, m: Int, n: Int) in Tensor(shape: [m, n], scalars: PeerStream.normal(seed: seed, count: m * n)) }
        return BenchData(w2x: Tensor(shape: [200], scalars: x2), w3: w3, mlp: MLP.data(), w5x: uniform(501), w5v: uniform(502),
                         gemmD: normal(901, 256, 128), gemmA: normal(911, 512, 512), gemmB: normal(912, 512, 512),
                         lstm: [2, 4].map { LSTM.data(layers: $0) })
    }

    /// Every array under the name workloads_peer.py reads (WORKLOADS.md's names).
    var peerArrays: [PeerArray] {
        var named: [(String, Tensor)] = [("w2_x", w2x), ("w5_x", w5x), ("w5_v", w5v),
                                         ("gemm_d", gemmD), ("gemm_a", gemmA), ("gemm_b", gemmB)]
        for r in w3 { named += [("w3_\(r.tag)_X", r.X), ("w3_\(r.tag)_t", r.t), ("w3_\(r.tag)_w", r.w)] }
        named += [("w4_X", mlp.X), ("w4_Y", mlp.Y)]
        named += zip(["w4_W1", "w4_b1", "w4_W2", "w4_b2"], mlp.parameters).map { ($0, $1) }
        for d in lstm {
            named += [("lstm_l\(d.layers)_main", d.main), ("lstm_l\(d.layers)_extra", d.extra),
                      ("lstm_l\(d.layers)_state", d.state), ("lstm_l\(d.layers)_sequence", d.sequence)]
        }
        return named.map { PeerArray(name: $0.0, shape: $0.1.shape, values: $0.1.scalars) }
    }
}

/// W1–W6's and GEMM's peers: JAX jit, autograd, CasADi (its jit through tcc, else gcc, else
/// its VM) and NumPy's BLAS, measured by `peers/workloads_peer.py` kept running beside the
/// bench (PeerSession), each group just before our rows of it.
final class WorkloadPeers {
    private let session: PeerSession
    private var notesShown = 0
    var run: PeerRun { session.run }

    init(_ data: BenchData, enabled: Bool) {
        session = PeerSession("workloads_peer.py", inputs: data.peerArrays, enabled: enabled)
    }

    /// Measures the peers of `group` (W1 … W6, GEMM) now, and notes what they said.
    func measure(_ group: String, _ report: inout Report) {
        session.measure(group)
        report.versions(run.versions)
        for note in run.notes.dropFirst(notesShown) { report.note(note) }
        notesShown = run.notes.count
    }

    /// Where the peers' figures come from, for a section's rows.
    var provenance: String {
        "peers measured just before our rows (\(format(seconds: session.lastSeconds)), \(PeerRun.venv))"
    }

    func close() { session.close() }

    /// JAX's per-call seconds for `workload` (`W1`, `W3_big`, `W6_fori`, …), if it ran.
    func jax(_ workload: String) -> Double? { run.time("jax_per_call", workload) }

    /// The jit CasADi used here ("jit tcc", "jit gcc -O2", "VM …"), from its version line.
    var casadiMode: String {
        guard let line = run.versions.first(where: { $0.hasPrefix("casadi") }),
              let open = line.firstIndex(of: "("), let comma = line[open...].firstIndex(of: ",") else { return "" }
        return String(line[line.index(after: open)..<comma])
    }

    /// The peers' rows of `workload` and how far their results are from `ours` (its outputs in
    /// the order the script writes them, each compared on its own).
    /// `jaxWorkload` names JAX's variant when it runs another form (W6: `W6_fori`, `jaxLabel`).
    func rows(_ report: inout Report, _ workload: String, jaxWorkload: String? = nil, jaxLabel: String = "JAX jit",
              ours: [[Double]]) {
        let jaxName = jaxWorkload ?? workload
        let rows: [(String, String, String)] = [
            ("\(jaxLabel): setup (1st call after clear_caches)", "jax_setup", jaxName),
            ("\(jaxLabel): per call (block_until_ready)", "jax_per_call", jaxName),
            ("autograd: per call (eager)", "autograd_per_call", workload),
            ("CasADi \(casadiMode): setup", "casadi_setup", workload),
            ("CasADi \(casadiMode): per call (buffer)", "casadi_per_call", workload),
        ]
        for (label, measure, tag) in rows {
            if let seconds = run.time(measure, tag) { report.row(label, seconds) }
        }
        let checks = [("JAX", "jax_\(jaxName)"), ("autograd", "autograd_\(workload)"), ("CasADi", "casadi_\(workload)")]
            .compactMap { system, file in run.arrays[file].map { "\(system) \(shortExp(difference(parts: ours, $0)))" } }
        if !checks.isEmpty { report.note("peers' results vs ours, max rel. diff: " + checks.joined(separator: ", ")) }
        if run.ran { report.note(provenance) }
    }
}

/// Normwise relative difference max |a − r| / max |r| (the absolute one when r is all zeros).
func difference(_ a: [Double], _ r: [Double]) -> Double {
    guard a.count == r.count, !a.isEmpty else { return .nan }
    let scale = r.map(\.magnitude).max()!
    let error = zip(a, r).map { Swift.abs($0 - $1) }.max()!
    return scale == 0 ? error : error / scale
}

/// The largest `difference` over the parts of `flat` (concatenated as `parts`): NaN when the
/// sizes differ.
func difference(parts: [[Double]], _ flat: [Double]) -> Double {
    guard parts.map(\.count).reduce(0, +) == flat.count else { return .nan }
    var offset = 0, worst = 0.0
    for part in parts {
        worst = Swift.max(worst, difference(part, Array(flat[offset..<(offset + part.count)])))
        offset += part.count
    }
    return worst
}
