import Adjoint
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64 (Steele, Lea & Flood 2014): a small deterministic generator, so every example and
/// test that draws random numbers repeats exactly for its seed, on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Reads whole text files with the C library (the examples do without Foundation).
enum TextFile {
    static func read(_ path: String) throws(DataError) -> String {
        guard let file = fopen(path, "rb") else { throw DataError("cannot open \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        guard ferror(file) == 0 else { throw DataError("error reading \(path)") }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Number formatting for the examples' reports (no Foundation `String(format:)`).
public enum Format {
    /// `value` with exactly `digits` digits after the point: `fixed(3.14159, 2)` is "3.14".
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = (scaled / scale).rounded(.towardZero)
        let fraction = Int(scaled - whole * scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + String(Int(whole)) }
        let fractionText = String(fraction)
        let padding = String(repeating: "0", count: max(0, digits - fractionText.count))
        return sign + String(Int(whole)) + "." + padding + fractionText
    }

    /// A duration in seconds as milliseconds with `digits` decimals: "12.345 ms".
    public static func milliseconds(_ seconds: Double, _ digits: Int = 3) -> String {
        fixed(seconds * 1000, digits) + " ms"
    }

    /// `text` padded with spaces on the left to `width` characters.
    public static func padded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}

/// A `progress` callback for `minimize` that prints one line per report: the iteration, the loss,
/// the gradient norm and the time per iteration since the previous line (for the first line, the
/// time of the first evaluation, which includes tracing and compiling).
public func progressPrinter(indent: String = "  ") -> (OptimizationProgress) -> Void {
    var previous: (iteration: Int, seconds: Double)?
    return { p in
        let seconds = p.elapsed.seconds
        let timing: String
        if let previous, p.iteration > previous.iteration {
            let perIteration = (seconds - previous.seconds) / Double(p.iteration - previous.iteration)
            timing = Format.milliseconds(perIteration) + "/iteration"
        } else {
            timing = Format.milliseconds(seconds) + " (first evaluation: trace, compile, run)"
        }
        previous = (p.iteration, seconds)
        print("\(indent)iteration \(Format.padded(String(p.iteration), 5))  loss \(p.value)  "
              + "|gradient| \(p.gradientNorm)  \(timing)")
    }
}
