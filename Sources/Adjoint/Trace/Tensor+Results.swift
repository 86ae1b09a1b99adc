/// Ops with several results: one tuple node in the trace, one tensor per result (each a
/// `.result(k)` projection of it).
extension Tensor {
    /// The results of `op(operands)` for an op whose rule has `results > 1`: eager when the
    /// operands are concrete, recorded in the innermost open trace otherwise.
    package static func applyResults(_ op: Op, _ operands: [Tensor], location: String? = nil) -> [Tensor] {
        let rule = op.rule
        guard let resultShapes = rule.resultShapes, let evaluateResults = rule.evaluateResults else {
            preconditionFailure("\(op.name) has one result: use apply")
        }
        do {
            _ = try op.resultShape(operands.map(\.shape))
        } catch var error {
            error.location = error.location ?? location
            let shapes = resultShapes(op, operands.map(\.shape))
            return shapes.map { ShapeErrors.report(error, fallback: $0) }
        }
        let values = evaluateResults(op, operands.map(\.value))
        guard let trace = Trace.innermost(operands) else { return values.map(Tensor.init) }
        let tuple = trace.graph.make(op, Operands(operands.map { trace.node(for: $0) }), shape: [0])
        let projections = trace.graph.results(of: tuple)
        return zip(values, projections).map { value, node in
            Tensor(shape: value.shape, scalars: value.scalars, symbol: Symbol(trace: trace, node: node))
        }
    }
}

/// Sine and cosine in one op with two results: not a public function, but the small op through
/// which the tests check nodes with several results in every stage.
package func sincos(_ x: Tensor) -> (sin: Tensor, cos: Tensor) {
    let results = Tensor.applyResults(.sincos, [x])
    return (results[0], results[1])
}
