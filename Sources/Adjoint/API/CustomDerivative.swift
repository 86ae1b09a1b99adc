/// `customDerivative`: a function with a derivative rule of its own (autograd's `defvjp`, JAX's
/// `custom_vjp`). The returned function computes `f`'s value; reverse mode uses `pullback`,
/// forward mode `pushforward` when it is given, else the pullback transposed (it is linear in
/// the cotangent). The rules are traced in tensor ops into the graph being differentiated, so
/// the derivative is differentiable again, to any order, in both modes, and compiles.
///
/// ```swift
/// // log(1 + eˣ) without overflow in its gradient
/// let log1pexp = customDerivative(of: { x in log(1 + exp(x)) },
///                                 pullback: { x, y, g in g * sigmoid(x) })
/// grad { x in sum(log1pexp(x)) }([800])          // [1], not NaN
///
/// // a straight-through estimator: the value clipped, the gradient passed through
/// let clipped = customDerivative(of: { x in minimum(maximum(x, -1), 1) },
///                                pullback: { x, y, g in g })
/// ```
///
/// The pullback gets the argument `x`, the value `y = f(x)` and the cotangent `g` (shaped like
/// `y`) and returns `x`'s cotangent (shaped like `x`); the pushforward gets `x`, `y` and a
/// tangent `t` of `x` and returns `y`'s tangent. Write the rules in tensor ops; they may branch
/// on `x` and `y` with plain Swift control flow (guarded, as everywhere), not on `g` or `t`. Uncompiled and outside any transform the function is
/// just `f`. Tensors that `f` closes over keep their true derivative; the rule replaces only the
/// derivative with respect to the arguments.
public func customDerivative(of f: @escaping (Tensor) -> Tensor,
                             pullback: @escaping (_ x: Tensor, _ y: Tensor, _ g: Tensor) -> Tensor,
                             pushforward: ((_ x: Tensor, _ y: Tensor, _ t: Tensor) -> Tensor)? = nil) -> (Tensor) -> Tensor {
    { x in
        CustomDerivatives.apply({ f($0[0]) }, at: [x], pullback: { x, y, g in [pullback(x[0], y, g)] },
                                pushforward: pushforward.map { pf in { x, y, t in pf(x[0], y, t[0]) } })
    }
}

/// `customDerivative` for a function of a parameter list: the pullback returns one cotangent
/// per parameter (shaped like it); the pushforward gets one tangent per parameter.
public func customDerivative(of f: @escaping ([Tensor]) -> Tensor,
                             pullback: @escaping (_ x: [Tensor], _ y: Tensor, _ g: Tensor) -> [Tensor],
                             pushforward: ((_ x: [Tensor], _ y: Tensor, _ t: [Tensor]) -> Tensor)? = nil)
    -> ([Tensor]) -> Tensor {
    { xs in CustomDerivatives.apply(f, at: xs, pullback: pullback, pushforward: pushforward) }
}

/// `customDerivative` for a function of two tensors: the pullback returns the cotangents of
/// both arguments; the pushforward gets a tangent of each.
public func customDerivative(of f: @escaping (Tensor, Tensor) -> Tensor,
                             pullback: @escaping (_ a: Tensor, _ b: Tensor, _ y: Tensor, _ g: Tensor) -> (Tensor, Tensor),
                             pushforward: ((_ a: Tensor, _ b: Tensor, _ y: Tensor, _ ta: Tensor, _ tb: Tensor) -> Tensor)? = nil)
    -> (Tensor, Tensor) -> Tensor {
    { a, b in
        CustomDerivatives.apply({ f($0[0], $0[1]) }, at: [a, b],
                                pullback: { x, y, g in let r = pullback(x[0], x[1], y, g); return [r.0, r.1] },
                                pushforward: pushforward.map { pf in { x, y, t in pf(x[0], x[1], y, t[0], t[1]) } })
    }
}

