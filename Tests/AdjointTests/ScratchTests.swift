import Testing
import Adjoint

@Test func scratchPrint() {
    func w5(_ x: Tensor) -> Tensor {
        let n = x.shape[0]
        let head = x[0..<(n - 1)], tail = x[1..<n]
        return sum(100 * (tail - head * head) * (tail - head * head) + (1 - head) * (1 - head))
    }
    print(compile(grad(w5)).cSource(for: [[1000]]))
    func w6(_ x0: Tensor) -> Tensor {
        var x = x0
        for _ in 0..<3 { x = sin(x) * 0.9 + 0.1 * cos(x * 1.3) }
        return x
    }
    print(compile(grad(w6)).cSource(for: [[]]))
}
