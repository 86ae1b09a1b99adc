import Testing
@testable import Adjoint

/// The op table's test data: for every row, the ops (with payloads), operand shapes and sample
/// domains the conformance suite checks it on. A row of `Rule.catalog` with no entry here fails
/// the suite, so a new op cannot join the table untested.
enum ConformanceSamples {
    /// One way to apply a row.
    struct Sample: Sendable, CustomTestStringConvertible {
        var op: Op
        var shapes: [[Int]]
        /// The range each operand's elements are drawn from (one for all, or one per operand).
        var domains: [ClosedRange<Double>]
        /// The requested shape of reshape and broadcast.
        var target: [Int]? = nil
        /// Elements of operand 0 set to exactly 0 (a product's zeros).
        var zeros: [Int] = []
        /// Makes the point well-conditioned (a triangular matrix gets a strong diagonal).
        var prepare: (@Sendable ([Tensor]) -> [Tensor])? = nil
        /// Relative tolerance of the central-difference checks (first order; twice it for second).
        var tolerance = 1e-6
        var note = ""
        /// The derivative is zero by definition, not the central difference (`stop_gradient`).
        var frozen = false
        /// Operands held constant, not differentiated (polygamma's order n, an integer).
        var held: [Int] = []

        var testDescription: String { "\(op.name)\(note.isEmpty ? "" : " (\(note))") \(shapes)" }

        func domain(_ k: Int) -> ClosedRange<Double> { domains.count == 1 ? domains[0] : domains[k] }
    }

    /// What the suite does with a row.
    enum Entry {
        case samples([Sample])
        /// Leaves and projections are checked through the ops that use them.
        case covered(by: String)
    }

    static func sample(_ op: Op, _ shapes: [[Int]], _ domains: ClosedRange<Double>..., target: [Int]? = nil,
                       zeros: [Int] = [], note: String = "", prepare: (@Sendable ([Tensor]) -> [Tensor])? = nil) -> Sample {
        Sample(op: op, shapes: shapes, domains: domains.isEmpty ? [-2...2] : domains, target: target, zeros: zeros,
               prepare: prepare, note: note)
    }

    /// Unary samples on a scalar and a matrix.
    static func unary(_ f: UnaryFunction, _ domain: ClosedRange<Double>) -> Entry {
        .samples([sample(.unary(f), [[]], domain), sample(.unary(f), [[3, 2]], domain)])
    }

    /// Binary samples with equal shapes, and broadcasting both ways.
    static func binary(_ op: Op, _ a: ClosedRange<Double>, _ b: ClosedRange<Double>) -> Entry {
        .samples([sample(op, [[3, 2], [3, 2]], a, b), sample(op, [[3, 2], [2]], a, b), sample(op, [[1], [2, 3]], a, b)])
    }

    /// A strong diagonal, so that triangular solves are well-conditioned.
    @Sendable static func dominant(_ xs: [Tensor]) -> [Tensor] {
        let n = xs[0].shape.last!
        let eye = Tensor(shape: [n, n], scalars: (0..<(n * n)).map { $0 % (n + 1) == 0 ? 4 : 0 })
        return [xs[0] + eye] + xs.dropFirst()
    }

    /// `values` added on the main diagonal of every matrix of operand 0 (a stack): well-separated
    /// eigenvalues or singular values, and a QR factor r with a diagonal far from 0.
    static func spread(_ values: [Double]) -> @Sendable ([Tensor]) -> [Tensor] {
        { xs in
            let s = xs[0].shape, (m, n) = (s[s.count - 2], s[s.count - 1])
            let d = (0..<(m * n)).map { e in e / n == e % n && e / n < values.count ? values[e / n] : 0 }
            return [xs[0] + Tensor(shape: [m, n], scalars: d)] + xs.dropFirst()
        }
    }

    /// Operand `k` replaced by the integral `values` (cycled over its elements), each moved by
    /// ½ off the integer so that central differences stay on one index (the index truncates).
    static func indices(_ values: [Int], in k: Int) -> @Sendable ([Tensor]) -> [Tensor] {
        { xs in
            var xs = xs
            let n = xs[k].count
            xs[k] = Tensor(shape: xs[k].shape, scalars: (0..<n).map { Double(values[$0 % values.count]) + (values[$0 % values.count] < 0 ? -0.5 : 0.5) })
            return xs
        }
    }

