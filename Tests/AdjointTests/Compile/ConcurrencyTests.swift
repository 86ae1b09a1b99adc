import Testing
import Adjoint

/// Kernels are reentrant and compilation is serialized behind one lock: compiling and calling from
/// many tasks at once gives the same numbers as one task.
@Suite struct ConcurrencyTests {
    @Test func compileAndCallFromManyTasks() async {
        let shared = compile(grad(SeedTests.tanhExp))
        let results = await withTaskGroup(of: Bool.self) { group in
            for t in 0..<8 {
                group.addTask {
                    let own = compile(grad { x in sum(sin(x * Double(t + 1))) })
                    var ok = true
                    for i in 0..<200 {
                        let x = -1 + 0.01 * Double(i)
                        ok = ok && shared(Tensor(x)) == grad(SeedTests.tanhExp)(Tensor(x))
                        let v = Tensor([x, x + 1])
                        ok = ok && own(v) == grad { x in sum(sin(x * Double(t + 1))) }(v)
                    }
                    return ok
                }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(results)
        #expect(shared.kernels.count == 1)
    }

    @Test func oneCompiledFunctionFirstCalledFromManyTasks() async {
        // Several tasks may race to specialize the same shapes; every answer is right either way.
        let f = compile(grad { x in sum(x * x * x) })
        let ok = await withTaskGroup(of: Bool.self) { group in
            for t in 0..<8 {
                group.addTask { f(Tensor.ones([t % 3 + 1]) * 2) == Tensor.ones([t % 3 + 1]) * 12 }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(ok)
    }
}
