import Testing
import Adjoint
import ExampleSupport

@Suite struct DigitsTests {
    @Test func loadsTheShippedData() throws {
        let digits = try Digits.load()
        #expect(digits.count == 1797)
        #expect(digits.images.shape == [1797, 64])
        #expect(digits.labels.prefix(5) == [0, 1, 2, 3, 4])
        #expect(Set(digits.labels) == Set(0...9))
    }
}

extension DigitsTests {
    @Test func theSplitIsRepeatableAndDisjoint() throws {
        let digits = try Digits.load()
        let (train, test) = digits.split(testFraction: 0.2, seed: 42)
        let again = digits.split(testFraction: 0.2, seed: 42)
        #expect(train.count == 1438 && test.count == 359)
        #expect(again.train.labels == train.labels && again.test.images == test.images)
        #expect(digits.split(testFraction: 0.2, seed: 43).test.labels != test.labels)
    }

    /// The network of `example-digits`, trained the same way (seed fixed), on held-out images.
    @Test func networkReachesNinetyFivePercentOnHeldOutImages() throws {
        let (train, test) = try Digits.load().split(testFraction: 0.2, seed: 42)
        var network = DigitsNetwork(hidden: 32, seed: 7)
        var losses: [Double] = []
        network.train(on: train, iterations: 300, using: Adam(learningRate: 0.01), reportEvery: 100) {
            losses.append($0.loss)
        }
        #expect(losses.count == 4 && losses.first! > 2 && losses.last! < 0.05)
        let accuracy = network.accuracy(on: test)
        #expect(accuracy >= 0.95, "held-out accuracy \(accuracy)")
    }
}
