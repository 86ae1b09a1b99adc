#if canImport(Glibc)
import Glibc
#endif

/// The peers' data (../shared/peers/WORKLOADS.md): one SplitMix64 stream per array, uniform
/// values from the top 53 bits, normals by Box–Muller's cosine branch.
struct PeerStream {
    let seed: UInt64
    var i: UInt64 = 0

    init(seed: UInt64) { self.seed = seed }

    mutating func next() -> UInt64 {
        i += 1
        var z = seed &+ i &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func normal() -> Double {
        let u0 = uniform(), u1 = uniform()
        return sqrt(-2 * log(1 - u0)) * cos(6.283185307179586 * u1)
    }

    static func normal(seed: UInt64, count: Int, scale: Double = 1) -> [Double] {
        var s = PeerStream(seed: seed)
        return (0..<count).map { _ in scale * s.normal() }
    }

    static func uniform(seed: UInt64, count: Int) -> [Double] {
        var s = PeerStream(seed: seed)
        return (0..<count).map { _ in s.uniform() }
    }

    static func boolean(seed: UInt64, count: Int) -> [Double] {
        uniform(seed: seed, count: count).map { $0 < 0.5 ? 1 : 0 }
    }
}
