import Testing
import TestSupport

@testable import Adjoint

/// 0, 1, 2, … in `shape`, as NumPy's `arange(n).reshape(shape)`.
func arange(_ shape: [Int]) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map(Double.init))
}

/// `t` has `shape` and `values` (NaN where NaN is expected), interpreted and compiled.
func expectValues(_ t: Tensor, _ shape: [Int], _ values: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(t.shape == shape, sourceLocation: sourceLocation)
    let same = t.scalars.count == values.count && zip(t.scalars, values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    #expect(same, "\(t.scalars) is not \(values)", sourceLocation: sourceLocation)
}

/// Values against NumPy's for small inputs (the expected numbers are NumPy 2's output).
@Suite struct IndexingValueTests {
    let m = arange([3, 4]), a = arange([2, 3, 4])

    @Test func shapes() {
        #expect(squeeze(arange([1, 3, 1])).shape == [3])
        #expect(squeeze(arange([1, 3, 1]), axis: -1).shape == [1, 3])
        #expect(expandDims(m, axis: -1).shape == [3, 4, 1])
        #expect(expandDims(m, axis: 0).shape == [1, 3, 4])
        #expect(swapAxes(a, 0, -1).shape == [4, 3, 2])
        expectValues(moveAxis(a, 0, -1)[0, 0...1], [2, 2], [0, 12, 1, 13])
        #expect(flatten(a).shape == [24])
        expectValues(broadcast(Tensor([1, 2]), to: [2, 2]), [2, 2], [1, 2, 1, 2])
        expectValues(tile(Tensor(shape: [1, 2], scalars: [1, 2]), [2, 2]), [2, 4], [1, 2, 1, 2, 1, 2, 1, 2])
        expectValues(tile(Tensor([1, 2]), [3]), [6], [1, 2, 1, 2, 1, 2])
        let r: Tensor = [[1, 2], [3, 4]]
        expectValues(repeated(r, 2, axis: 1), [2, 4], [1, 1, 2, 2, 3, 3, 4, 4])
        expectValues(repeated(r, 2), [8], [1, 1, 2, 2, 3, 3, 4, 4])
    }

    @Test func rollAndFlip() {
        expectValues(roll(m, 1, axis: 1), [3, 4], [3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10])
        expectValues(roll(m, -1, axis: 0), [3, 4], [4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3])
        expectValues(roll(m, 2), [3, 4], [10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        expectValues(flip(m, axis: -1), [3, 4], [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8])
        expectValues(flip(m), [3, 4], (0..<12).reversed().map(Double.init))
    }

    @Test func diagonals() {
        expectValues(diagonal(m, offset: 1), [3], [1, 6, 11])
        expectValues(diagonal(m, offset: -1), [2], [4, 9])
        expectValues(diagonal(a), [4, 2], [0, 16, 1, 17, 2, 18, 3, 19])
        let v: Tensor = [3, 1, 2]
        expectValues(diag(v, k: 1), [4, 4], [0, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0])
        expectValues(diag(v, k: -1), [4, 4], [0, 0, 0, 0, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0])
        expectValues(diag(diag(v)), [3], [3, 1, 2])
        expectValues(trace(m, offset: 1), [], [18])
        expectValues(trace(m), [], [15])
        expectValues(triu(m, k: 1), [3, 4], [0, 1, 2, 3, 0, 0, 6, 7, 0, 0, 0, 11])
        expectValues(tril(m, k: -1), [3, 4], [0, 0, 0, 0, 4, 0, 0, 0, 8, 9, 0, 0])
    }

    @Test func padAndSplit() {
        let r: Tensor = [[1, 2], [3, 4]]
        expectValues(pad(r, [(1, 0), (0, 2)], value: 9), [3, 4], [9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9])
        expectValues(pad(Tensor([1, 2]), [(2, 1)]), [5], [0, 0, 1, 2, 0])
        let pieces = split(arange([6]), [1, 4])
        #expect(pieces.map(\.scalars) == [[0], [1, 2, 3], [4, 5]])
        #expect(split(m, 2, axis: -1).map(\.shape) == [[3, 2], [3, 2]])
    }

    @Test func takeAndSort() {
        expectValues(take(m, [2, 0, -1], axis: 1), [3, 3], [2, 0, 3, 6, 4, 7, 10, 8, 11])
        expectValues(take(m, Tensor(shape: [2, 2], scalars: [0, 5, 11, 1])), [2, 2], [0, 5, 11, 1])
        let s = Tensor(shape: [2, 4], scalars: [3, 1, .nan, 2, 0, -1, 5, 5])
        expectValues(sort(s), [2, 4], [1, 2, 3, .nan, -1, 0, 5, 5])
        expectValues(sort(Tensor(shape: [3, 2], scalars: [3, 1, 0, -1, 2, 4]), axis: 0), [3, 2], [0, -1, 2, 1, 3, 4])
        // The permutation is the stable one (NumPy's argsort(kind="stable")).
        #expect(Tensor.applyResults(.sort(axis: 1), [s])[1].scalars == [1, 3, 0, 2, 1, 0, 2, 3])
    }

    @Test func subscripts() {
        expectValues(m[..., 1..<3], [3, 2], [1, 2, 5, 6, 9, 10])
        expectValues(a[..., 1], [2, 3], [1, 5, 9, 13, 17, 21])
        expectValues(m[stride(from: 2, through: 0, by: -1)], [3, 4], [8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3])
        expectValues(m[1, stride(from: 3, to: -1, by: -2)], [2], [7, 5])
        expectValues(a[0, ..., 2], [3], [2, 6, 10])
        expectValues(m[-1], [4], [8, 9, 10, 11])
        expectValues(m[(-2)...], [2, 4], [4, 5, 6, 7, 8, 9, 10, 11])
        expectValues(m[0..., [2, 0, 0]], [3, 3], [2, 0, 0, 6, 4, 4, 10, 8, 8])
        expectValues(m[TensorIndex.newAxis, 1, 1...2], [1, 2], [5, 6])
        expectValues(m[1..<3], [2, 4], [4, 5, 6, 7, 8, 9, 10, 11])
        expectValues(m[1, 2], [], [6])
    }

    @Test func updates() {
        expectValues(m.updating(at: 1, with: Tensor(-1)), [3, 4], [0, 1, 2, 3, -1, -1, -1, -1, 8, 9, 10, 11])
        expectValues(m.updating(at: ..., -1, with: Tensor([7, 8, 9])), [3, 4], [0, 1, 2, 7, 4, 5, 6, 8, 8, 9, 10, 9])
        var x = arange([4])
        x[stride(from: 3, through: 0, by: -2)] = [10, 20]
        expectValues(x, [4], [0, 20, 2, 10])
        x[0] = 5
        x[[2, 0]] = [7, 6]
        expectValues(x, [4], [6, 20, 7, 10])
        x[1...] = 0
        expectValues(x, [4], [6, 0, 0, 0])
    }
}