/// The core of `customDerivative`: the value, and while tracing a `custom_derivative` node
/// holding the rules, traced at the arguments' example values (Ops/Custom.swift).
package enum CustomDerivatives {
    package static func apply(_ f: ([Tensor]) -> Tensor, at xs: [Tensor],
                              pullback: ([Tensor], Tensor, Tensor) -> [Tensor],
                              pushforward: (([Tensor], Tensor, [Tensor]) -> Tensor)?) -> Tensor {
        guard Trace.current != nil || Trace.innermost(xs) != nil else { return f(xs) }
        let n = xs.count
        // f at placeholders of its own, to see whether it closes over traced tensors.
        let traced = Staging.trace(xs, { [f($0)] })
        let passesThrough = !traced.captures.isEmpty
        let y = Staging.bind(traced, to: passesThrough ? xs.map(stopGradient) : xs)[0]
        let pb = Staging.trace(xs + [y, Tensor.ones(y.shape)]) { a in pullback(Array(a[..<n]), a[n], a[n + 1]) }
        guard check(pb, results: xs.map(\.shape), linear: [n + 1], "pullback", xs, y) else { return y }
        let pf = pushforward.map { pushforward in
            Staging.trace(xs + [y] + xs.map { Tensor.ones($0.shape) }) { a in
                [pushforward(Array(a[..<n]), a[n], Array(a[(n + 1)...]))]
            }
        }
        if let pf, !check(pf, results: [y.shape], linear: Array((n + 1)...(2 * n)), "pushforward", xs, y) { return y }
        let captures = pb.captures + (pf?.captures ?? [])
        guard let target = Trace.innermost(xs + [y] + captures) else { return y }
        let rule = CustomRule(arity: n, passesThrough: passesThrough, pullback: ruleGraph(pb, captureOffset: 1 + n),
                              pushforward: pf.map { ruleGraph($0, captureOffset: 1 + n + pb.captures.count) })
        let operands = ([y] + xs + captures).map { target.node(for: $0) }
        let node = target.graph.make(.custom(rule), Operands(operands), shape: y.shape)
        recordGuards(of: pb, rule.pullback, arity: n, operands, in: target)
        if let pf, let graph = rule.pushforward { recordGuards(of: pf, graph, arity: n, operands, in: target) }
        return Tensor(storage: y.storage, symbol: Symbol(trace: target, node: node))
    }

    /// The branches a rule took on the arguments' or the value's elements, as guards of the
    /// trace the function is applied in: compiled code specializes again when they change, as
    /// for branches anywhere else. (The rule's (co)tangents are zeros here: no guard reads them.)
    private static func recordGuards(of traced: Staging.Traced, _ rule: RuleGraph, arity n: Int, _ operands: [NodeID],
                                     in target: Trace) {
        guard !traced.guards.isEmpty else { return }
        let bindings = traced.inputs.indices.map { i in
            i < n ? operands[1 + i] : i == n ? operands[0] : target.graph.constant(0, shape: traced.graph.shape(traced.inputs[i]))
        }
        let captures = (0..<rule.captureCount).map { operands[rule.captureOffset + $0] }
        for g in traced.guards {
            let condition = target.graph.inline(traced.graph, outputs: [g.condition], inputs: bindings, captures: captures)[0]
            target.recordGuard(condition, taken: g.expected)
        }
    }

    private static func ruleGraph(_ traced: Staging.Traced, captureOffset: Int) -> RuleGraph {
        RuleGraph(graph: traced.graph, inputs: traced.inputs, outputs: traced.outputs,
                  captureOffset: captureOffset, captureCount: traced.captures.count)
    }

    /// The rule gave results of the right number and shapes, and took no branch on the
    /// (co)tangents it is linear in (placeholders `linear`).
    private static func check(_ rule: Staging.Traced, results shapes: [[Int]], linear: [Int], _ name: String,
                              _ xs: [Tensor], _ y: Tensor) -> Bool {
        let operands = xs.map(\.shape) + [y.shape]
        let got = rule.outputs.map { rule.graph.shape($0) }
        guard got == shapes else {
            let what = name == "pullback" ? "one cotangent per argument, shaped like it" : "one tangent shaped like the value"
            ShapeErrors.fail(ShapeError("customDerivative", operands,
                                        "the \(name) must return \(what): \(shapes.map(Shape.describe)), got \(got.map(Shape.describe))"))
            return false
        }
        let moving = rule.graph.activity(from: linear.map { rule.inputs[$0] }, upTo: rule.graph.count)
        guard !rule.guards.contains(where: { moving[$0.condition.int] }) else {
            let what = name == "pullback" ? "cotangent" : "tangent"
            ShapeErrors.fail(ShapeError("customDerivative", operands,
                                        "the \(name) branched on the \(what)'s value; write it with where(_:_:_:)", kind: .argument))
            return false
        }
        return true
    }
}
