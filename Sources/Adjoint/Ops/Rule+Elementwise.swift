/// The constructors of elementwise rows: what every elementwise op shares is written here once
/// (the broadcasting shape rule, evaluation as the scalar function mapped over the elements),
/// so that a row gives only what is its own.
extension Rule {
    /// A function of one operand: `f(x, _, _)` at each element, its C form, and `f'(x)·d` built from the
    /// perturbation `d`, the operand `x` and the result `y` (nil: no derivative). `guarded`: f′ can be
    /// infinite where f is finite (log at 0), so the term is 0 where d is (`Graph.guarded`);
    /// `unbounded`: f itself can be infinite at a finite x (`Elementwise.isUnbounded`).
    package static func unary(_ name: String, spellings: [String] = [], _ c: CForm,
                              _ f: @convention(c) (Double, Double, Double) -> Double, guarded: Bool = false,
                              unbounded: Bool = false,
                              derivative: (@Sendable (inout Graph, _ d: NodeID, _ x: NodeID, _ y: NodeID) -> NodeID)?,
                              simplify: (@Sendable (inout Graph, Op, Operands, [Int]) -> NodeID?)? = nil) -> Rule {
        Rule(name: name, spellings: spellings, arity: 1,
             shape: { _, shapes, _ in shapes[0] },
             evaluate: { _, x, _ in x[0].scalars.map { f($0, 0, 0) } },
             elementwise: Elementwise(scalar: f, c: c, isCommutative: false, isUnbounded: unbounded),
             derivative: derivative.map { map in
                 guarded ? .elementwise { g, _, d, node in g.guarded(d, map(&g, d, g[node].operands[0], node)) }
                     : .elementwise { g, _, d, node in map(&g, d, g[node].operands[0], node) }
             } ?? .zero,
             lowering: .elementwise, simplify: simplify)
    }

    /// A function of two operands with NumPy broadcasting; `derivative(g, k, d, node)` builds
    /// `∂f/∂xₖ · d` (nil: no derivative, as for comparisons).
    package static func binary(_ name: String, spellings: [String] = [], _ c: CForm, commutative: Bool = false,
                               isComparison: Bool = false, unbounded: Bool = false,
                               _ f: @convention(c) (Double, Double, Double) -> Double,
                               derivative: (@Sendable (inout Graph, Int, NodeID, NodeID) -> NodeID?)?,
                               simplify: (@Sendable (inout Graph, Op, Operands, [Int]) -> NodeID?)? = nil) -> Rule {
        Rule(name: name, spellings: spellings, arity: 2,
             shape: { _, shapes, _ throws(ShapeError) in
                 guard let shape = Shape.broadcast(shapes[0], shapes[1]) else {
                     throw ShapeError(name, shapes, "shapes do not broadcast")
                 }
                 return shape
             },
             evaluate: { _, x, shape in Elementwise.zip(x[0], x[1], shape) { f($0, $1, 0) } },
             elementwise: Elementwise(scalar: f, c: c, isCommutative: commutative, isUnbounded: unbounded),
             derivative: derivative.map { .elementwise($0) } ?? .zero,
             lowering: .elementwise, isComparison: isComparison, simplify: simplify)
    }
}

extension Elementwise {
    /// A binary op with NumPy broadcasting; equal shapes and scalar operands take fast paths.
    @inline(__always)
    static func zip(_ a: Value, _ b: Value, _ shape: [Int], _ f: (Double, Double) -> Double) -> [Double] {
        let n = Shape.count(shape)
        if a.shape == b.shape {
            return (0..<n).map { f(a.scalars[$0], b.scalars[$0]) }
        }
        if a.scalars.count == 1 && b.scalars.count == n {
            let s = a.scalars[0]
            return b.scalars.map { f(s, $0) }
        }
        if b.scalars.count == 1 && a.scalars.count == n {
            let s = b.scalars[0]
            return a.scalars.map { f($0, s) }
        }
        let ia = Layout.broadcastOffsets(a.shape, to: shape), ib = Layout.broadcastOffsets(b.shape, to: shape)
        return (0..<n).map { f(a.scalars[ia[$0]], b.scalars[ib[$0]]) }
    }

    /// The elements of `a` broadcast to `shape`.
    static func broadcast(_ a: Value, to shape: [Int]) -> [Double] {
        if a.shape == shape { return a.scalars }
        if a.scalars.count == 1 { return [Double](repeating: a.scalars[0], count: Shape.count(shape)) }
        return Layout.broadcastOffsets(a.shape, to: shape).map { a.scalars[$0] }
    }
}
