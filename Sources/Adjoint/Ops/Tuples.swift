import AdjointRuntime


/// Nodes with several results. A tuple node (its rule has `results > 1`) holds no elements of
/// its own (its shape is `[0]`); each result is a `.result(k)` projection node with its own
/// shape, made by `Graph.results(of:)`. Derivatives take one cotangent per result and give one
/// tangent per result; lowering calls the tuple's routine once, writing every projection's
/// memory; the memory plan and the emitter treat each projection as a value of its own.
enum Tuples {
    static let rows = [sincos, result]

    /// Result k of a tuple node: its shape is given when it is made.
    static let result = Rule(
        name: "result", arity: 1,
        payloadHash: { op, code in Node.mix(code, UInt64(projectionIndex(op))) },
        shape: { _, shapes, target throws(ShapeError) in
            guard let target else { throw ShapeError("result", shapes, "a projection needs its shape") }
            return target
        },
        evaluate: { _, _, _ in preconditionFailure("a projection is read from its tuple's results") },
        derivative: .projection, lowering: .projection)

    /// `(sin x, cos x)` in one call of `adj_sincos`: the small op with two results that tests
    /// them through every stage (`Graph.sincos`; no public function).
    static let sincos = Rule(
        name: "sincos", arity: 1, results: 2,
        shape: { _, _, _ in [0] },
        resultShapes: { _, shapes in [shapes[0], shapes[0]] },
        evaluate: { _, _, _ in [] },
        evaluateResults: { _, x in
            var s = [Double](repeating: 0, count: x[0].scalars.count), c = s
            x[0].scalars.withUnsafeBufferPointer { input in
                s.withUnsafeMutableBufferPointer { sp in
                    c.withUnsafeMutableBufferPointer { cp in
                        adj_sincos(input.baseAddress, sp.baseAddress, cp.baseAddress, input.count)
                    }
                }
            }
            return [Value(shape: x[0].shape, scalars: s), Value(shape: x[0].shape, scalars: c)]
        },
        derivative: .tuple(
            pullback: { g, id, cotangents, _, _ in
                let r = g.results(of: id)
                let fromSine = cotangents[0].map { g.mul($0, r[1]) }
                let fromCosine = cotangents[1].map { g.neg(g.mul($0, r[0])) }
                return [g.sum(fromSine, fromCosine)]
            },
            pushforward: { g, id, t, batch in
                guard let t = t[0].map({ g.lift($0, batch: batch, rank: g.shape(g[id].operands[0]).count) }) else { return [nil, nil] }
                let r = g.results(of: id)
                return [g.mul(t, r[1]), g.neg(g.mul(t, r[0]))]
            }),
        lowering: .routine(RoutineCall(.sincos) { _, shapes, _ in
            [.operand(0), .result(0), .result(1), .integer(Shape.count(shapes[0]))]
        }))

    static func projectionIndex(_ op: Op) -> Int {
        if case .result(let k) = op { return k }
        preconditionFailure("not a projection: \(op)")
    }
}

extension Routine {
    private typealias SinCos = @convention(c) (
        UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, Int
    ) -> Void

    /// `adj_sincos` (Runtime/sincos.c).
    package static let sincos = Routine(name: "adj_sincos", file: "sincos.c",
                                        address: unsafeBitCast(adj_sincos as SinCos, to: UnsafeRawPointer.self))
}

extension Graph {
    /// The projections of tuple node `id`, one per result (existing ones are found, not copied).
    package mutating func results(of id: NodeID) -> [NodeID] {
        let node = self[id]
        let rule = node.rule
        let shapes = rule.resultShapes?(node.op, node.operands.map { shape($0) }) ?? [node.shape]
        return shapes.enumerated().map { k, shape in intern(Node(op: .result(k), operands: Operands(id), shape: shape)) }
    }

    /// `(sin x, cos x)` as one tuple node and its two projections.
    package mutating func sincos(_ x: NodeID) -> (sin: NodeID, cos: NodeID) {
        let tuple = make(.sincos, Operands(x), shape: [0])
        let r = results(of: tuple)
        return (r[0], r[1])
    }
}
