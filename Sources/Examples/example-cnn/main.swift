// A small convolutional network trained on the 8×8 handwritten digits (1797 samples, shipped in
// Sources/Examples/Data): conv2d 1 → 8 (3×3) and relu, conv2d 8 → 16 (3×3, stride 2) and relu,
// a dense layer 256 → 10, softmax cross-entropy; Adam on mini-batches through one compiled
// gradient kernel, then tested on held-out images.
// Usage: example-cnn [epochs] [path/to/digits.csv], or example-cnn --bench (the convolution
// routine against im2col plus the matrix product, on layers of this network and a larger one).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Adjoint
import ExampleSupport

let clock = ContinuousClock()
let start = clock.now
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--bench" {
    Benchmark.run()
    exit(0)
}
guard let epochs = arguments.first.map({ Int($0) }) ?? 8, epochs >= 1 else {
    print("usage: example-cnn [epochs ≥ 1] [path/to/digits.csv]")
    exit(2)
}
let path = arguments.dropFirst().first ?? Digits.defaultPath
let digits: Digits
do {
    digits = try Digits.load(from: path)
} catch {
    print("example-cnn: \(error)")
    exit(1)
}
let (train, test) = digits.split(testFraction: 0.2, seed: 42)
print("Digits: \(digits.count) images of 8×8 pixels from \(path)")
print("  split with seed 42: \(train.count) for training, \(test.count) held out")

var network = DigitsConvNet(seed: 7)
let batchSize = 64
print("Network: conv2d 1→8 3×3 (padding 1), relu; conv2d 8→16 3×3 (stride 2, padding 1), relu; "
      + "dense 256→10; softmax cross-entropy")
print("  \(network.parameters.reduce(0) { $0 + $1.count }) parameters; Adam (learning rate 0.01), "
      + "\(epochs) epochs of mini-batches of \(batchSize)")
var previous = 0.0
network.train(on: train, epochs: epochs, batchSize: batchSize, using: Adam(learningRate: 0.01), seed: 1) { epoch, loss, elapsed in
    print("  epoch \(Format.padded(String(epoch), 3))  mean loss \(Format.fixed(loss, 5))  "
          + "\(Format.milliseconds(elapsed - previous))\(epoch == 1 ? " (with tracing and compiling)" : "")")
    previous = elapsed
}
print("Trained in \(Format.fixed(previous, 3)) s")
print("  training accuracy \(Format.fixed(100 * network.accuracy(on: train), 2))%")
print("  held-out accuracy \(Format.fixed(100 * network.accuracy(on: test), 2))% on \(test.count) images")
print("Total \(Format.fixed((clock.now - start).seconds, 3)) s")
