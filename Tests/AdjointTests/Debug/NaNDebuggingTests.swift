import Testing
import TestSupport
import Adjoint

/// `Tensor.debuggingNaNs`: the first op that makes a NaN or an infinity from finite operands,
/// with its op, shapes, source line and whether it was in a derivative, on every path.
@Suite struct NaNDebuggingTests {
    func caught(_ body: () -> Void) -> NonFiniteError? {
        do {
            try Tensor.debuggingNaNs { body() }
            return nil
        } catch let error as NonFiniteError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func eagerOperation() throws {
        let line = #line + 3
        let found = caught {
            let x: Tensor = [1, -1, 4]
            _ = sum(sqrt(x))                                           // the line reported
        }
        let error = try #require(found)
        #expect(error.op == "sqrt" && error.operandShapes == [[3]] && error.value.isNaN)
        #expect(error.derivative == nil)
        #expect(error.location?.hasSuffix("NaNDebuggingTests.swift:\(line)") == true, "\(error)")
    }

    @Test func inTheDerivative() throws {
        // sqrt(x) is fine at 0, its derivative is not: the reverse pass divides by sqrt(0).
        let line = #line + 1
        let f: (Tensor) -> Tensor = { x in sum(sqrt(x) * 3) }          // the line reported
        let error = try #require(caught { _ = grad(f)([0, 1]) })
        #expect(error.op == "div" && error.value == .infinity, "\(error)")
        #expect(error.derivative == "reverse mode derivative of sqrt", "\(error)")
        #expect(error.location?.hasSuffix("NaNDebuggingTests.swift:\(line)") == true, "\(error)")
        #expect(error.evaluatedBy == "interpreter")
    }

    @Test func inACompiledKernel() throws {
        let line = #line + 1
        let f: (Tensor) -> Tensor = { x in sum(log(x) * x) }           // the line reported
        let compiled = compile(grad(f))
        #expect(compiled([1, 2]).scalars.allSatisfy { $0.isFinite })     // compiled before watching
        let error = try #require(caught { _ = compiled([0, 2]) })
        #expect(error.op == "log" || error.op == "div", "\(error)")
        #expect(error.location?.hasSuffix("NaNDebuggingTests.swift:\(line)") == true, "\(error)")
        #expect(error.evaluatedBy.hasPrefix("interpreter, re-running a compiled kernel"), "\(error)")
    }

    @Test func forwardMode() throws {
        let error = try #require(caught { _ = jvp({ x in sqrt(x) }, at: 0, tangent: 1) })
        #expect(error.derivative == "forward mode derivative of sqrt", "\(error)")
    }

    @Test func quietWithoutNaNsAndOutsideTheScope() throws {
        #expect(caught { _ = compile(grad { x in sum(sin(x) * x) })([1, 2, 3]) } == nil)
        // Outside a scope nothing is watched, and NaN is simply the answer.
        #expect(sqrt(Tensor(-1)).scalar.isNaN)
        let answer = try Tensor.debuggingNaNs { 42 }
        #expect(answer == 42)
    }
}
