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

/// Derivatives at the points the issue names, compiled code, and errors.
@Suite struct IndexingDerivativeTests {
    @Test func takeWithRepeatedIndicesAccumulates() {
        let x: Tensor = [1, 2, 3]
        let f: (Tensor) -> Tensor = { x in sum(take(x, [2, 0, 2, 2]) * Tensor([1, 10, 100, 1000])) }
        expectValues(grad(f)(x), [3], [10, 0, 1101])
        expectValues(compile(grad(f))(x), [3], [10, 0, 1101])
        // Forward mode: the tangent is gathered.
        expectValues(jvp({ take($0, [2, 0, 2]) }, at: x, tangent: Tensor([1, 2, 3])).tangent, [3], [3, 1, 3])
    }

    @Test func updateIsDifferentiableInBoth() {
        let weights: Tensor = [[1, 2, 3], [4, 5, 6]]
        let f: (Tensor, Tensor) -> Tensor = { x, y in sum(x.updating(at: ..., 1, with: y) * weights) }
        let x = arange([2, 3]), y: Tensor = [7, 8]
        let gradients = grad(f, wrt: [0, 1])(x, y)
        expectValues(gradients[0], [2, 3], [1, 0, 3, 4, 0, 6])
        expectValues(gradients[1], [2], [2, 5])
        let compiled = compile(grad(f, wrt: [0, 1]))(x, y)
        #expect(compiled[0].scalars == gradients[0].scalars && compiled[1].scalars == gradients[1].scalars)
        // The kept elements are exactly the old ones, even next to an infinity being replaced.
        let z = Tensor([1, .infinity, 3]).updating(at: 1, with: Tensor(0.1))
        #expect(z.scalars == [1, 0.1, 3])
    }

    @Test func subscriptSetterInsideATracedFunctionCompiles() {
        func f(_ x: Tensor, _ y: Tensor) -> Tensor {
            var z = x * x
            z[0] = y * 3
            z[..., -1] = sin(y)
            let w: Tensor = [[1, 2], [3, 4]]
            return sum(z * w)
        }
        let x: Tensor = [[1, 2], [3, 4]], y: Tensor = 0.5
        let value = f(x, y)
        // z = [[1.5, sin .5], [9, sin .5]]: weights 1, 2, 3, 4.
        #expect(Swift.abs(value.scalar - (1.5 + 27 + 6 * Foundation_sin(0.5))) < 1e-12)
        let dy = grad(f, wrt: 1)(x, y)
        #expect(Swift.abs(dy.scalar - (3 + 6 * Foundation_cos(0.5))) < 1e-12)
        expectValues(grad(f, wrt: 0)(x, y), [2, 2], [0, 0, 18, 0])
        #expect(compile(f)(x, y).scalar == value.scalar)
        #expect(compile(grad(f, wrt: 1))(x, y).scalar == dy.scalar)
    }

    @Test func sortGradientRoutesThroughThePermutation() {
        let x: Tensor = [3, 1, 2]
        let f: (Tensor) -> Tensor = { x in sum(sort(x) * Tensor([1, 10, 100])) }
        expectValues(grad(f)(x), [3], [100, 1, 10])
        expectValues(compile(grad(f))(x), [3], [100, 1, 10])
        expectValues(jvp({ sort($0) }, at: x, tangent: Tensor([1, 2, 3])).tangent, [3], [2, 3, 1])
    }

    @Test func sortTiesShareTheDerivativeEvenly() {
        // Sorted: [0, 1, 1]; the two 1s tie, so slots 1 and 2 share their weights (10 + 100) / 2.
        let x: Tensor = [1, 1, 0]
        let f: (Tensor) -> Tensor = { x in sum(sort(x) * Tensor([1, 10, 100])) }
        expectValues(grad(f)(x), [3], [55, 55, 1])
        expectValues(compile(grad(f))(x), [3], [55, 55, 1])
        expectValues(jvp({ sort($0) }, at: x, tangent: Tensor([1, 3, 5])).tangent, [3], [5, 2, 2])
        // Along axis 0 of a matrix, in a batched Jacobian too.
        let m = Tensor(shape: [3, 2], scalars: [2, 1, 2, 0, 1, 0])
        let j = jacobian({ sort($0, axis: 0) })(m)
        #expect(j.shape == [3, 2, 3, 2])
        // Slot (1, 0) and (2, 0) hold the tied 2s of column 0: each is their mean.
        expectValues(j[1, 0], [3, 2], [0.5, 0, 0.5, 0, 0, 0])
        expectValues(j[0, 1], [3, 2], [0, 0, 0, 0.5, 0, 0.5])
        #expect(compile(jacobian({ sort($0, axis: 0) }))(m).scalars == j.scalars)
    }

