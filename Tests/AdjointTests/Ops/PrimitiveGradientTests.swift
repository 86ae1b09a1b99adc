import Testing
import TestSupport
import Adjoint

/// Every primitive and composite, differentiated in reverse mode at first and second order and
/// compared with central differences, on the shapes (), (2,), (3,2), (1,2).
@Suite struct PrimitiveGradientTests {
    static let shapes: [[Int]] = [[], [2], [3, 2], [1, 2]]

    struct Unary: CustomTestStringConvertible, Sendable {
        let name: String
        let domain: ClosedRange<Double>
        let f: @Sendable (Tensor) -> Tensor
        var testDescription: String { name }
    }

    static let unary: [Unary] = [
        Unary(name: "neg", domain: -2...2) { -$0 },
        Unary(name: "exp", domain: -2...2) { exp($0) },
        Unary(name: "log", domain: 0.3...3) { log($0) },
        Unary(name: "sin", domain: -3...3) { sin($0) },
        Unary(name: "cos", domain: -3...3) { cos($0) },
        Unary(name: "tan", domain: -1.2...1.2) { tan($0) },
        Unary(name: "tanh", domain: -2...2) { tanh($0) },
        Unary(name: "sqrt", domain: 0.3...3) { sqrt($0) },
        Unary(name: "abs", domain: 0.2...2) { abs($0) * abs(-$0) },
        Unary(name: "log1p", domain: -0.7...3) { log1p($0) },
        Unary(name: "expm1", domain: -2...2) { expm1($0) },
        Unary(name: "softplus", domain: -4...4) { softplus($0) },
        Unary(name: "softplus large", domain: 30...40) { softplus($0) },
        Unary(name: "sigmoid", domain: -4...4) { sigmoid($0) },
        Unary(name: "relu", domain: 0.1...2) { relu($0) + relu(-$0) * 3 },
        Unary(name: "pow const", domain: 0.3...2) { pow($0, 3.5) },
        Unary(name: "pow base", domain: -1...1) { pow(2.0, $0) },
        Unary(name: "square", domain: -2...2) { $0 * $0 },
        Unary(name: "reciprocal", domain: 0.5...2) { 1 / $0 },
        Unary(name: "where", domain: -2...2) { `where`($0 .> 0.1, $0 * $0, sin($0)) },
    ]

    @Test(arguments: unary, shapes)
    func unaryGradient(_ op: Unary, shape: [Int]) {
        var rng = SplitMix64(seed: UInt64(shape.count * 31 + op.name.count))
        let weights = rng.tensor(shape)
        let x = rng.tensor(shape, in: op.domain)
        checkGradients({ sum(op.f($0) * weights) }, at: x, rng: &rng)
    }

    struct Binary: CustomTestStringConvertible, Sendable {
        let name: String
        let domain: ClosedRange<Double>
        let f: @Sendable (Tensor, Tensor) -> Tensor
        var testDescription: String { name }
    }

    static let binary: [Binary] = [
        Binary(name: "+", domain: -2...2) { $0 + $1 },
        Binary(name: "-", domain: -2...2) { $0 - $1 },
        Binary(name: "*", domain: -2...2) { $0 * $1 },
        Binary(name: "/", domain: 0.5...2) { $0 / $1 },
        Binary(name: "pow", domain: 0.5...2) { pow($0, $1) },
        Binary(name: "where", domain: -2...2) { `where`($0 .> $1, $0 * $1, $1) },
    ]

    static let shapePairs: [([Int], [Int])] = shapes.flatMap { a in shapes.map { b in (a, b) } }
        .filter { pair in broadcasts(pair.0, pair.1) }

    static func broadcasts(_ a: [Int], _ b: [Int]) -> Bool {
        let n = max(a.count, b.count)
        let pa = Array(repeating: 1, count: n - a.count) + a, pb = Array(repeating: 1, count: n - b.count) + b
        return zip(pa, pb).allSatisfy { $0 == $1 || $0 == 1 || $1 == 1 }
    }

    @Test(arguments: binary)
    func binaryGradientWithBroadcasting(_ op: Binary) {
        for (sa, sb) in Self.shapePairs {
            var rng = SplitMix64(seed: UInt64(sa.count * 7 + sb.count))
            let a = rng.tensor(sa, in: op.domain), b = rng.tensor(sb, in: op.domain)
            let out = op.f(a, b)
            let weights = rng.tensor(out.shape)
            checkGradients({ sum(op.f($0, b) * weights) }, at: a, rng: &rng)
            checkGradients({ sum(op.f(a, $0) * weights) }, at: b, rng: &rng)
        }
    }

    @Test func structuralOps() {
        var rng = SplitMix64(seed: 7)
        let m = rng.tensor([3, 4])
        let w = rng.tensor([4, 2])
        let cases: [(String, (Tensor) -> Tensor)] = [
            ("sum", { sum($0 * $0) }),
            ("sum axis 0", { sum(sin(sum($0, axis: 0))) }),
            ("sum axis -1", { sum(exp(sum($0, axis: -1))) }),
            ("mean", { mean($0 * $0) + mean(sin($0), axis: 1)[0] }),
            ("max", { max($0 * $0) + sum(max(sin($0), axis: 1)) }),
            ("min", { min(cos($0)) + sum(min($0, axis: 0)) }),
            ("reshape", { sum(sin($0.reshaped([2, 6])) * Tensor(linspace: 0, 1, count: 6)) }),
            ("transpose", { sum(exp($0.transposed()) * Tensor(linspace: 0, 1, count: 3)) }),
            ("matmul left", { sum(sin(matmul($0, w))) }),
            ("matmul right", { x in sum(sin(matmul(w.transposed(), x.transposed()))) }),
            ("matmul vector", { x in sum(tanh(matmul(x, w[0..<4, ]))) }),
            ("dot", { x in x[0].dot(x[1] * x[2]) }),
            ("index", { x in x[1, 2] * x[0][3] + x[-1, -1] }),
            ("slice", { x in sum(sin(x[1..<3])) + sum(x[2...] * x[..<1]) }),
            ("concatenate", { x in sum(sin(concatenate([x, x * x], axis: 1))) + sum(cos(concatenate([x, x[0..<1]]))) }),
            ("stack", { x in sum(tanh(stack([x[0], x[1] * 2, x[2]], axis: 1))) }),
        ]
        for (name, f) in cases {
            var r = SplitMix64(seed: UInt64(name.count))
            checkGradients(f, at: m, rng: &r)
        }
    }
}
