import Testing
import TestSupport

@testable import Adjoint

/// One point of the systematic grid (autograd's `test_systematic.py`, grown for two modes, two
/// orders and compiled code): a public function applied to operands of given shapes, drawn from
/// the function's domain. `SystematicCheck` checks every case the same way, and the coverage
/// table (`CoverageTests`) is made from the cases, so a row there is a claim a test made.
struct GridCase: Sendable, CustomTestStringConvertible {
    /// The public Swift name, as the coverage table lists it (`logsumexp`, `Tensor.updating`).
    var function: String
    var shapes: [[Int]]
    /// The range each operand's elements are drawn from: one for all operands, or one each.
    var domains: [ClosedRange<Double>]
    /// The parameters besides the operands (`axis: 1, keepDims`), for the test's name.
    var note = ""
    /// Relative tolerance of the first-order checks against central differences (twice it for second order).
    var tolerance = 1e-6
    /// Makes a drawn point valid (a positive-definite matrix, distinct elements for `sort`).
    var prepare: (@Sendable ([Tensor]) -> [Tensor])? = nil
    /// The results; a function of one result returns one tensor.
    var f: @Sendable ([Tensor]) -> [Tensor]
    /// A function whose central differences are the expected derivative, given the operands and
    /// their values at the drawn point (`stopGradient(x) * x` is expected to differentiate as
    /// `x₀ * x`); nil: `f`'s own.
    var reference: (@Sendable ([Tensor], [Tensor]) -> [Tensor])? = nil

    var testDescription: String {
        "\(function)\(note.isEmpty ? "" : "(\(note))") \(shapes.map { "\($0)" }.joined(separator: " "))"
    }

    func domain(_ k: Int) -> ClosedRange<Double> { domains.count == 1 ? domains[0] : domains[k] }
}

extension GridCase {
    /// The six shapes every unary function is tried on (autograd's, and two of rank 3 and 1-sized axes).
    static let shapes: [[Int]] = [[], [1], [3], [2, 3], [1, 2], [2, 1, 3]]

    /// A one-result case.
    init(_ function: String, _ shapes: [[Int]], _ domains: [ClosedRange<Double>], note: String = "",
         tolerance: Double = 1e-6, prepare: (@Sendable ([Tensor]) -> [Tensor])? = nil,
         _ f: @escaping @Sendable ([Tensor]) -> Tensor) {
        self.init(function: function, shapes: shapes, domains: domains, note: note, tolerance: tolerance,
                  prepare: prepare, f: { [f($0)] })
    }

    /// A unary function over the six shapes.
    static func unary(_ function: String, _ domain: ClosedRange<Double> = -2...2, tolerance: Double = 1e-6,
                      _ f: @escaping @Sendable (Tensor) -> Tensor) -> [GridCase] {
        shapes.map { GridCase(function, [$0], [domain], tolerance: tolerance) { f($0[0]) } }
    }

    /// A binary function over every pair of the six shapes that broadcast.
    static func binary(_ function: String, _ a: ClosedRange<Double> = -2...2, _ b: ClosedRange<Double> = -2...2,
                       tolerance: Double = 1e-6, _ f: @escaping @Sendable (Tensor, Tensor) -> Tensor) -> [GridCase] {
        shapes.flatMap { sa in
            shapes.compactMap { sb in
                Shape.broadcast(sa, sb) == nil ? nil
                    : GridCase(function, [sa, sb], [a, b], tolerance: tolerance) { f($0[0], $0[1]) }
            }
        }
    }

    /// A reduction over the six shapes, with `axis` ∈ {none, 0, 1, -1} (where the rank allows)
    /// and `keepDims` both ways.
    static func reduction(_ function: String, _ domain: ClosedRange<Double> = -2...2, tolerance: Double = 1e-6,
                          prepare: (@Sendable ([Tensor]) -> [Tensor])? = nil,
                          _ f: @escaping @Sendable (Tensor, Int?, Bool) -> Tensor) -> [GridCase] {
        shapes.flatMap { shape in
            ([nil, 0, 1, -1] as [Int?]).filter { axis in axis.map { shape.count > Swift.max($0, -$0 - 1) } ?? true }
                .flatMap { axis in
                    [false, true].map { keepDims in
                        let note = [axis.map { "axis: \($0)" }, keepDims ? "keepDims" : nil].compactMap { $0 }.joined(separator: ", ")
                        return GridCase(function, [shape], [domain], note: note, tolerance: tolerance, prepare: prepare) {
                            f($0[0], axis, keepDims)
                        }
                    }
                }
        }
    }
}
