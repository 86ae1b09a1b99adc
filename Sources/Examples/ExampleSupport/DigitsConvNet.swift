import Adjoint

/// A small convolutional network for the 8×8 digits (example-cnn): the image as one channel,
/// `conv2d` 1 → 8 (3×3, padding 1) and relu, `conv2d` 8 → 16 (3×3, stride 2, padding 1: the
/// downsampling is the stride, no pooling op needed) and relu, then a dense layer 256 → 10 and
/// the softmax cross-entropy. Trained with mini-batches through one compiled gradient kernel.
public struct DigitsConvNet: Sendable {
    /// `[K1 (8×1×3×3), c1 (8), K2 (16×8×3×3), c2 (16), W (256×10), b (10)]`.
    public var parameters: [Tensor]

    /// How many parameters the loss is differentiated with respect to (the rest of its list
    /// are the batch's images and labels).
    static let count = 6

    /// He-uniform weights (±√(6/fan-in), for relu units), zero biases, from a generator seeded with `seed`.
    public init(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        func uniform(_ shape: [Int], fanIn: Int) -> Tensor {
            let bound = (6 / Double(fanIn)).squareRoot()
            let count = shape.reduce(1, *)
            return Tensor(shape: shape, scalars: (0..<count).map { _ in Double.random(in: -bound...bound, using: &generator) })
        }
        parameters = [uniform([8, 1, 3, 3], fanIn: 9), Tensor.zeros([8]),
                      uniform([16, 8, 3, 3], fanIn: 72), Tensor.zeros([16]),
                      uniform([256, 10], fanIn: 256), Tensor.zeros([10])]
    }

    /// The logits, shape `[n, 10]`, for images of shape `[n, 64]`.
    public static func logits(_ p: [Tensor], _ images: Tensor) -> Tensor {
        let n = images.shape[0]
        let x = images.reshaped([n, 1, 8, 8])
        let h1 = relu(conv2d(x, p[0], padding: 1) + p[1].reshaped([1, 8, 1, 1]))               // n×8×8×8
        let h2 = relu(conv2d(h1, p[2], stride: 2, padding: 1) + p[3].reshaped([1, 16, 1, 1]))  // n×16×4×4
        return matmul(h2.reshaped([n, 256]), p[4]) + p[5]
    }

    /// The mean softmax cross-entropy against one-hot labels; `p` holds the parameters, then
    /// the images and the one-hot labels.
    public static func loss(_ p: [Tensor]) -> Tensor {
        let z = logits(Array(p[..<count]), p[count])
        let n = Double(z.shape[0])
        return (sum(logsumexp(z, axis: 1)) - sum(z * p[count + 1])) / n
    }

    /// The predicted digit for each image.
    public func predict(_ images: Tensor) -> [Int] {
        let z = Self.logits(parameters, images).scalars
        return (0..<images.shape[0]).map { row in
            let scores = z[(row * 10)..<(row * 10 + 10)]
            return scores.indices.max { scores[$0] < scores[$1] }! - row * 10
        }
    }

    /// The fraction of `data` classified correctly.
    public func accuracy(on data: Digits) -> Double {
        let correct = zip(predict(data.images), data.labels).filter { $0 == $1 }.count
        return Double(correct) / Double(data.count)
    }

    /// Trains for `epochs` passes over `data` in shuffled mini-batches of `batchSize` (a last
    /// partial batch is left out, so that the kernel keeps one shape), calling `report` after
    /// each epoch with the epoch, the mean loss of its batches and the seconds since the start.
    ///
    /// The gradient with respect to the parameters is compiled once (`compile(grad(loss))`,
    /// the batch passed as arguments), and `optimizer` updates the list after every batch.
    public mutating func train<O: GradientOptimizer>(on data: Digits, epochs: Int, batchSize: Int, using optimizer: O,
                                                     seed: UInt64, report: (Int, Double, Double) -> Void = { _, _, _ in }) {
        let gradient = compile(valueAndGrad(Self.loss, wrt: Array(0..<Self.count)))
        var optimizer = optimizer, generator = SeededGenerator(seed: seed)
        let clock = ContinuousClock(), start = clock.now
        for epoch in 1...epochs {
            var order = Array(0..<data.count)
            order.shuffle(using: &generator)
            var total = 0.0, batches = 0
            for first in stride(from: 0, through: data.count - batchSize, by: batchSize) {
                let batch = data.subset(Array(order[first..<(first + batchSize)]))
                let (loss, g) = gradient(parameters + [batch.images, batch.oneHotLabels])
                optimizer.update(&parameters, along: g)
                total += loss.scalar
                batches += 1
            }
            report(epoch, total / Double(Swift.max(batches, 1)), (clock.now - start).seconds)
        }
    }
}
