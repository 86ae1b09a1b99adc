import Testing
import ExampleSupport

@testable import Adjoint

/// example-cnn, shortened: the same network, data split and optimizer for one epoch (the
/// example runs eight).
@Suite struct ConvNetExampleTests {
    @Test func oneEpochBeatsChanceByFar() throws {
        let (train, test) = try Digits.load().split(testFraction: 0.2, seed: 42)
        var network = DigitsConvNet(seed: 7)
        var losses: [Double] = []
        network.train(on: train, epochs: 1, batchSize: 64, using: Adam(learningRate: 0.01), seed: 1) { _, loss, _ in
            losses.append(loss)
        }
        // The mean loss over the epoch, from ln 10 ≈ 2.3 at the start.
        #expect(losses.count == 1 && losses[0] < 1.5, "losses \(losses)")
        let accuracy = network.accuracy(on: test)
        // Chance is 10%; one epoch reaches about 94%, the example's eight about 97%.
        #expect(accuracy >= 0.8, "held-out accuracy \(accuracy)")
    }

    /// The compiled gradient of the network's loss against the interpreted one, on a few images.
    @Test func compiledGradientMatchesTheInterpreter() throws {
        let digits = try Digits.load().subset(Array(0..<5))
        let p = DigitsConvNet(seed: 3).parameters + [digits.images, digits.oneHotLabels]
        let g = grad(DigitsConvNet.loss, wrt: Array(0..<6))
        let (interpreted, compiled) = (g(p), compile(g)(p))
        for (a, b) in zip(interpreted, compiled) {
            #expect(zip(a.scalars, b.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-12 * Swift.max(1, Swift.abs($0)) })
        }
    }
}
