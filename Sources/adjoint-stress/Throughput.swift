import Adjoint
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Calls per second of one compiled gradient over a batch, on one thread and on every core, and
/// kernels compiled per second from 8 threads at once (libtcc compiles behind one lock).
enum Throughput {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func report() {
        let cores = Swift.max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let w = Tensor(linspace: -1, 1, count: 64)
        let loss: (Tensor) -> Tensor = { x in sum(softplus(x * w) - tanh(x) * 0.5) }
        let gradient = compile(grad(loss))
        let batch = (0..<20_000).map { k in Tensor(linspace: -2, Double(k % 100) / 50, count: 64) }
        _ = gradient.map(Array(batch.prefix(100)), threads: 1)
        var rates: [Int: Double] = [:]
        for threads in Set([1, cores]).sorted() {
            let start = now()
            _ = gradient.map(batch, threads: threads)
            rates[threads] = Double(batch.count) / (now() - start)
        }
        let one = rates[1]!, all = rates[cores]!
        print("throughput: compile(grad(f)).map over 20,000 inputs of 64 elements")
        print("  1 thread: \(Int(one)) calls/s; \(cores) threads: \(Int(all)) calls/s (\(Double(Int(all / one * 100)) / 100)×)")
        print("  kernels compiled per second from 8 threads: \(Int(compileRate(threads: 8)))")
    }

    /// Each thread compiles kernels of its own (a new input length each time, so nothing is reused).
    static func compileRate(threads: Int, perThread: Int = 50) -> Double {
        let start = now()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for k in 0..<perThread {
                let n = 2 + t * perThread + k
                let f = compile(grad { (x: Tensor) in sum(sin(x) * x + exp(-x * x)) })
                _ = f(Tensor(linspace: -1, 1, count: n))
            }
        }
        return Double(threads * perThread) / (now() - start)
    }
}
