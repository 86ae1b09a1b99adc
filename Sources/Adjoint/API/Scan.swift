/// JAX's `lax.scan`: a loop stated rather than written. `body` maps the carry and one row of `xs`
/// (a slice along the leading axis) to the next carry and that step's output; `scan` returns the
/// last carry and the outputs stacked along a new leading axis:
///
/// ```swift
/// let (total, partial) = scan(initial: Tensor(0.0), over: x) { carry, xi in
///     let next = carry + xi
///     return (carry: next, output: next)
/// }   // partial == cumsum(x), total == sum(x)
/// ```
///
/// Like every operation it is differentiable in both modes and to any order, and compiles.
/// Today the steps are traced one by one, as the same loop written in Swift would be: lowering
/// finds the repeated steps of a scalar carry and emits one C loop (Lower/Reroll.swift); a body
/// over vectors is still unrolled. With no rows, `body` runs once on zeros to find the outputs'
/// shape, and the outputs have a leading extent of 0.
///
/// The carry must keep its shape from step to step, and every step's output must have the same
/// shape; `xs` must have a leading axis (rank ≥ 1).
public func scan(initial carry: Tensor, over xs: Tensor,
                 _ body: (_ carry: Tensor, _ x: Tensor) -> (carry: Tensor, output: Tensor)) -> (carry: Tensor, outputs: Tensor) {
    let scanned = scan(initial: [carry], over: xs) { carries, x in
        let step = body(carries[0], x)
        return (carry: [step.carry], output: step.output)
    }
    return (scanned.carry[0], scanned.outputs)
}

/// ``scan(initial:over:_:)`` with several carried tensors (an LSTM's hidden and cell states):
/// the body returns as many, each of the shape it was given.
public func scan(initial carry: [Tensor], over xs: Tensor,
                 _ body: (_ carry: [Tensor], _ x: Tensor) -> (carry: [Tensor], output: Tensor)) -> (carry: [Tensor], outputs: Tensor) {
    guard xs.rank >= 1 else {
        ShapeErrors.fail(ShapeError("scan", [xs.shape], "xs must have a leading axis to scan over (a rank-0 xs has none)"))
        return (carry, Tensor.zeros([0]))
    }
    var current = carry
    var outputs: [Tensor] = []
    outputs.reserveCapacity(xs.shape[0])
    for i in 0..<xs.shape[0] {
        let step = body(current, xs[i])
        if let problem = carryProblem(current, step.carry) {
            ShapeErrors.fail(ShapeError("scan", current.map(\.shape) + step.carry.map(\.shape), "step \(i): " + problem))
            return (carry, Tensor.zeros([0]))
        }
        if let first = outputs.first, first.shape != step.output.shape {
            ShapeErrors.fail(ShapeError("scan", [first.shape, step.output.shape],
                                        "step \(i)'s output has shape \(Shape.describe(step.output.shape)), step 0's \(Shape.describe(first.shape))"))
            return (carry, Tensor.zeros([0]))
        }
        current = step.carry
        outputs.append(step.output)
    }
    guard !outputs.isEmpty else {
        let probe = body(carry, Tensor.zeros(Array(xs.shape.dropFirst())))
        return (carry, Tensor.zeros([0] + probe.output.shape))
    }
    return (current, stack(outputs, axis: 0))
}

/// Why `next` cannot follow `carry` (another count of tensors, or a shape changed), else nil.
private func carryProblem(_ carry: [Tensor], _ next: [Tensor]) -> String? {
    guard next.count == carry.count else {
        return "the body returned \(next.count) carried tensors for \(carry.count)"
    }
    for (k, (a, b)) in zip(carry, next).enumerated() where a.shape != b.shape {
        return "the body changed carry \(k)'s shape from \(Shape.describe(a.shape)) to \(Shape.describe(b.shape))"
    }
    return nil
}
