#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock timing in the style of the peers' harness: calibrate a batch so it takes at least
/// `minBatch` seconds, run several batches, report the median time per call.
enum Measure {
    nonisolated(unsafe) static var minBatch = 0.1
    nonisolated(unsafe) static var batches = 7

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Median seconds per call of `body`.
    static func perCall(_ body: () -> Void) -> Double {
        var n = 1
        while true {
            let t = time(n, body)
            if t >= minBatch { break }
            n = t <= 0 ? n * 10 : Swift.max(n * 2, Int(Double(n) * minBatch * 1.2 / t))
        }
        let samples = (0..<batches).map { _ in time(n, body) / Double(n) }
        return median(samples)
    }

    /// Median seconds of one run of `body`, over `runs` runs.
    static func once(runs: Int = 5, _ body: () -> Void) -> Double {
        median((0..<runs).map { _ in time(1, body) })
    }

    private static func time(_ n: Int, _ body: () -> Void) -> Double {
        let start = now()
        for _ in 0..<n { body() }
        return now() - start
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Resident memory of this process in bytes (from /proc/self/statm).
    static func residentBytes() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0, resident = 0
        guard fscanf_two(file, &size, &resident) else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func fscanf_two(_ file: UnsafeMutablePointer<FILE>, _ a: inout Int, _ b: inout Int) -> Bool {
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, 256, file) != nil else { return false }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        guard fields.count >= 2 else { return false }
        (a, b) = (fields[0], fields[1])
        return true
    }
}

/// Keeps results alive so the optimizer cannot drop the work.
nonisolated(unsafe) var blackHole = 0.0

func consume(_ x: Double) { blackHole += x }

func format(seconds s: Double) -> String {
    if s < 1e-6 { return String(format3(s * 1e9)) + " ns" }
    if s < 1e-3 { return String(format3(s * 1e6)) + " µs" }
    if s < 1 { return String(format3(s * 1e3)) + " ms" }
    return String(format3(s)) + " s"
}

/// Three significant digits (at most six decimals: 0.00123, 0.75 → 0.750, 12.3, 123).
func format3(_ x: Double) -> String {
    if x >= 100 || !x.isFinite { return x.isFinite ? String(Int(x.rounded())) : "\(x)" }
    var digits = x >= 10 ? 1 : 2
    var scaled = x
    while scaled > 0 && scaled < 1 && digits < 6 { scaled *= 10; digits += 1 }
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let r = (x * p).rounded() / p
    var text = "\(r)"
    if text.contains("e") { return shortExp(x) }
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}

/// Three significant digits and a decimal exponent: 1.23e-16.
func shortExp(_ x: Double) -> String {
    if x == 0 || !x.isFinite { return "\(x)" }
    if x < 0 { return "-" + shortExp(-x) }
    var e = 0
    var m = x
    while m < 1 { m *= 10; e -= 1 }
    while m >= 10 { m /= 10; e += 1 }
    return "\(format3(m))e\(e)"
}
