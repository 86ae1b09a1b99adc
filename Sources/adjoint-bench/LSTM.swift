import Adjoint

/// ADBench's LSTM objective (GradBench's `evals/lstm`, ADBench's `lstm.h`), written as a new user
/// would: plain Swift loops over the characters and the layers. Its weights are diagonal, so
/// every operation works elementwise on vectors of b = 14. The gradient is in the main
/// parameters (2l × 4b: per layer a weight and a bias row, each forget, ingate, outgate, change)
/// and the extra ones (3 × b: input weight, output weight, output bias); the initial state
/// (2l × b: hidden and cell per layer) and the sequence (c × b bits) are captured.
///
/// Data: uniform [0, 1) parameters and state as GradBench's generator draws them, and the
/// sequence a stream of 0/1 bits, from SplitMix64 streams (seeds 1000 + 10l + 1 … 4), not
/// ADBench's text file; `peers/workloads_peer.py` reads the same arrays.
enum LSTM {
    static let (chars, bits) = (1024, 14)

    struct Data {
        let layers: Int
        let main: Tensor, extra: Tensor, state: Tensor, sequence: Tensor
    }

    static func data(layers l: Int) -> Data {
        let (b, seed) = (bits, UInt64(1000 + 10 * l))
        func uniform(_ k: UInt64, _ rows: Int, _ columns: Int) -> Tensor {
            Tensor(shape: [rows, columns], scalars: PeerStream.uniform(seed: seed + k, count: rows * columns))
        }
        return Data(layers: l, main: uniform(1, 2 * l, 4 * b), extra: uniform(2, 3, b), state: uniform(3, 2 * l, b),
                    sequence: Tensor(shape: [chars, b], scalars: PeerStream.boolean(seed: seed + 4, count: chars * b)))
    }

    static func sigmoid(_ x: Tensor) -> Tensor { 1 / (1 + exp(-x)) }

    /// One layer's step: the new hidden and cell state.
    static func model(_ weight: Tensor, _ bias: Tensor, _ hidden: Tensor, _ cell: Tensor, _ input: Tensor) -> (Tensor, Tensor) {
        let b = bits
        func gate(_ k: Int, _ x: Tensor) -> Tensor { x * weight[(k * b)..<((k + 1) * b)] + bias[(k * b)..<((k + 1) * b)] }
        let forget = sigmoid(gate(0, input))
        let ingate = sigmoid(gate(1, hidden))
        let outgate = sigmoid(gate(2, input))
        let change = tanh(gate(3, hidden))
        let newCell = cell * forget + ingate * change
        return (outgate * tanh(newCell), newCell)
    }

    /// The objective in the parameters [main, extra].
    static func objective(_ d: Data) -> ([Tensor]) -> Tensor {
        { p in
            let (main, extra) = (p[0], p[1])
            var hidden = (0..<d.layers).map { d.state[2 * $0] }
            var cell = (0..<d.layers).map { d.state[2 * $0 + 1] }
            var total = Tensor(0.0)
            for t in 0..<(chars - 1) {
                var x = d.sequence[t] * extra[0]
                for i in 0..<d.layers {
                    (hidden[i], cell[i]) = model(main[2 * i], main[2 * i + 1], hidden[i], cell[i], x)
                    x = hidden[i]
                }
                let prediction = x * extra[1] + extra[2]
                let normalized = prediction - log(sum(exp(prediction)) + 2)
                total = total + sum(d.sequence[t + 1] * normalized)
            }
            return -total / Double((chars - 1) * bits)
        }
    }

    /// The bench's section: l = 2 and 4, the gradient compiled from the plain loops, beside
    /// JAX's `lax.scan` version measured in the same run.
    static func run(_ report: inout Report, _ data: [Data], _ peers: WorkloadPeers) {
        for d in data {
            let f = objective(d)
            let parameters = [d.main, d.extra]
            var g = compile(valueAndGrad(f))
            let setup = Measure.once(runs: 1) {
                g = compile(valueAndGrad(f))
                consume(g(parameters).value.scalar)
            }
            let kernel = try! g.kernel(for: parameters.map(\.shape))
            let compiled = Measure.perCall { consume(g(parameters).gradient[0].scalars[0]) }
            let result = g(parameters)
            let ours = [[result.value.scalar]] + result.gradient.map(\.scalars)
            let workload = "LSTM_l\(d.layers)", jax = peers.jax(workload)
            let interpreted = valueAndGrad(f)(parameters)
            let check = difference(parts: ours, [interpreted.value.scalar] + interpreted.gradient.flatMap(\.scalars))
            report.section("LSTM (ADBench) l = \(d.layers), c = \(chars), b = \(bits), value and gradient",
                           check: check, reference: "interpreter")
            report.note("generated C: \(kernel.source.utf8.count / 1024) KiB [target < 200 KB]")
            report.row("setup (trace+grad+lower+tcc)", setup, baseline: peers.run.time("jax_setup", workload),
                       versus: "JAX setup", target: "compile < 100 ms")
            report.row("per call, compiled (libtcc tier)", compiled, jax: jax, target: "< 1.0× JAX")
            var best = compiled
            if kernel.source.utf8.count <= 256 * 1024 {
                best = Bench.optimizedRows(&report, kernel, baseline: nil, jax: jax, target: "< 1.0× JAX") {
                    consume(g(parameters).gradient[0].scalars[0])
                } ?? compiled
            } else {
                report.note("optimized tier not built: its C is over 256 KiB (the system compiler would take minutes)")
            }
            peers.rows(&report, workload, jaxLabel: "JAX jit lax.scan", ours: ours)
            report.summarize("LSTM l = \(d.layers) (JAX: lax.scan)", ours: best, hand: nil, jax: jax)
        }
    }
}
