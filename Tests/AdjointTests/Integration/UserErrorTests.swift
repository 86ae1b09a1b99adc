import Testing
import Adjoint

/// A user's mistake in the data given to a constructor or an entry point is reported with a
/// message naming the call, what was given and what was expected: thrown inside
/// `Tensor.checkingShapes`, a trap with that message outside it (also in release builds, where
/// `precondition` would print nothing).
@Suite struct UserErrorTests {
    private func thrown<T>(_ body: () throws -> T) -> String { thrownMessage(body) }

    @Test func constructorsThrowInsideCheckingShapes() {
        #expect(thrown { Tensor(shape: [2, 3], scalars: [1, 2]) }
            == "shape error in Tensor(shape:scalars:): shape (2, 3) holds 6 elements, but 2 scalars were given")
        #expect(thrown { Tensor(shape: [2, -3], scalars: []) }
            == "shape error in Tensor(shape:scalars:): negative extent -3 in shape (2, -3)")
        #expect(thrown { Tensor.zeros([-1]) } == "shape error in Tensor.zeros: negative extent -1 in shape (-1,)")
        #expect(thrown { Tensor.ones([2, -1]) } == "shape error in Tensor.ones: negative extent -1 in shape (2, -1)")
        #expect(thrown { Tensor(repeating: 7, shape: [-2]) }.contains("Tensor(repeating:shape:): negative extent -2"))
        #expect(thrown { Tensor(linspace: 0, 1, count: -1) }
            == "shape error in Tensor(linspace:_:count:): count must not be negative, got -1")
        #expect(thrown { Tensor([1, 2, 3]).scalar }
            == "shape error in Tensor.scalar: a tensor of shape (3,) holds 3 elements, not one")
        #expect(thrown { Tensor.zeros([0]).scalar }.contains("holds 0 elements, not one"))
    }

    @Test func raggedLiteralThrowsInsideCheckingShapes() {
        let message = thrown { () -> Tensor in [[1, 2], [3]] }
        #expect(message == "shape error in Tensor literal: its rows have different shapes; "
            + "every row of a nested literal needs the same shape (rows (2,) and (1,))")
    }

    /// `count` wraps around: 2⁶² × 4 elements must not pass for zero of them.
    @Test func shapesTooLargeToCountAreRejected() {
        #expect(thrown { Tensor(shape: [1 << 62, 4], scalars: []) }.contains("more elements than an Int can count"))
        #expect(thrown { Tensor.zeros([1 << 40, 1 << 40]) }.contains("more elements than an Int can count"))
        // A zero extent makes any shape empty.
        #expect(thrown { Tensor(shape: [1 << 62, 4, 0], scalars: []) } == "")
    }

    /// The same calls with valid arguments report nothing.
    @Test func validArgumentsStillWork() throws {
        let t = try Tensor.checkingShapes { Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]) }
        #expect(t.shape == [2, 3] && t.scalars == [1, 2, 3, 4, 5, 6])
        #expect(try Tensor.checkingShapes { Tensor.zeros([0, 2]) }.shape == [0, 2])
        #expect(try Tensor.checkingShapes { Tensor(linspace: 0, 1, count: 0) }.shape == [0])
        #expect(try Tensor.checkingShapes { Tensor([4]).scalar } == 4)
        let m: Tensor = [[1, 2], [3, 4]]
        #expect(m.shape == [2, 2])
    }

    @Test func kernelForTheWrongNumberOfShapesThrows() throws {
        let f = compile { (a: Tensor, b: Tensor) in sum(a * b) }
        #expect(throws: ShapeError.self) { try f.kernel(for: [[3]]) }
        do {
            _ = try f.kernel(for: [[3]])
        } catch {
            #expect("\(error)" == "invalid argument to kernel(for:): the function takes 2 tensors, but 1 shape was given")
        }
        let kernel = try f.kernel(for: [[3], [3]])
        #expect(kernel.inputShapes == [[3], [3]])
    }

    @Test func kernelForShapesThatDoNotFitThrows() {
        let f = compile { (a: Tensor, b: Tensor) in sum(a * b) }
        do {
            _ = try f.kernel(for: [[3], [4]])
            Issue.record("kernel(for:) accepted shapes (3,) and (4,) for a * b")
        } catch {
            #expect("\(error)" == "shape error in mul: shapes do not broadcast (operands (3,) and (4,))")
        }
        #expect(throws: ShapeError.self) { try compile { (x: Tensor) in x }.kernel(for: [[-2]]) }
    }

    @Test func cSourceForTheWrongNumberOfShapesThrowsInsideCheckingShapes() {
        let f = compile { (x: Tensor) in sin(x) }
        #expect(thrown { f.cSource(for: [[], []]) }
            == "invalid argument to cSource(for:): the function takes 1 tensor, but 2 shapes were given")
        let lists = compile(hessianVectorProduct { (xs: [Tensor]) in sum(xs[0] * xs[0]) })
        #expect(thrown { lists.cSource(for: [[2], [2], [2]]) }.contains("two lists of equal length"))
        #expect(thrown { lists([[1, 2]], []) }.contains("the lists must have equal lengths, got 1 and 0 tensors"))
    }

    @Test func minimizeOfANonScalarLossThrowsInsideCheckingShapes() {
        let message = thrown { minimize({ x in x * x }, from: [1, 2, 3], using: GradientDescent(learningRate: 0.1)) }
        #expect(message == "shape error in minimize: the loss must have one element (operands (3,))")
        let list = thrown {
            minimize({ (xs: [Tensor]) in xs[0] * xs[1] }, from: [[1, 2], 3], using: Adam(learningRate: 0.1))
        }
        #expect(list == "shape error in minimize: the loss must have one element (operands (2,))")
    }

    @Test func optimizerArgumentsThrowInsideCheckingShapes() {
        let loss = { (x: Tensor) in sum(x * x) }
        #expect(thrown { minimize(loss, from: [1], using: Adam(learningRate: 0.1), maxIterations: -1) }
            == "invalid argument to minimize: maxIterations must not be negative, got -1")
        #expect(thrown { minimize(loss, from: [1], using: Adam(learningRate: 0.1), progressInterval: 0) }
            .contains("progressInterval must be at least 1, got 0"))
        #expect(thrown { minimize(loss, from: [1], using: Adam(learningRate: 0.1), tolerance: -1) }
            .contains("tolerance must not be negative, got -1"))
        #expect(thrown { LBFGS(memory: 0) } == "invalid argument to LBFGS(memory:): memory must be at least 1, got 0")
        #expect(thrown { LineSearch(sufficientDecrease: 0.9, curvature: 0.1) }
            .contains("need 0 < sufficientDecrease < curvature < 1"))
    }

    @Test func updatesWithMismatchedGradientsThrowInsideCheckingShapes() {
        var x: [Tensor] = [[1, 2]]
        var descent = GradientDescent(learningRate: 0.1)
        #expect(thrown { descent.update(&x, along: [[1, 2, 3]]) }
            == "shape error in GradientDescent.update: the gradient shapes [[3]] differ from the parameter shapes [[2]] "
            + "(operands (3,) and (2,))")
        var adam = Adam(learningRate: 0.1)
        #expect(thrown { adam.update(&x, along: [1]) }.contains("Adam.update: the gradient shapes"))
        adam.update(&x, along: [[1, 1]])
        var y: [Tensor] = [[1, 2, 3]]
        #expect(thrown { adam.update(&y, along: [[1, 1, 1]]) }.contains("the parameter list changed from [[2]] to [[3]]"))
        #expect(x[0].shape == [2] && y[0].scalars == [1, 2, 3])
        let objective = Objective { xs in (sum(xs[0]), [Tensor(1)]) }
        #expect(thrown { objective([[1, 2]]) }.contains("Objective: the gradient shapes [[]] differ"))
    }
}
