import Testing

@testable import Adjoint

/// The shape and indexing functions, each over a few parameter choices (axes negative too,
/// offsets and steps of both signs).
enum StructureGrid {
    static func one(_ function: String, _ shape: [Int], _ note: String = "", _ domain: ClosedRange<Double> = -2...2,
                    _ f: @escaping @Sendable (Tensor) -> Tensor) -> GridCase {
        GridCase(function, [shape], [domain], note: note) { f($0[0]) }
    }

    static let shape: [GridCase] = [
        one("squeeze", [2, 1, 3]) { squeeze($0) },
        one("squeeze", [2, 1, 3], "axis: -2") { squeeze($0, axis: -2) },
        one("expandDims", [2, 3], "axis: 1") { expandDims($0, axis: 1) },
        one("expandDims", [3], "axis: -1") { expandDims($0, axis: -1) },
        one("swapAxes", [2, 1, 3], "0, -1") { swapAxes($0, 0, -1) },
        one("moveAxis", [2, 1, 3], "0, 2") { moveAxis($0, 0, 2) },
        one("moveAxis", [2, 1, 3], "-1, 0") { moveAxis($0, -1, 0) },
        one("flatten", [2, 1, 3]) { flatten($0) },
        one("broadcast", [1, 3], "to: [2, 2, 3]") { broadcast($0, to: [2, 2, 3]) },
        one("tile", [2, 3], "[2, 1]") { tile($0, [2, 1]) },
        one("tile", [3], "[2, 2]") { tile($0, [2, 2]) },
        one("repeated", [2, 3], "2, axis: -1") { repeated($0, 2, axis: -1) },
        one("repeated", [2, 3], "3") { repeated($0, 3) },
        one("roll", [2, 3], "1, axis: 1") { roll($0, 1, axis: 1) },
        one("roll", [2, 3], "-4, axis: -1") { roll($0, -4, axis: -1) },
        one("roll", [2, 3], "2") { roll($0, 2) },
        one("flip", [2, 3], "axis: -1") { flip($0, axis: -1) },
        one("flip", [2, 1, 3]) { flip($0) },
        one("pad", [2, 3], "[(1, 0), (0, 2)]") { pad($0, [(1, 0), (0, 2)]) },
        one("pad", [3], "[(2, 1)], value: 1.5") { pad($0, [(2, 1)], value: 1.5) },
        GridCase(function: "split", shapes: [[2, 6]], domains: [-2...2], note: "3, axis: -1", f: { split($0[0], 3, axis: -1) }),
        GridCase(function: "split", shapes: [[5, 2]], domains: [-2...2], note: "[1, 3]", f: { split($0[0], [1, 3]) }),
    ]

    static let diagonals: [GridCase] = [
        one("diagonal", [3, 4]) { diagonal($0) },
        one("diagonal", [3, 4], "offset: 1") { diagonal($0, offset: 1) },
        one("diagonal", [3, 4], "offset: -2") { diagonal($0, offset: -2) },
        one("diagonal", [2, 3, 2], "offset: 1") { diagonal($0, offset: 1) },
        one("diag", [3]) { diag($0) },
        one("diag", [2], "k: -1") { diag($0, k: -1) },
        one("diag", [3, 3], "k: 1") { diag($0, k: 1) },
        one("trace", [3, 3]) { trace($0) },
        one("trace", [3, 4], "offset: -1") { trace($0, offset: -1) },
        one("triu", [3, 4]) { triu($0) },
        one("triu", [2, 3, 3], "k: -1") { triu($0, k: -1) },
        one("tril", [3, 4], "k: 1") { tril($0, k: 1) },
        one("tril", [4, 3], "k: -1") { tril($0, k: -1) },
    ]

    static let indexing: [GridCase] = [
        one("take", [2, 3], "[2, 0, 2], axis: 1") { take($0, [2, 0, 2], axis: 1) },
        one("take", [2, 3], "[-1, 0], axis: -2") { take($0, [-1, 0], axis: -2) },
        one("take", [2, 3], "[[5, 0], [0, 3]]") { take($0, Tensor(shape: [2, 2], scalars: [5, 0, 0, 3])) },
        one("sort", [5]) { sort($0) },
        one("sort", [2, 3], "axis: 0") { sort($0, axis: 0) },
        one("sort", [2, 1, 3]) { sort($0) },
        one("Tensor.subscript", [3, 4], "-1") { $0[-1] },
        one("Tensor.subscript", [3, 4], "..., 1..<3") { $0[..., 1..<3] },
        one("Tensor.subscript", [2, 3, 4], "0, ..., (-2)...") { $0[0, ..., (-2)...] },
        one("Tensor.subscript", [5], "stride(from: 4, through: 0, by: -2)") { $0[stride(from: 4, through: 0, by: -2)] },
        one("Tensor.subscript", [3, 4], "1..., stride(from: 3, to: -1, by: -1)") { $0[1..., stride(from: 3, to: -1, by: -1)] },
        one("Tensor.subscript", [3, 4], "0..., [3, 0, 3]") { $0[0..., [3, 0, 3]] },
        GridCase("Tensor.updating", [[3, 4], [4]], [-2...2], note: "at: 1") { $0[0].updating(at: 1, with: $0[1]) },
        GridCase("Tensor.updating", [[3, 4], []], [-2...2], note: "at: ..., -1") { $0[0].updating(at: ..., -1, with: $0[1]) },
        GridCase("Tensor.updating", [[2, 3], [2, 2]], [-2...2], note: "at: 0..., [2, 0]") {
            $0[0].updating(at: 0..., [2, 0], with: $0[1])
        },
        GridCase("Tensor.updating", [[5], [2]], [-2...2], note: "x[stride(from: 4, to: 0, by: -3)] = y * y") {
            var x = $0[0]
            x[stride(from: 4, to: 0, by: -3)] = $0[1] * $0[1]
            return x * x
        },
        GridCase("Tensor.updating", [[3, 2], [2]], [-2...2], note: "x[-1] = sin(y)") {
            var x = $0[0] * 2
            x[-1] = sin($0[1])
            return x * $0[0]
        },
    ]

    static let cases = shape + diagonals + indexing
}

@Suite struct StructureGridTests {
    @Test(arguments: StructureGrid.cases) func structure(_ c: GridCase) { SystematicCheck.check(c) }
}