    /// The data, by row name.
    static let entries: [String: Entry] = [
        "input": .covered(by: "every sample: the operands are inputs"),
        "capture": .covered(by: "the non-differentiated operands of every sample, and TransformCompositionTests"),
        "constant": .covered(by: "splats in derivative graphs of every sample"),
        "data": .covered(by: "tensor constants in derivative graphs (solve_triangular's masks, prod's ones)"),
        "result": .covered(by: "sincos, whose results are projections"),
        "custom_derivative": .covered(by: "customDerivative's tests and grid (Breadth/TransformTests, Systematic/TransformGrid): its operand 0 must be its function's trace"),
        "neg": unary(.neg, -2...2),
        "exp": unary(.exp, -2...2),
        "log": unary(.log, 0.3...3),
        "sin": unary(.sin, -3...3),
        "cos": unary(.cos, -3...3),
        "tan": unary(.tan, -1.2...1.2),
        "tanh": unary(.tanh, -2...2),
        "sqrt": unary(.sqrt, 0.3...3),
        "abs": .samples([sample(.unary(.abs), [[3, 2]], 0.2...2), sample(.unary(.abs), [[3, 2]], -2 ... -0.2, note: "negative")]),
        "sign": unary(.sign, -2...2),
        "log1p": unary(.log1p, -0.7...3),
        "expm1": unary(.expm1, -2...2),
        "softplus": .samples([sample(.unary(.softplus), [[3, 2]], -4...4),
                              sample(.unary(.softplus), [[2]], 30...40, note: "large")]),
        "atan": unary(.atan, -3...3),
        "exp2": unary(.exp2, -2...2),
        "log2": unary(.log2, 0.3...3),
        "log10": unary(.log10, 0.3...3),
        "cbrt": .samples([sample(.unary(.cbrt), [[3, 2]], 0.3...3), sample(.unary(.cbrt), [[2]], -3 ... -0.3, note: "negative")]),
        "floor": unary(.floor, -2...2),
        "ceil": unary(.ceil, -2...2),
        "round": unary(.round, -2...2),
        "asin": unary(.asin, -0.8...0.8),
        "acos": unary(.acos, -0.8...0.8),
        "sinh": unary(.sinh, -2...2),
        "cosh": unary(.cosh, -2...2),
        "asinh": unary(.asinh, -3...3),
        "acosh": unary(.acosh, 1.2...3),
        "atanh": unary(.atanh, -0.8...0.8),
        "erf": unary(.erf, -2...2),
        "erfc": unary(.erfc, -2...2),
        "lgamma": .samples([sample(.unary(.lgamma), [[3, 2]], 0.3...5), sample(.unary(.lgamma), [[2]], -0.9 ... -0.1, note: "negative")]),
        "atan2": binary(.binary(.atan2), -2...2, -2...2),
        "hypot": binary(.binary(.hypot), -2...2, -2...2),
        "mod": .samples([sample(.binary(.mod), [[3, 2], [3, 2]], -3...3, 0.5...2), sample(.binary(.mod), [[3, 2], [2]], -3...3, -2 ... -0.5, note: "negative b")]),
        "fmod": .samples([sample(.binary(.fmod), [[3, 2], [3, 2]], -3...3, 0.5...2), sample(.binary(.fmod), [[3, 2], [2]], -3...3, -2 ... -0.5, note: "negative b")]),
        "polygamma": .samples((0...3).map { n in
            var s = sample(.binary(.polygamma), [[], [3, 2]], Double(n)...Double(n), 0.3...4, note: "n = \(n)")
            s.held = [0]
            return s
        } + [{ var s = sample(.binary(.polygamma), [[], [2]], 0...0, -2.9 ... -2.1, note: "digamma, negative"); s.held = [0]; return s }()]),
        "stop_gradient": .samples([Sample(op: .unary(.stopGradient), shapes: [[3, 2]], domains: [-2...2], frozen: true)]),
        "add": binary(.binary(.add), -2...2, -2...2),
        "sub": binary(.binary(.sub), -2...2, -2...2),
        "mul": binary(.binary(.mul), -2...2, -2...2),
        "div": binary(.binary(.div), -2...2, 0.5...2),
        "pow": binary(.binary(.pow), 0.5...2, -1.5...1.5),
        "less": binary(.compare(.less), -2...2, -2...2),
        "less_equal": binary(.compare(.lessEqual), -2...2, -2...2),
        "greater": binary(.compare(.greater), -2...2, -2...2),
        "greater_equal": binary(.compare(.greaterEqual), -2...2, -2...2),
        "equal": binary(.compare(.equal), -2...2, -2...2),
        "not_equal": binary(.compare(.notEqual), -2...2, -2...2),
        "select": .samples([sample(.select, [[3, 2], [3, 2], [2]], -1...1, -2...2, -2...2),
                            sample(.select, [[2], [3, 2], []], -1...1, -2...2, -2...2, note: "broadcast")]),
        "sum": .samples([sample(.reduce(.sum, [1]), [[3, 4]]), sample(.reduce(.sum, [0, 2]), [[2, 3, 2]]),
                         sample(.reduce(.sum, [0]), [[5]])]),
        "max": .samples([sample(.reduce(.max, [1]), [[3, 4]]), sample(.reduce(.max, [0, 1]), [[2, 3]])]),
        "prod": .samples([sample(.reduce(.prod, [1]), [[3, 5]], -1.5...1.5),
                          sample(.reduce(.prod, [0, 2]), [[3, 2, 3]], -1.5...1.5),
                          sample(.reduce(.prod, [0]), [[6]], -1.5...1.5, zeros: [2], note: "one zero"),
                          sample(.reduce(.prod, [0]), [[5]], -1.5...1.5, zeros: [1, 3], note: "two zeros"),
                          sample(.reduce(.prod, [1]), [[2, 4]], -1.5...1.5, zeros: [0, 1, 2, 3], note: "zeros in a row")]),
        "cumsum": .samples([sample(.cumsum(axis: 0, reverse: false), [[5]]), sample(.cumsum(axis: 1, reverse: true), [[2, 4]]),
                            sample(.cumsum(axis: 0, reverse: false), [[3, 2, 2]], note: "inner lanes")]),
        "reshape": .samples([sample(.reshape, [[3, 2]], target: [2, 3]), sample(.reshape, [[6]], target: [1, 6, 1])]),
        "broadcast": .samples([sample(.broadcast, [[3, 1]], target: [2, 3, 4]), sample(.broadcast, [[]], target: [2, 2])]),
        "transpose": .samples([sample(.transpose([1, 0]), [[3, 2]]), sample(.transpose([2, 0, 1]), [[2, 3, 4]])]),
        "slice": .samples([sample(.slice(axis: 0, start: 1, end: 3), [[4, 3]]), sample(.slice(axis: 1, start: 0, end: 2), [[2, 3]]),
                           sample(.slice(axis: 0, start: 0, end: 5, step: 2), [[5, 2]], note: "strided"),
                           sample(.slice(axis: 1, start: 3, end: -1, step: -2), [[2, 4]], note: "negative step")]),
        "pad": .samples([sample(.pad(axis: 1, before: 1, after: 2), [[2, 3]]), sample(.pad(axis: 0, before: 0, after: 1), [[3]]),
                         sample(.pad(axis: 0, before: 1, after: 0, step: 2), [[3]], note: "strided"),
                         sample(.pad(axis: 1, before: 0, after: 1, step: -3), [[2, 2]], note: "negative step")]),
        "take": .samples([sample(.take(axis: 1), [[3, 4], [3, 5]], prepare: indices([3, 0, 3, 1, 2], in: 1)),
                          sample(.take(axis: 0), [[4, 2], [3, 1]], note: "broadcast", prepare: indices([2, -1, 0], in: 1))]),
        "scatter_add": .samples([sample(.scatterAdd(axis: 1, extent: 3), [[2, 4], [2, 4]], note: "repeated",
                                        prepare: indices([2, 0, 2, 2, 1, 1, 0, 2], in: 1))]),
        "sort": .samples([sample(.sort(axis: 1), [[3, 4]]), sample(.sort(axis: 0), [[5]])]),
        "concat": .samples([sample(.concat(axis: 1), [[2, 3], [2, 2]]), sample(.concat(axis: 0), [[1], [3]])]),
        "matmul": .samples([sample(.matmul, [[3, 4], [4, 2]]), sample(.matmul, [[1, 3], [3, 1]])]),
        "batched_matmul": .samples([sample(.batchedMatmul, [[2, 3, 4], [2, 4, 2]]),
                                    sample(.batchedMatmul, [[3, 2], [2, 2, 3]], note: "one matrix, a stack"),
                                    sample(.batchedMatmul, [[2, 3, 1, 2], [3, 2, 2]], note: "stack repeated")]),
        "solve_triangular": .samples([
            sample(.solveTriangular(lower: true), [[4, 4], [4]], -1...1, note: "lower", prepare: dominant),
            sample(.solveTriangular(lower: false), [[4, 4], [4, 3]], -1...1, note: "upper", prepare: dominant),
            sample(.solveTriangular(lower: true), [[3, 3], [3, 2]], -1...1, note: "lower, matrix", prepare: dominant),
            sample(.solveTriangular(lower: false), [[2, 3, 3], [2, 3, 2]], -1...1, note: "a stack", prepare: dominant),
            sample(.solveTriangular(lower: true), [[2, 1, 3, 3], [2, 1, 3]], -1...1, note: "a stack of vectors", prepare: dominant),
        ]),
        "cholesky": .samples([
            sample(.cholesky, [[3, 3]], -1...1, prepare: dominant),
            sample(.cholesky, [[2, 3, 3]], -1...1, note: "a stack", prepare: dominant),
            sample(.cholesky, [[1, 1]], 0.5...2),
        ]),
        "lu": .covered(by: "solve, inv, det and slogdet (LinearAlgebra/ tests, Systematic/LinearAlgebraGrid): its factors carry no derivative; the ops reading them differentiate through their matrix"),
        "lu_solve": .covered(by: "solve and inv (LinearAlgebra/ tests, Systematic/LinearAlgebraGrid): its operands must be a matrix and that matrix's own factors"),
        "log_abs_det": .covered(by: "det and slogdet (LinearAlgebra/ tests, Systematic/LinearAlgebraGrid): its operands must be a matrix and that matrix's own factors"),
        "eigh": .samples([
            sample(.eigh, [[3, 3]], -1...1, prepare: spread([0, 3, 6])),
            sample(.eigh, [[1, 1]], -1...1, note: "1×1"),
            sample(.eigh, [[2, 4, 4]], -1...1, note: "batched", prepare: spread([0, 3, 6, 9]))]),
        "qr": .samples([
            sample(.qr, [[3, 3]], -1...1, prepare: spread([3, 3, 3])),
            sample(.qr, [[4, 2]], -1...1, note: "tall", prepare: spread([3, 3])),
            sample(.qr, [[2, 4]], -1...1, note: "wide", prepare: spread([3, 3])),
            sample(.qr, [[2, 3, 2]], -1...1, note: "batched", prepare: spread([3, 3]))]),
        "svd": .samples([
            sample(.svd, [[3, 3]], -0.5...0.5, prepare: spread([6, 3, 1])),
            sample(.svd, [[4, 2]], -0.5...0.5, note: "tall", prepare: spread([4, 1.5])),
            sample(.svd, [[2, 4]], -0.5...0.5, note: "wide", prepare: spread([4, 1.5])),
            sample(.svd, [[2, 3, 2]], -0.5...0.5, note: "batched", prepare: spread([4, 1.5]))]),
        "sincos": .samples([sample(.sincos, [[3, 2]], -3...3), sample(.sincos, [[]], -3...3)]),
        "convolution": .samples([
            sample(.convolution(ConvolutionGeometry(axes: 1)), [[2, 3, 5], [2, 3, 2]], note: "1-d"),
            sample(.convolution(ConvolutionGeometry(stride: [2, 1], padLow: [1, 0], padHigh: [1, 2], lhsDilation: [1, 1],
                                                    rhsDilation: [1, 1])), [[1, 2, 5, 4], [3, 2, 3, 2]], note: "strided, padded"),
            sample(.convolution(ConvolutionGeometry(stride: [1, 2], padLow: [-1, 2], padHigh: [1, 0], lhsDilation: [2, 1],
                                                    rhsDilation: [1, 2])), [[2, 1, 4, 5], [2, 1, 2, 2]], note: "dilated, cropped"),
            sample(.convolution(ConvolutionGeometry(stride: [1, 2, 1], padLow: [0, 1, 0], padHigh: [1, 0, 0], lhsDilation: [1, 1, 2],
                                                    rhsDilation: [2, 1, 1])), [[1, 2, 3, 4, 3], [2, 2, 2, 2, 2]], note: "3-d"),
        ]),
    ]

    /// Every sample of every row.
    static var all: [Sample] {
        Rule.catalog.flatMap { rule -> [Sample] in
            if case .samples(let samples) = entries[rule.name] { return samples }
            return []
        }
    }
}
