import Testing
import Adjoint

/// Outside `Tensor.checkingShapes`, a user's mistake traps with the message on standard error:
/// these run the body in a child process (exit tests) and read what it printed. The message
/// comes from `fatalError`, which keeps it in release builds too (`precondition` would not).
@Suite struct UserErrorTrapTests {
    private static func stderr(_ result: ExitTest.Result) -> String {
        String(decoding: result.standardErrorContent, as: UTF8.self)
    }

    @Test func countMismatchTrapsWithItsMessage() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor(shape: [2, 3], scalars: [1, 2])
        }
        #expect(Self.stderr(result).contains(
            "shape error in Tensor(shape:scalars:): shape (2, 3) holds 6 elements, but 2 scalars were given"))
    }

    @Test func raggedLiteralTrapsWithItsMessage() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let t: Tensor = [[1, 2], [3]]
            _ = t
        }
        #expect(Self.stderr(result).contains("shape error in Tensor literal: its rows have different shapes"))
    }

    @Test func scalarOfManyTrapsWithItsMessage() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1, 2, 3]).scalar
        }
        #expect(Self.stderr(result).contains("shape error in Tensor.scalar: a tensor of shape (3,) holds 3 elements, not one"))
    }

    @Test func negativeExtentTrapsWithItsMessage() async throws {
        let zeros = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([-1])
        }
        #expect(Self.stderr(zeros).contains("shape error in Tensor.zeros: negative extent -1 in shape (-1,)"))
        let ones = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones([3, -2])
        }
        #expect(Self.stderr(ones).contains("shape error in Tensor.ones: negative extent -2 in shape (3, -2)"))
    }

    @Test func negativeLinspaceCountTrapsWithItsMessage() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor(linspace: 0, 1, count: -1)
        }
        #expect(Self.stderr(result).contains("shape error in Tensor(linspace:_:count:): count must not be negative, got -1"))
    }

    @Test func minimizeOfANonScalarLossTrapsWithItsMessage() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = minimize({ x in x * x }, from: [1, 2, 3], using: GradientDescent(learningRate: 0.1))
        }
        #expect(Self.stderr(result).contains("shape error in minimize: the loss must have one element (operands (3,))"))
    }

    @Test func negativeMaxIterationsTrapsWithItsMessage() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = minimize({ x in sum(x * x) }, from: [1], using: LBFGS(), maxIterations: -5)
        }
        #expect(Self.stderr(result).contains("invalid argument to minimize: maxIterations must not be negative, got -5"))
    }
}
