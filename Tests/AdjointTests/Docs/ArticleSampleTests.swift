import Foundation
import Testing
import Adjoint

/// The DocC articles' code samples (Sources/Adjoint/Adjoint.docc), run and checked, so that a
/// change of the API breaks a test rather than leaving an article wrong. Each test names its
/// article; keep the code the same as the article's when either changes.
@Suite struct ArticleSampleTests {
    static func expectClose(_ t: Tensor, _ expected: [Double], tolerance: Double = 1e-12,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(t.scalars.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(t.scalars, expected) {
            #expect(Swift.abs(a - e) <= tolerance * Swift.max(1, Swift.abs(e)), "\(t.scalars) against \(expected)",
                    sourceLocation: sourceLocation)
        }
    }

    static func tanh(_ x: Tensor) -> Tensor {
        let y = exp(-2.0 * x)
        return (1.0 - y) / (1.0 + y)
    }

    /// GettingStarted.md and the landing page Adjoint.md.
    @Test func gettingStarted() {
        let dtanh = compile(grad(Self.tanh))
        Self.expectClose(dtanh(1.0), [0.419974341614026])
        #expect(dtanh.cSource(for: [[]]).contains("adj_kernel"))
        #expect(dtanh.graphDot(for: [[]]).hasPrefix("digraph"))
        let fourth = grad(grad(grad(grad(Self.tanh))))(0.3)
        // tanh'''' = 8 t (1 - t²)(2 - 3 t²) with t = tanh(x).
        let t = Foundation.tanh(0.3)
        Self.expectClose(fourth, [8 * t * (1 - t * t) * (2 - 3 * t * t)], tolerance: 1e-10)

        let m: Tensor = [[1, 2], [3, 4]]
        let v = Tensor(shape: [2], scalars: [0.5, -2])
        let y = 2 * matmul(m, v) + 1
        #expect(y.shape == [2])
        #expect(y.scalars == [-6.0, -12.0])
    }

    /// Transforms.md: several arguments, composition, forward and reverse mode, nesting.
    @Test func transforms() {
        func g(_ x: Tensor, _ y: Tensor) -> Tensor { sum(x * y + sin(x)) }
        let x: Tensor = [0, 1], y: Tensor = [2, 3]
        Self.expectClose(grad(g, wrt: 1)(x, y), [0, 1])
        let both = grad(g, wrt: [0, 1])(x, y)
        Self.expectClose(both[0], [2 + cos(0), 3 + cos(1)])
        Self.expectClose(both[1], [0, 1])

        func f(_ x: Tensor) -> Tensor { sum(x * x * x) }
        let h = compile(hessian(f))
        Self.expectClose(h([1, 2]), [6, 0, 0, 12])
        Self.expectClose(jacobian(grad(f))([1, 2]), [6, 0, 0, 12])

        let (value, tangent) = jvp(f, at: [1, 2], tangent: [1, 0])
        Self.expectClose(value, [9])
        Self.expectClose(tangent, [3])
        let (_, cotangent) = vjp(f, at: [1, 2], cotangent: 1)
        Self.expectClose(cotangent, [3, 12])

        let xs: Tensor = [1, 2, 3, 4]
        let (total, partial) = scan(initial: Tensor(0.0), over: xs) { carry, xi in
            let next = carry + xi
            return (carry: next, output: next)
        }
        Self.expectClose(partial, cumsum(xs).scalars)
        Self.expectClose(total, [10])

        Self.expectClose(grad { x in x * deriv { y in x + y }(1) }(3), [1])
    }

    static func relu1(_ x: Tensor) -> Tensor { x >= 0 ? x * x : -x }

    static func taylorSine(_ x: Tensor) -> Tensor {
        var ans = x, term = x, i = 0.0
        while abs(term) > 0.001 {
            term = -term * x * x / ((2 * i + 3) * (2 * i + 2))
            ans = ans + term
            i += 1
        }
        return ans
    }

    static func huber(_ r: Tensor) -> Tensor {
        sum(`where`(abs(r) .<= 1, 0.5 * r * r, abs(r) - 0.5))
    }

    /// ControlFlow.md: a guard respecializes; `if` in a loop; `where`.
    @Test func controlFlow() {
        let d = compile(grad(Self.relu1))
        Self.expectClose(d(3), [6])
        Self.expectClose(d(-1), [-1])
        #expect(d.kernels.count == 2)

        #expect(Swift.abs(Self.taylorSine(0.5).scalar - sin(0.5)) < 1e-4)
        Self.expectClose(compile(grad(Self.taylorSine))(0.5), grad(Self.taylorSine)(0.5).scalars)

        let r: Tensor = [0.5, 2, -3]
        Self.expectClose(Self.huber(r), [0.125 + 1.5 + 2.5])
        Self.expectClose(compile(grad(Self.huber))(r), [0.5, 1, -1])
    }

    /// Performance.md: `Kernel.run` on your own buffers.
    @Test func kernelOnOwnBuffers() throws {
        let f = compile(grad { (x: Tensor) in sum(x * x * x) })
        let kernel = try f.kernel(for: [[3]])
        let x: [Double] = [1, 2, 3]
        var g = [Double](repeating: 0, count: 3)
        var workspace = [Double](repeating: 0, count: kernel.workspaceCount)
        let status = x.withUnsafeBufferPointer { xs in
            g.withUnsafeMutableBufferPointer { gs in
                var inputs: [UnsafePointer<Double>?] = [xs.baseAddress]
                var outputs: [UnsafeMutablePointer<Double>?] = [gs.baseAddress]
                return kernel.run(inputs: &inputs, outputs: &outputs, workspace: &workspace)
            }
        }
        #expect(status == 0)
        #expect(g == [3, 12, 27])
    }

    /// CommandLine.md: the language as `Expression`.
    @Test func expression() throws {
        let e = try Expression(parsing: "dot(W @ x, x)")
        let W: Tensor = [[1, 2], [3, 4]], x: Tensor = [0.5, -2]
        Self.expectClose(e.evaluate(["W": W, "x": x]), [11.25])
        Self.expectClose(grad({ x in e.evaluate(["W": W, "x": x]) })(x), [-9, -13.5])
    }

    /// PortingFromNumPy.md: autograd's logistic loss, compiled.
    @Test func porting() {
        let X: Tensor = [[1, 2], [3, 4], [5, 6]], y: Tensor = [1, -1, 1]
        func loss(_ w: Tensor) -> Tensor { sum(log1p(exp(-y * dot(X, w)))) }
        let dloss = compile(grad(loss))
        // d/dw Σ log(1 + exp(-yᵢ xᵢ·w)) = Σ -yᵢ xᵢ σ(-yᵢ xᵢ·w).
        let w = [0.1, -0.2], rows = [[1.0, 2], [3, 4], [5, 6]], labels = [1.0, -1, 1]
        var expected = [0.0, 0.0]
        for (row, label) in zip(rows, labels) {
            let margin = label * (row[0] * w[0] + row[1] * w[1])
            let s = 1 / (1 + Foundation.exp(margin))
            for j in 0..<2 { expected[j] += -label * row[j] * s }
        }
        Self.expectClose(dloss(Tensor(shape: [2], scalars: w)), expected)
    }
}
