import Adjoint

/// A small neural network for the 8×8 digits: 64 inputs → `hidden` tanh units → 10 logits,
/// trained on the mean softmax cross-entropy with Adam, full batch, through a compiled kernel.
public struct DigitsNetwork: Sendable {
    /// The weights and biases `[W1 (64×h), b1 (h), W2 (h×10), b2 (10)]`.
    public var parameters: [Tensor]

    /// Weights uniform in ±1/√fan-in, biases zero, drawn from a generator seeded with `seed`.
    public init(hidden: Int = 32, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        func uniform(_ shape: [Int], fanIn: Int) -> Tensor {
            let bound = 1 / Double(fanIn).squareRoot()
            let count = shape.reduce(1, *)
            return Tensor(shape: shape, scalars: (0..<count).map { _ in Double.random(in: -bound...bound, using: &generator) })
        }
        parameters = [uniform([64, hidden], fanIn: 64), Tensor.zeros([hidden]),
                      uniform([hidden, 10], fanIn: hidden), Tensor.zeros([10])]
    }

    /// The logits, shape `[n, 10]`, for images of shape `[n, 64]`.
    public static func logits(_ p: [Tensor], _ images: Tensor) -> Tensor {
        let hidden = tanh(matmul(images, p[0]) + p[1])
        return matmul(hidden, p[2]) + p[3]
    }

    /// Mean cross-entropy of the softmax of the logits against one-hot labels, with the
    /// log-sum-exp shifted by each row's maximum so that it cannot overflow.
    public static func loss(_ p: [Tensor], images: Tensor, oneHot: Tensor) -> Tensor {
        let z = logits(p, images)
        let rows = z.shape[0]
        let top = max(z, axis: 1).reshaped([rows, 1])
        let logSumExp = log(sum(exp(z - top), axis: 1)).reshaped([rows, 1]) + top
        return sum((logSumExp - z) * oneHot) / Double(rows)
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
        let predictions = predict(data.images)
        let correct = zip(predictions, data.labels).filter { $0 == $1 }.count
        return Double(correct) / Double(data.count)
    }

    /// One line of a training report.
    public struct Report: Sendable {
        /// The step number, from 1.
        public var iteration: Int
        /// The loss at the parameters this step started from.
        public var loss: Double
        /// Seconds since training started (the first includes tracing and compiling).
        public var elapsed: Double
    }

    /// Trains on `data` for `iterations` full-batch steps of `optimizer`, calling `report` at the
    /// first step, every `reportEvery` steps and at the last.
    ///
    /// The loss and its gradient with respect to the parameter list are compiled once
    /// (`compile(valueAndGrad(…))`), and the optimizer updates the list step by step: a training
    /// loop, as one would write it for any model.
    public mutating func train<O: GradientOptimizer>(on data: Digits, iterations: Int, using optimizer: O,
                                                     reportEvery: Int = 50, report: (Report) -> Void = { _ in }) {
        precondition(iterations >= 1 && reportEvery >= 1, "DigitsNetwork.train: need at least one iteration")
        let (images, oneHot) = (data.images, data.oneHotLabels)
        let lossAndGradient = compile(valueAndGrad { (p: [Tensor]) in Self.loss(p, images: images, oneHot: oneHot) })
        var optimizer = optimizer
        let clock = ContinuousClock()
        let start = clock.now
        for iteration in 1...iterations {
            let (loss, gradients) = lossAndGradient(parameters)
            optimizer.update(&parameters, along: gradients)
            if iteration == 1 || iteration % reportEvery == 0 || iteration == iterations {
                report(Report(iteration: iteration, loss: loss.scalar, elapsed: (clock.now - start).seconds))
            }
        }
    }
}
