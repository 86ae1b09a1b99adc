/// Shrinking: a failing program made as small as it can be while it still fails the same check.
extension ProgramCheck {
    /// The smallest program found by deleting instructions one at a time (and then simplifying
    /// operands to the newest register), keeping each change under which `check` still fails.
    public func shrunk(failing check: String) -> (program: RandomProgram, failures: [Failure]) {
        var best = program
        var failures = run()
        func stillFails(_ candidate: RandomProgram) -> [Failure]? {
            var trial = self
            trial.program = candidate
            let found = trial.run()
            return found.contains { $0.check == check } ? found : nil
        }
        var changed = true
        while changed {
            changed = false
            for k in stride(from: best.instructions.count - 1, through: 0, by: -1) where k < best.instructions.count {
                var candidate = best
                candidate.instructions.remove(at: k)
                if let found = stillFails(candidate) { (best, failures, changed) = (candidate, found, true) }
            }
            for k in best.instructions.indices {
                for simpler in [(0, best.instructions[k].b), (best.instructions[k].a, 0), (best.instructions[k].a, best.instructions[k].b)]
                where (simpler.0, simpler.1) != (best.instructions[k].a, best.instructions[k].b) || best.instructions[k].parameter != 0 {
                    var candidate = best
                    (candidate.instructions[k].a, candidate.instructions[k].b) = simpler
                    if simpler == (best.instructions[k].a, best.instructions[k].b) { candidate.instructions[k].parameter = 0 }
                    if let found = stillFails(candidate) { (best, failures, changed) = (candidate, found, true) }
                }
            }
        }
        return (best, failures)
    }
}
