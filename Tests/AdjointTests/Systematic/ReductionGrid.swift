import Testing

@testable import Adjoint

/// The reductions over `axis` ∈ {none, 0, 1, -1} × `keepDims` (and a few `axes:` lists), the
/// scans over their axes, softmax's axis, and the norms over their orders, each on its domain.
/// Random points have no ties, so `max`, `min` and `argmax` are differentiable there.
enum ReductionGrid {
    typealias Whole = @Sendable (Tensor, Bool) -> Tensor
    typealias Along = @Sendable (Tensor, Int, Bool) -> Tensor
    typealias Over = @Sendable (Tensor, [Int], Bool) -> Tensor

    /// A reduction over the grid's axes, then over `axes:` lists on the shapes of rank 2 and 3.
    static func reduction(_ function: String, _ whole: @escaping Whole, _ along: @escaping Along,
                          _ over: @escaping Over) -> [GridCase] {
        GridCase.reduction(function) { t, axis, keepDims in axis.map { along(t, $0, keepDims) } ?? whole(t, keepDims) }
            + [([2, 3], [0, -1], false), ([2, 1, 3], [-1, 0], true), ([2, 1, 3], [1], false), ([2, 3], [], false)].map { shape, axes, keep in
                GridCase(function, [shape], [-2...2], note: "axes: \(axes)\(keep ? ", keepDims" : "")") { over($0[0], axes, keep) }
            }
    }

    /// Every case, for the coverage table (`CoverageTests.grids`).
    static var all: [GridCase] { basic + statistics + indices + scans + norms }

    static let basic: [GridCase] = [
        reduction("sum", { sum($0, keepDims: $1) }, { sum($0, axis: $1, keepDims: $2) }, { sum($0, axes: $1, keepDims: $2) }),
        reduction("mean", { mean($0, keepDims: $1) }, { mean($0, axis: $1, keepDims: $2) }, { mean($0, axes: $1, keepDims: $2) }),
        reduction("prod", { prod($0, keepDims: $1) }, { prod($0, axis: $1, keepDims: $2) }, { prod($0, axes: $1, keepDims: $2) }),
        reduction("max", { max($0, keepDims: $1) }, { max($0, axis: $1, keepDims: $2) }, { max($0, axes: $1, keepDims: $2) }),
        reduction("min", { min($0, keepDims: $1) }, { min($0, axis: $1, keepDims: $2) }, { min($0, axes: $1, keepDims: $2) }),
        reduction("logsumexp", { logsumexp($0, keepDims: $1) }, { logsumexp($0, axis: $1, keepDims: $2) },
                  { logsumexp($0, axes: $1, keepDims: $2) }),
    ].flatMap { $0 }

    /// `variance` and `std` with `ddof` 0 everywhere, and 1 where every lane has two elements or more.
    static let statistics: [GridCase] = [
        reduction("variance", { variance($0, keepDims: $1) }, { variance($0, axis: $1, keepDims: $2) },
                  { variance($0, axes: $1, keepDims: $2) }),
        reduction("std", { std($0, keepDims: $1) }, { std($0, axis: $1, keepDims: $2) }, { std($0, axes: $1, keepDims: $2) }),
        [([3], nil), ([2, 3], nil), ([2, 3], 1), ([2, 3], -2), ([2, 1, 3], -1)].flatMap { (shape: [Int], axis: Int?) in
            let note = "ddof: 1" + (axis.map { ", axis: \($0)" } ?? "")
            return [
                GridCase("variance", [shape], [-2...2], note: note) { x in axis.map { variance(x[0], axis: $0, ddof: 1) } ?? variance(x[0], ddof: 1) },
                GridCase("std", [shape], [-2...2], note: note) { x in axis.map { std(x[0], axis: $0, ddof: 1) } ?? std(x[0], ddof: 1) },
            ]
        },
    ].flatMap { $0 }

    /// `argmax` and `argmin`: whole numbers, with a zero derivative (the central differences agree
    /// away from ties).
    static let indices: [GridCase] = [
        GridCase.reduction("argmax") { t, axis, keepDims in axis.map { argmax(t, axis: $0, keepDims: keepDims) } ?? argmax(t, keepDims: keepDims) },
        GridCase.reduction("argmin") { t, axis, keepDims in axis.map { argmin(t, axis: $0, keepDims: keepDims) } ?? argmin(t, keepDims: keepDims) },
    ].flatMap { $0 }

