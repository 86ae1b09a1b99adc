/// The one funnel every tensor operation goes through: check the shapes, compute the value, and
/// record a node when an operand is traced.
extension Tensor {
    /// `op(operands)`: eager when all operands are concrete, recorded in the innermost open trace
    /// otherwise (with its example value computed all the same).
    package static func apply(_ op: Op, _ operands: [Tensor], target: [Int]? = nil, location: String? = nil) -> Tensor {
        let rule = op.rule
        if let elementwise = rule.elementwise, let result = applyScalar(op, rule, elementwise, operands) { return result }
        let shape: [Int]
        do {
            shape = try rule.shape(op, operands.map(\.shape), target)
        } catch var error {
            error.location = error.location ?? location
            return ShapeErrors.report(error, fallback: operands.first?.shape ?? [])
        }
        let scalars = rule.evaluate(op, operands.map(\.value), shape)
        if NaNDebug.current != nil { NaNDebug.check(op, operands, result: scalars, shape: shape) }
        guard let trace = Trace.innermost(operands) else {
            return Tensor(shape: shape, scalars: scalars, symbol: nil)
        }
        let node: NodeID
        switch operands.count {
        case 1: node = trace.graph.make(op, rule: rule, Operands(trace.node(for: operands[0])), shape: shape)
        case 2: node = trace.graph.make(op, rule: rule, Operands(trace.node(for: operands[0]), trace.node(for: operands[1])), shape: shape)
        default: node = trace.graph.make(op, rule: rule, Operands(operands.map { trace.node(for: $0) }), shape: shape)
        }
        return Tensor(shape: shape, scalars: scalars, symbol: Symbol(trace: trace, node: node))
    }

    /// `op(a)`: the scalar path without an operand array, else `apply`.
    package static func apply(_ op: Op, _ a: Tensor) -> Tensor {
        let rule = op.rule
        if let v = a.single, let elementwise = rule.elementwise {
            let trace = a.isTraced ? a.symbol?.trace : nil
            let value = elementwise.scalar(v, 0, 0)
            if !value.isFinite { NaNDebug.check(op, [a], result: [value], shape: a.shape) }
            return scalarResult(op, rule, value, a.shape, trace) { trace in Operands(trace.node(for: a)) }
        }
        return apply(op, [a])
    }

    /// `op(a, b)`: the scalar path without an operand array, else `apply`.
    package static func apply(_ op: Op, _ a: Tensor, _ b: Tensor) -> Tensor {
        let rule = op.rule
        if let u = a.single, let v = b.single, a.shape == b.shape, let elementwise = rule.elementwise {
            let trace = innermost(a, b)
            let value = elementwise.scalar(u, v, 0)
            if !value.isFinite { NaNDebug.check(op, [a, b], result: [value], shape: a.shape) }
            return scalarResult(op, rule, value, a.shape, trace) { trace in
                Operands(trace.node(for: a), trace.node(for: b))
            }
        }
        return apply(op, [a, b])
    }

    private static func innermost(_ a: Tensor, _ b: Tensor) -> Trace? {
        let ta = a.symbol?.trace, tb = b.symbol?.trace
        let oa = ta?.isOpen == true ? ta : nil, ob = tb?.isOpen == true ? tb : nil
        guard let oa else { return ob }
        guard let ob else { return oa }
        return oa.level >= ob.level ? oa : ob
    }

    private static func scalarResult(_ op: Op, _ rule: Rule, _ value: Double, _ shape: [Int], _ trace: Trace?,
                                     _ operands: (Trace) -> Operands) -> Tensor {
        guard let trace else { return Tensor(shape: shape, scalar: value, symbol: nil) }
        let node = trace.graph.make(op, rule: rule, operands(trace), shape: shape)
        return Tensor(shape: shape, scalar: value, symbol: Symbol(trace: trace, node: node))
    }

    /// Elementwise ops on one-element operands of one shape: no intermediate arrays. This is
    /// most of what long scalar traces (unrolled recurrences, their adjoints) are made of.
    private static func applyScalar(_ op: Op, _ rule: Rule, _ elementwise: Elementwise, _ x: [Tensor]) -> Tensor? {
        let shape = x[0].shape
        guard var a = x[0].single else { return nil }
        var b = 0.0, c = 0.0
        if x.count > 1 {
            guard let v = x[1].single, x[1].shape == shape else { return nil }
            b = v
        }
        if x.count > 2 {
            guard let v = x[2].single, x[2].shape == shape else { return nil }
            c = v
        }
        a = elementwise.scalar(a, b, c)
        if !a.isFinite { NaNDebug.check(op, x, result: [a], shape: shape) }
        guard let trace = Trace.innermost(x) else { return Tensor(shape: shape, scalar: a, symbol: nil) }
        let operands: Operands
        switch x.count {
        case 1: operands = Operands(trace.node(for: x[0]))
        case 2: operands = Operands(trace.node(for: x[0]), trace.node(for: x[1]))
        default: operands = Operands(trace.node(for: x[0]), trace.node(for: x[1]), trace.node(for: x[2]))
        }
        let node = trace.graph.make(op, rule: rule, operands, shape: shape)
        return Tensor(shape: shape, scalar: a, symbol: Symbol(trace: trace, node: node))
    }

    /// A Swift `Bool` from comparing tensors: answered from the (example) values and, while tracing,
    /// recorded as a guard so compiled code can check that a later input takes the same branch.
    /// `all` asks whether the comparison holds for every element (used by `==`); otherwise the
    /// operands must hold one element each.
    package static func decide(_ op: Op, _ a: Tensor, _ b: Tensor, all: Bool = false) -> Bool {
        let mask = apply(op, [a, b])
        if !all && mask.count != 1 {
            ShapeErrors.fail(ShapeError(op.name, [a.shape, b.shape],
                "a comparison used as a Bool needs one element on each side; use .< .<= .> .>= for an elementwise mask"))
        }
        let taken = !mask.scalars.contains(0.0)
        guard mask.symbol != nil else { return taken }
        let condition = mask.count == 1
            ? mask.reshaped([])
            : apply(.compare(.equal), [apply(.reduce(.sum, Array(0..<mask.rank)), [mask]), Tensor(Double(mask.count))])
        if let symbol = condition.symbol { symbol.trace.recordGuard(symbol.node, taken: taken) }
        return taken
    }
}

/// Shape errors: a trap with a clear message, unless the caller asked to get them as Swift errors
/// with `Tensor.checkingShapes`.
package enum ShapeErrors {
    final class Sink: @unchecked Sendable {
        var first: ShapeError?
    }

    @TaskLocal static var sink: Sink?

    /// Reports `error`; when collecting, returns zeros of `fallback` so the caller can go on.
    package static func report(_ error: ShapeError, fallback: [Int]) -> Tensor {
        guard let sink else { fatalError(error.description) }
        if sink.first == nil { sink.first = error }
        return Tensor.zeros(fallback)
    }

    /// Reports an error that has no sensible result to go on with.
    package static func fail(_ error: ShapeError) {
        _ = report(error, fallback: [])
    }
}

extension Tensor {
    /// Runs `body`, turning the first shape error of a tensor operation into a thrown `ShapeError`
    /// instead of a trap. The operations after the first error compute placeholders and are discarded.
    public static func checkingShapes<T>(_ body: () throws -> T) throws -> T {
        let sink = ShapeErrors.Sink()
        let result = try ShapeErrors.$sink.withValue(sink) { try body() }
        if let error = sink.first { throw error }
        return result
    }
}
