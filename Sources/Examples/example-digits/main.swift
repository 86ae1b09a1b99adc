// A small neural network (64 → 32 tanh → 10) trained on the 8×8 handwritten digits (1797
// samples, shipped in Sources/Examples/Data) with full-batch Adam, then tested on held-out data.
// Usage: example-digits [path/to/digits.csv]
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Adjoint
import ExampleSupport

let clock = ContinuousClock()
let start = clock.now
let path = CommandLine.arguments.dropFirst().first ?? Digits.defaultPath
let digits: Digits
do {
    digits = try Digits.load(from: path)
} catch {
    print("example-digits: \(error)")
    exit(1)
}
let (train, test) = digits.split(testFraction: 0.2, seed: 42)
print("Digits: \(digits.count) images of 8×8 pixels from \(path)")
print("  split with seed 42: \(train.count) for training, \(test.count) held out; "
      + "loaded in \(Format.milliseconds((clock.now - start).seconds))")

let iterations = 300
var network = DigitsNetwork(hidden: 32, seed: 7)
print("Network 64 → 32 (tanh) → 10, softmax cross-entropy; Adam (learning rate 0.01), "
      + "\(iterations) full-batch steps")
var previous: DigitsNetwork.Report?
network.train(on: train, iterations: iterations, using: Adam(learningRate: 0.01), reportEvery: 25) { r in
    let timing = previous.map { p in
        Format.milliseconds((r.elapsed - p.elapsed) / Double(r.iteration - p.iteration)) + "/iteration"
    } ?? Format.milliseconds(r.elapsed) + " (first step: trace, compile, run)"
    previous = r
    print("  iteration \(Format.padded(String(r.iteration), 4))  loss \(Format.fixed(r.loss, 6))  \(timing)")
}
let trainingTime = previous?.elapsed ?? 0
print("Trained in \(Format.fixed(trainingTime, 3)) s")
print("  training accuracy \(Format.fixed(100 * network.accuracy(on: train), 2))%")
print("  held-out accuracy \(Format.fixed(100 * network.accuracy(on: test), 2))% on \(test.count) images")
print("Total \(Format.fixed((clock.now - start).seconds, 3)) s")