    @Test func sortAgreesCompiledBitForBit() {
        let x = Tensor(shape: [2, 5], scalars: [.nan, 2, -0.0, 0.0, 2, 1e-300, .infinity, -.infinity, .nan, 1])
        let sorted = sort(x)
        expectValues(sorted, [2, 5], [-0.0, 0.0, 2, 2, .nan, -.infinity, 1e-300, 1, .infinity, .nan])
        let compiled = compile { sort($0, axis: -1) }(x)
        #expect(zip(compiled.scalars, sorted.scalars).allSatisfy { $0.bitPattern == $1.bitPattern })
        let columns = compile { sort($0, axis: 0) }(x)
        #expect(zip(columns.scalars, sort(x, axis: 0).scalars).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    @Test func outOfRangeIndicesAreErrors() {
        let m = arange([3, 4])
        func message(_ body: () -> Tensor) -> String { thrownMessage(body) }
        #expect(message { m[3] }.contains("subscript"))
        #expect(message { m[3] }.contains("(3, 4)"))
        #expect(message { m[..., 4] }.contains("index 4 out of range for axis 1 of extent 4"))
        #expect(message { m[0, 0, 0] }.contains("too many indices"))
        #expect(message { m[0..<5] }.contains("out of range"))
        #expect(message { m[stride(from: 0, to: 8, by: 2)] }.contains("index 4 out of range for axis 0"))
        #expect(message { take(m, [0, 7], axis: 1) }.contains("take"))
        #expect(message { take(m, [0, 7], axis: 1) }.contains("index 7 out of range for axis 1 of extent 4"))
        #expect(message { take(m, Tensor([0.5])) }.contains("not an integer"))
        #expect(message { m.updating(at: 0, with: Tensor([1, 2])) }.contains("does not broadcast"))
        #expect(message { m.updating(at: 0..., [1, 1], with: Tensor(0)) }.contains("selected twice"))
        #expect(message { squeeze(m, axis: 0) }.contains("squeeze"))
        #expect(message { flip(m, axis: 2) }.contains("axis 2 out of range for rank 2"))
        #expect(message { split(m, 3, axis: 1)[0] }.contains("does not split into 3"))
        #expect(message { diagonal(Tensor([1, 2])) }.contains("diagonal"))
    }

    @Test func thePrimitivesClampAlikeInterpretedAndCompiled() {
        // Below `take` (which reports such indices), the rows clamp: never a read outside the operand.
        let x: Tensor = [10, 20, 30], i = Tensor([-7, 5, .nan, -1.5, 2.9])
        let gathered = Tensor.apply(.take(axis: 0), [x, i])
        #expect(gathered.scalars == [10, 30, 30, 20, 30])
        #expect(compile { Tensor.apply(.take(axis: 0), [$0, $1]) }(x, i).scalars == gathered.scalars)
        let scattered = Tensor.apply(.scatterAdd(axis: 0, extent: 3), [Tensor([1, 2, 4, 8, 16]), i])
        #expect(scattered.scalars == [1, 8, 22])
        #expect(compile { Tensor.apply(.scatterAdd(axis: 0, extent: 3), [$0, $1]) }(Tensor([1, 2, 4, 8, 16]), i).scalars == scattered.scalars)
    }

    @Test func tracedIndicesAreGuarded() {
        // Indices that are an input: a later call with an index out of range traces again and reports it.
        let f = compile { (x: Tensor, i: Tensor) in sum(take(x, i) * take(x, i)) }
        #expect(f(Tensor([1, 2, 3]), Tensor([2, -3])).scalar == 10)
        #expect(f(Tensor([1, 2, 3]), Tensor([1, 0])).scalar == 5)
        #expect(throws: ShapeError.self) { try Tensor.checkingShapes { f(Tensor([1, 2, 3]), Tensor([1, 3])) } }
    }
}
