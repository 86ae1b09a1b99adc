import Adjoint
import ExampleSupport

/// `example-cnn --bench`: the convolution routine against im2col plus the matrix product (the
/// input's windows gathered into columns by the kernel's own index loops, then `adj_matmul`),
/// for a layer's value and for its gradient in both operands, compiled, after warm-up (so that
/// both run on the optimized tier).
enum Benchmark {
    struct Layer {
        var name: String
        var input: [Int]
        var kernel: [Int]
        var stride: Int
        var padding: Int
    }

    static let layers = [
        Layer(name: "digits conv1: 64×1×8×8 * 8×1×3×3, padding 1", input: [64, 1, 8, 8], kernel: [8, 1, 3, 3], stride: 1, padding: 1),
        Layer(name: "digits conv2: 64×8×8×8 * 16×8×3×3, stride 2, padding 1", input: [64, 8, 8, 8], kernel: [16, 8, 3, 3],
              stride: 2, padding: 1),
        Layer(name: "32×32×16: 8×16×32×32 * 16×16×3×3, padding 1", input: [8, 16, 32, 32], kernel: [16, 16, 3, 3],
              stride: 1, padding: 1),
    ]

    /// conv2d as im2col: the windows of the padded input stacked into a
    /// [batch, channels·kh·kw, oh·ow] matrix per image, times the kernel as [out, channels·kh·kw].
    static func im2col(_ x: Tensor, _ w: Tensor, stride s: Int, padding p: Int) -> Tensor {
        let (b, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let (oh, ow) = ((h + 2 * p - kh) / s + 1, (wd + 2 * p - kw) / s + 1)
        let padded = p == 0 ? x : pad(x, [(0, 0), (0, 0), (p, p), (p, p)])
        var windows: [Tensor] = []
        for u in 0..<kh {
            for v in 0..<kw {
                let rows: [Int] = Array(stride(from: u, to: u + s * oh, by: s))
                let cols: [Int] = Array(stride(from: v, to: v + s * ow, by: s))
                let window: Tensor = padded[TensorIndex.all, TensorIndex.all, rows, cols]
                windows.append(window)
            }
        }
        let columns = stack(windows, axis: 2).reshaped([b, c * kh * kw, oh * ow])
        return matmul(w.reshaped([o, c * kh * kw]), columns).reshaped([b, o, oh, ow])
    }

    /// Median seconds per call of `body`, after `warmup` seconds of calls.
    static func time(warmup: Double = 0.5, runs: Int = 31, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        while (clock.now - start).seconds < warmup { body() }
        var samples: [Double] = []
        for _ in 0..<runs {
            let t = clock.now
            body()
            samples.append((clock.now - t).seconds)
        }
        return samples.sorted()[runs / 2]
    }

    static func run() {
        var generator = SeededGenerator(seed: 3)
        func random(_ shape: [Int]) -> Tensor {
            Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Double.random(in: -1...1, using: &generator) })
        }
        print("Median time per call (compiled, optimized tier), routine vs im2col + adj_matmul")
        for layer in layers {
            let (x, w) = (random(layer.input), random(layer.kernel))
            let (s, p) = (layer.stride, layer.padding)
            let direct: (Tensor, Tensor) -> Tensor = { conv2d($0, $1, stride: s, padding: p) }
            let columns: (Tensor, Tensor) -> Tensor = { im2col($0, $1, stride: s, padding: p) }
            let r = random(direct(x, w).shape)
            print("  \(layer.name)")
            for (label, f) in [("routine", direct), ("im2col ", columns)] {
                let value = compile(f)
                let gradient = compile(grad({ (a: Tensor, b: Tensor) in sum(f(a, b) * r) }, wrt: [0, 1]))
                let difference = zip(value(x, w).scalars, direct(x, w).scalars).map { Swift.abs($0 - $1) }.max() ?? 0
                let tv = time { _ = value(x, w) }, tg = time { _ = gradient(x, w) }
                print("    \(label)  value \(Format.milliseconds(tv))  gradient (both operands) \(Format.milliseconds(tg))"
                      + "  (max |Δ| vs routine \(difference))")
            }
        }
    }
}
