/// Leaves: the traced function's arguments, captures of enclosing traces, splat constants and
/// tensor constants. Nothing computes them; their shape is given when they are made.
enum Leaves {
    static let rows = [input, capture, constant, data]

    static let input = leaf("input") { op in if case .input(let i) = op { UInt64(i) } else { 0 } }
    static let capture = leaf("capture") { op in if case .capture(let i) = op { UInt64(i) } else { 0 } }
    static let constant = leaf("constant") { op in if case .constant(let bits) = op { bits } else { 0 } }
    static let data = leaf("data") { op in if case .data(let d) = op { UInt64(d) } else { 0 } }

    private static func leaf(_ name: String, payload: @escaping @Sendable (Op) -> UInt64) -> Rule {
        Rule(name: name, arity: 0,
             payloadHash: { op, code in Node.mix(code, payload(op)) },
             shape: { _, shapes, target throws(ShapeError) in
                 guard let target else { throw ShapeError(name, shapes, "a leaf needs its shape") }
                 return target
             },
             evaluate: { _, _, _ in preconditionFailure("leaves are bound by the caller, not evaluated") },
             derivative: .zero, lowering: .leaf)
    }
}
