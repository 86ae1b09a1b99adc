import Testing
import Adjoint

@Suite struct CompileTests {
    @Test func tanhGradientCompiled() {
        let dtanh = compile(grad(SeedTests.tanhExp))
        #expect(dtanh(1.0).scalar == 0.419974341614026)
        print(dtanh.cSource(for: [[]]))
    }

    @Test func logisticRegressionCompiled() {
        let g = compile(grad(SeedTests.logisticLoss))
        var w = Tensor.zeros([3])
        for _ in 0..<100 { w -= 0.01 * g(w) }
        #expect(Swift.abs(SeedTests.logisticLoss(w).scalar - 1.0672706757870163) < 1e-12)
        print(g.cSource(for: [[3]]))
    }
}
