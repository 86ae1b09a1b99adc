import Adjoint

extension ProgramCheck {
    /// The function, its gradient and a second derivative, compiled, agree with the interpreter
    /// (1e-12; 1e-9 for the second order); with `optimizedTier`, both tiers give the same bits.
    func compiledAgainstInterpreted(_ p: Probe, _ loss: @escaping (Tensor) -> Tensor) -> [Failure] {
        var failures: [Failure] = []
        let program = self.program
        func compiled(_ check: String, _ f: @escaping (Tensor) -> Tensor, _ tolerance: Double) -> CompiledFunction<Tensor, Tensor> {
            let kernel = compile(f)
            expectClose(check, kernel(p.x), f(p.x), tolerance, into: &failures)
            // A kernel that failed to compile runs interpreted: right numbers, but a bug all the same.
            if let reason = kernel.fallbackReason { failures.append(Failure(check: check, detail: "ran interpreted: \(reason)")) }
            return kernel
        }
        _ = compiled("compiled value", { program($0) }, 1e-12)
        let gradient = compiled("compiled gradient", grad(loss), 1e-12)
        let v = p.v
        let second: (Tensor) -> Tensor = { x in sum(grad(loss)(x) * v) }
        _ = compiled("compiled second order", grad(second), 1e-9)
        _ = compiled("compiled hessian", hessian(loss), 1e-9)
        if optimizedTier {
            do {
                let kernel = try gradient.kernel(for: [p.x.shape])
                let before = try RawRun.run(kernel, [p.x])
                try kernel.optimize()
                let after = try RawRun.run(kernel, [p.x])
                if !RawRun.sameBits(before, after) {
                    failures.append(Failure(check: "tiers", detail: "libtcc \(before) vs optimized \(after)"))
                }
            } catch {
                failures.append(Failure(check: "tiers", detail: "\(error)"))
            }
        }
        return failures
    }

    /// `<u, J v>` from forward mode equals `<Jᵀ u, v>` from reverse mode.
    func forwardAgainstReverse(_ p: Probe) -> [Failure] {
        let program = self.program
        let forward = Self.inner(p.u, jvp({ program($0) }, at: p.x, tangent: p.v).tangent)
        let reverse = Self.inner(vjp({ program($0) }, at: p.x, cotangent: p.u).cotangent, p.v)
        let d = Self.difference([forward], [reverse])
        return d <= 1e-10 ? [] : [Failure(check: "forward/reverse", detail: "<u, Jv> = \(forward), <Jᵀu, v> = \(reverse)")]
    }

    /// The gradient along v, and the derivative of `<grad, v>` along v, against central
    /// differences. Where the function is not smooth near x (a kink of `relu`, `max`, `where`, a
    /// guard taking the other branch), differences at two step sizes disagree and the point is
    /// skipped: a difference across a kink is not a derivative.
    func againstCentralDifferences(_ p: Probe, _ loss: @escaping (Tensor) -> Tensor) -> [Failure] {
        var failures: [Failure] = []
        let v = p.v
        let directional: (Tensor) -> Tensor = { x in sum(grad(loss)(x) * v) }
        for (check, f, exact) in [("gradient vs differences", loss, Self.inner(grad(loss)(p.x), v)),
                                  ("second order vs differences", directional, Self.inner(grad(directional)(p.x), v))] {
            func central(_ h: Double) -> Double { (f(p.x + h * v).scalar - f(p.x - h * v).scalar) / (2 * h) }
            let (coarse, fine) = (central(1e-3), central(1e-4))
            let scale = Swift.max(1, Swift.abs(fine))
            guard coarse.isFinite, fine.isFinite, Swift.abs(coarse - fine) <= 1e-4 * scale else { continue }
            if !(Swift.abs(exact - fine) <= 1e-5 * scale) {
                failures.append(Failure(check: check, detail: "derivative \(exact), central differences \(fine) (h = 1e-3: \(coarse))"))
            }
        }
        return failures
    }

    /// The same evaluation twice (a new trace and a new kernel each time) gives the same bits.
    func repeatable(_ p: Probe, _ loss: @escaping (Tensor) -> Tensor) -> [Failure] {
        var failures: [Failure] = []
        let v = p.v
        let second: (Tensor) -> Tensor = { x in sum(grad(loss)(x) * v) }
        let evaluations: [(String, () -> Tensor)] = [
            ("interpreted gradient", { grad(loss)(p.x) }),
            ("interpreted second order", { grad(second)(p.x) }),
            ("interpreted hessian", { hessian(loss)(p.x) }),
            ("compiled gradient", { compile(grad(loss))(p.x) }),
        ]
        for (name, evaluate) in evaluations {
            let (first, again) = (evaluate(), evaluate())
            if !RawRun.sameBits([first.scalars], [again.scalars]) {
                failures.append(Failure(check: "repeatable \(name)", detail: "\(first.scalars) then \(again.scalars)"))
            }
        }
        return failures
    }
}