    /// Functions of one axis (none: their default or the flattened tensor) over the shapes that have it.
    static func alongAxis(_ function: String, scalars: Bool,
                          _ whole: @escaping @Sendable (Tensor) -> Tensor, _ along: @escaping @Sendable (Tensor, Int) -> Tensor) -> [GridCase] {
        GridCase.shapes.flatMap { shape in
            ([nil, 0, 1, -1] as [Int?]).filter { axis in
                axis.map { shape.count > Swift.max($0, -$0 - 1) } ?? (scalars || !shape.isEmpty)
            }.map { axis in
                GridCase(function, [shape], [-2...2], note: axis.map { "axis: \($0)" } ?? "") { x in
                    axis.map { along(x[0], $0) } ?? whole(x[0])
                }
            }
        }
    }

    static let scans: [GridCase] = [
        alongAxis("cumsum", scalars: true, { cumsum($0) }, { cumsum($0, axis: $1) }),
        alongAxis("cumprod", scalars: true, { cumprod($0) }, { cumprod($0, axis: $1) }),
        [GridCase("cumprod", [[9]], [-1.5...1.5], note: "four rounds") { cumprod($0[0], axis: 0) }],
        alongAxis("softmax", scalars: false, { softmax($0) }, { softmax($0, axis: $1) }),
        alongAxis("logSoftmax", scalars: false, { logSoftmax($0) }, { logSoftmax($0, axis: $1) }),
    ].flatMap { $0 }

    /// Magnitudes at least 0.3: away from `abs`'s kink, where `|x|ᵖ` for p < 1 is steep.
    @Sendable static func awayFromZero(_ xs: [Tensor]) -> [Tensor] {
        xs.map { x in Tensor(shape: x.shape, scalars: x.scalars.map { $0 + ($0 < 0 ? -0.3 : 0.3) }) }
    }

    static func norm(_ note: String, _ shapes: [[Int]], _ f: @escaping @Sendable (Tensor) -> Tensor) -> [GridCase] {
        shapes.map { GridCase("norm", [$0], [-2...2], note: note, prepare: awayFromZero) { f($0[0]) } }
    }

    static func vectorNorms(_ p: Double, _ name: String) -> [GridCase] {
        let ord = NormOrder(p)
        let plain: [GridCase] = norm("ord: \(name)", [[3], [1]]) { Adjoint.norm($0, ord: ord) }
        let last: [GridCase] = norm("ord: \(name), axis: -1", [[2, 3], [2, 1, 3]]) { Adjoint.norm($0, ord: ord, axis: -1) }
        let first: [GridCase] = norm("ord: \(name), axis: 0, keepDims", [[2, 3]]) { Adjoint.norm($0, ord: ord, axis: 0, keepDims: true) }
        return plain + last + first
    }

    static func matrixNorms(_ ord: NormOrder, _ name: String) -> [GridCase] {
        let plain: [GridCase] = norm("ord: \(name)", [[2, 3], [3, 3]]) { Adjoint.norm($0, ord: ord) }
        let given: [GridCase] = norm("ord: \(name), axes: [2, 0]", [[2, 1, 3]]) { Adjoint.norm($0, ord: ord, axes: [2, 0]) }
        let kept: [GridCase] = norm("ord: \(name), axes: [-1, -2], keepDims", [[2, 2, 3]]) {
            Adjoint.norm($0, ord: ord, axes: [-1, -2], keepDims: true)
        }
        return plain + given + kept
    }

    static let norms: [GridCase] =
        norm("", GridCase.shapes) { Adjoint.norm($0) }
        + norm("keepDims", [[2, 3], [2, 1, 3]]) { Adjoint.norm($0, keepDims: true) }
        + vectorNorms(1, "1") + vectorNorms(2, "2") + vectorNorms(3, "3") + vectorNorms(0.5, "0.5")
        + vectorNorms(-1.5, "-1.5") + vectorNorms(.infinity, ".infinity") + vectorNorms(-.infinity, "-.infinity")
        + vectorNorms(0, "0")
        + matrixNorms(.fro, ".fro") + matrixNorms(1, "1") + matrixNorms(-1, "-1") + matrixNorms(.infinity, ".infinity")
        + matrixNorms(-.infinity, "-.infinity")
}

@Suite struct ReductionGridTests {
    @Test(arguments: ReductionGrid.basic) func reductions(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: ReductionGrid.statistics) func statistics(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: ReductionGrid.indices) func indices(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: ReductionGrid.scans) func scans(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: ReductionGrid.norms) func norms(_ c: GridCase) { SystematicCheck.check(c) }
}
