// The seed's logistic regression: four samples with three features, the logistic function
// written with tanh, the negative log-likelihood as the loss, 100 steps of gradient descent with
// learning rate 0.01 from zero weights. HIPS autograd's README reaches a loss of 1.0672706757870163.
import Adjoint
import ExampleSupport

let inputs: Tensor = [[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.30], [0.74, -2.49, 1.39]]
let targets: Tensor = [1, 1, 0, 1]

func logistic(_ x: Tensor) -> Tensor { 0.5 * (tanh(x / 2) + 1) }

func loss(_ weights: Tensor) -> Tensor {
    let p = logistic(matmul(inputs, weights))
    return -sum(log(p * targets + (1 - p) * (1 - targets)))
}

let expected = 1.0672706757870163
let clock = ContinuousClock()
print("Logistic regression: 4 samples × 3 features; gradient descent, learning rate 0.01, 100 steps from zeros.")
print("Loss at zero weights: \(loss(.zeros([3])).scalar) (4·log 2)")

print("\n1. minimize(loss, from: zeros, using: GradientDescent(learningRate: 0.01), maxIterations: 100, tolerance: 0)")
let result = minimize(loss, from: .zeros([3]), using: GradientDescent(learningRate: 0.01),
                      maxIterations: 100, tolerance: 0, progressInterval: 10, progress: progressPrinter())
print("  final loss \(result.value) (expected \(expected), difference \(abs(result.value - expected)))")
print("  weights \(result.x)")
print("  \(result.iterations) iterations, \(result.evaluations) evaluations, stopped: \(result.stopReason); "
      + "took \(Format.milliseconds(result.elapsed.seconds))")

print("\n2. The same as a training loop: compile(grad(loss)) once, then optimizer.update(&w, along: g) 100 times")
let start = clock.now
let gradient = compile(grad(loss))
var weights = Tensor.zeros([3])
var optimizer = GradientDescent(learningRate: 0.01)
for _ in 0..<100 { optimizer.update(&weights, along: gradient(weights)) }
let elapsed = (clock.now - start).seconds
let final = loss(weights).scalar
print("  final loss \(final) (expected \(expected), difference \(abs(final - expected)))")
print("  took \(Format.milliseconds(elapsed)) including compilation, \(Format.milliseconds(elapsed / 100))/step on average")
