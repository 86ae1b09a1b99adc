/// Limited-memory BFGS (Nocedal & Wright, *Numerical Optimization*, algorithms 7.4 and 7.5): a
/// quasi-Newton method that models the inverse Hessian from the last `memory` steps and their
/// gradient changes, and moves by a strong Wolfe ``LineSearch`` along the direction it gives.
///
/// Each step computes `p = −H·g` by the two-loop recursion, with `H₀ = γ·I` scaled by the newest
/// pair (`γ = sᵀy / yᵀy`); the first step, with no history, goes along `−g` with an initial step
/// of `min(1, 1/‖g‖)`. A pair `(s, y)` joins the history only if `sᵀy > 0` (the curvature the
/// Wolfe conditions guarantee, checked against rounding), so `H` stays positive definite.
///
/// L-BFGS needs the loss, not just a gradient: use it through `minimize`, or step by step with
/// ``Optimizer/step(_:valueAndGradient:)``. When a line search fails the history is dropped and
/// the step retried along `−g`; only if that fails too does the step throw.
public struct LBFGS: Optimizer {
    /// How many recent `(s, y)` pairs model the curvature (m; 3 to 20 is usual).
    public var memory: Int
    /// The line search along each direction.
    public var lineSearch: LineSearch
    private var history = CurvatureHistory()

    /// L-BFGS keeping `memory` curvature pairs, with a strong Wolfe line search (c₁ = 10⁻⁴, c₂ = 0.9 by default).
    public init(memory: Int = 10, lineSearch: LineSearch = LineSearch()) {
        if memory < 1 {
            ShapeErrors.fail(ShapeError("LBFGS(memory:)", [], "memory must be at least 1, got \(memory)", kind: .argument))
        }
        self.memory = Swift.max(memory, 1)
        self.lineSearch = lineSearch
    }

    /// How many curvature pairs the history holds now.
    public var historyCount: Int { history.count }

    /// One L-BFGS iteration: the two-loop direction, a line search along it, and the new
    /// curvature pair recorded.
    public mutating func step(from point: Evaluation, objective: Objective) throws(OptimizationError) -> Evaluation {
        let x = ParameterVector.flatten(point.parameters)
        let g = ParameterVector.flatten(point.gradient)
        let next: (Evaluation, step: [Double])
        do {
            next = try search(from: point, x: x, g: g, direction: history.direction(for: g), objective: objective)
        } catch {
            guard !history.isEmpty else { throw error }
            history.removeAll()
            next = try search(from: point, x: x, g: g, direction: g.map { -$0 }, objective: objective)
        }
        let yk = ParameterVector.adding(ParameterVector.flatten(next.0.gradient), -1, g)
        history.record(s: next.step, y: yk, limit: memory)
        return next.0
    }

    /// Forgets the curvature history.
    public mutating func reset() { history.removeAll() }

    /// The line search along `direction` (along `−g` instead if it does not descend): the new
    /// point and the step taken, `s = α·p`.
    private func search(from point: Evaluation, x: [Double], g: [Double], direction: [Double],
                        objective: Objective) throws(OptimizationError) -> (Evaluation, step: [Double]) {
        var p = direction
        var slope = ParameterVector.dot(g, p)
        if !(slope < 0) {
            p = g.map { -$0 }
            slope = -ParameterVector.dot(g, g)
        }
        let first = history.isEmpty ? min(1, 1 / (-slope).squareRoot()) : 1
        let origin = LineSearch.Sample(step: 0, value: point.value, slope: slope)
        let (accepted, evaluation) = try lineSearch.search(from: origin, initialStep: first) { alpha in
            let e = objective(ParameterVector.unflatten(ParameterVector.adding(x, alpha, p), like: point.parameters))
            let slope = ParameterVector.dot(ParameterVector.flatten(e.gradient), p)
            return (LineSearch.Sample(step: alpha, value: e.value, slope: slope), e)
        }
        return (evaluation, p.map { accepted.step * $0 })
    }
}

/// The last m steps `s` and gradient changes `y`, oldest first, and the two-loop recursion.
package struct CurvatureHistory: Sendable {
    private var s: [[Double]] = []
    private var y: [[Double]] = []
    private var rho: [Double] = []

    package init() {}

    package var count: Int { s.count }
    package var isEmpty: Bool { s.isEmpty }

    package mutating func removeAll() {
        s.removeAll()
        y.removeAll()
        rho.removeAll()
    }

    /// Adds a pair if its curvature `sᵀy` is safely positive, dropping the oldest past `limit`.
    package mutating func record(s sk: [Double], y yk: [Double], limit: Int) {
        let sy = ParameterVector.dot(sk, yk)
        let yy = ParameterVector.dot(yk, yk)
        guard sy > Double.ulpOfOne * yy, sy.isFinite, yy.isFinite else { return }
        s.append(sk)
        y.append(yk)
        rho.append(1 / sy)
        while s.count > limit {
            s.removeFirst()
            y.removeFirst()
            rho.removeFirst()
        }
    }

    /// `−H·g` by the two-loop recursion (Nocedal & Wright, algorithm 7.4); `−g` with no history.
    package func direction(for g: [Double]) -> [Double] {
        var q = g
        var alpha = [Double](repeating: 0, count: count)
        for i in stride(from: count - 1, through: 0, by: -1) {
            alpha[i] = rho[i] * ParameterVector.dot(s[i], q)
            q = ParameterVector.adding(q, -alpha[i], y[i])
        }
        if let sk = s.last, let yk = y.last {
            let gamma = ParameterVector.dot(sk, yk) / ParameterVector.dot(yk, yk)
            for i in q.indices { q[i] *= gamma }
        }
        for i in 0..<count {
            let beta = rho[i] * ParameterVector.dot(y[i], q)
            q = ParameterVector.adding(q, alpha[i] - beta, s[i])
        }
        return q.map { -$0 }
    }
}
