#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One primitive's rules, side by side: its name, shape rule, evaluation, derivative and C
/// lowering. Each family file builds its rows with the constructors there (`Rule.unary`,
/// `Rule.binary`, …), which fill in what the family shares (an elementwise op's shape rule is
/// broadcasting, its evaluation maps its one scalar function); stages read the fields, never a
/// list of op names.
package final class Rule: Sendable {
    /// As users see it: in messages and in C locals' names.
    package let name: String
    /// The names the command line's language calls the op by (its Swift name first, then
    /// NumPy's spelling where it differs); empty for ops it reaches otherwise (operators,
    /// composites) or not at all.
    package let spellings: [String]
    /// How many operands (nil: any number, at least one).
    package let arity: Int?
    /// How many results; above 1 the node is a tuple read through `.result(k)` projections.
    package let results: Int
    /// A number for hash-consing, made from the name.
    package let code: UInt64
    /// Mixes the op's payload (axes, indices, a constant's bits) into `code`; nil without payload.
    package let payloadHash: (@Sendable (Op, UInt64) -> UInt64)?
    /// The result shape from the operands' shapes (and the requested shape of leaves, reshape
    /// and broadcast), or a `ShapeError` naming the op and the shapes.
    package let shape: @Sendable (Op, [[Int]], [Int]?) throws(ShapeError) -> [Int]
    /// The results' shapes of a tuple node (nil for ops with one result).
    package let resultShapes: (@Sendable (Op, [[Int]]) -> [[Int]])?
    /// The result's elements from the operands' values and the result shape.
    package let evaluate: @Sendable (Op, [Value], [Int]) -> [Double]
    /// A tuple node's results (nil for ops with one result).
    package let evaluateResults: (@Sendable (Op, [Value]) -> [Value])?
    /// Set for elementwise ops: the scalar function, C form and derivative they share.
    package let elementwise: Elementwise?
    /// Whether the op reduces its operand over axes (the row's lowering is a reduction).
    package let isReduction: Bool
    /// The lowering's kind, without its payload (a trivial value, read for every node).
    package let loweringKind: Lowering.Kind
    /// The derivative in both modes.
    package let derivative: Derivative
    /// How the op becomes C.
    package let lowering: Lowering
    /// A comparison (its 0/1 result is constant almost everywhere: guards test it).
    package let isComparison: Bool
    /// The splat value of the result when every operand is a splat constant with these values,
    /// or nil to keep the node (elementwise ops fold through `elementwise.scalar`).
    package let foldSplats: (@Sendable (Op, [Double], [[Int]], [Int]) -> Double?)?
    /// Algebraic identities, applied as nodes are built: a simpler node, or nil.
    package let simplify: (@Sendable (inout Graph, Op, Operands, [Int]) -> NodeID?)?

    package init(name: String, spellings: [String] = [], arity: Int?, results: Int = 1,
                 payloadHash: (@Sendable (Op, UInt64) -> UInt64)? = nil,
                 shape: @escaping @Sendable (Op, [[Int]], [Int]?) throws(ShapeError) -> [Int],
                 resultShapes: (@Sendable (Op, [[Int]]) -> [[Int]])? = nil,
                 evaluate: @escaping @Sendable (Op, [Value], [Int]) -> [Double],
                 evaluateResults: (@Sendable (Op, [Value]) -> [Value])? = nil,
                 elementwise: Elementwise? = nil, derivative: Derivative, lowering: Lowering,
                 isComparison: Bool = false,
                 foldSplats: (@Sendable (Op, [Double], [[Int]], [Int]) -> Double?)? = nil,
                 simplify: (@Sendable (inout Graph, Op, Operands, [Int]) -> NodeID?)? = nil) {
        self.name = name
        self.spellings = spellings
        self.arity = arity
        self.results = results
        self.code = Rule.code(name)
        self.payloadHash = payloadHash
        self.shape = shape
        self.resultShapes = resultShapes
        self.evaluate = evaluate
        self.evaluateResults = evaluateResults
        self.elementwise = elementwise
        if case .reduction = lowering { isReduction = true } else { isReduction = false }
        loweringKind = lowering.kind
        self.derivative = derivative
        self.lowering = lowering
        self.isComparison = isComparison
        self.foldSplats = foldSplats
        self.simplify = simplify
    }

    /// FNV-1a of the name, spread by a multiply: distinct names give distinct codes.
    private static func code(_ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h &* 0xD6E8_FEB8_6659_FD93
    }
}

/// What elementwise rows share: one scalar function (the interpreter's, the tracer's fast path
/// and constant folding's) and one C form. All of it is trivially copyable (a C function
/// pointer, static strings), so reading it for every node costs no reference counting.
package struct Elementwise: Sendable {
    /// The value at one element (unused operands are 0).
    package let scalar: @convention(c) (Double, Double, Double) -> Double
    /// The C of the op.
    package let c: CForm
    /// `f(a, b) == f(b, a)`: hash-consing orders the operands.
    package let isCommutative: Bool
    /// The value can be infinite at finite operands (`log(0)`, `1/0`, `exp(1000)`): a product
    /// with it guards its derivative terms (`Graph.guarded`).
    package var isUnbounded = false
}

/// The C form of an elementwise op.
package enum CForm: Sendable {
    /// `-x`.
    case prefix(StaticString)
    /// `a + b`; `precedence` as C's (higher binds tighter).
    case infix(StaticString, precedence: Int)
    /// A libm function (declared in the prelude, registered into libtcc from the row).
    case libm(CFunction)
    /// A static helper defined in the prelude (`definition` is its one line of C).
    case helper(name: StaticString, definition: StaticString)
    /// A function of doubles in `Runtime/`, a ``Routine`` whose `isElementwise` is true: libtcc's
    /// code calls the package's compiled copy, the optimized tier inlines its text.
    case runtime(StaticString)
    /// `(a < b ? 1.0 : 0.0)`.
    case comparison(StaticString)
    /// `(c != 0.0 ? a : b)`.
    case select
}

/// A libm function of doubles, named by a row; its address in this process (for libtcc's symbol
/// table) is looked up by name, which gives libm's own symbol.
package struct CFunction: Sendable {
    /// The C name, as the kernel's text spells it.
    package let symbol: StaticString
    package let arity: Int

    package init(_ symbol: StaticString, arity: Int = 1) {
        self.symbol = symbol
        self.arity = arity
    }

    package var name: String { "\(symbol)" }

    /// The function's address: immutable and valid for the life of the process. Looked up in
    /// libm itself (one library's table, not every loaded one's), else in the whole process.
    package var address: UnsafeRawPointer {
        guard let symbol = dlsym(CFunction.libm, name) ?? dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            preconditionFailure("libm has no \(name)")
        }
        return UnsafeRawPointer(symbol)
    }

    /// libm's handle (it is loaded already: Swift's runtime links it), or the whole process's.
    nonisolated(unsafe) private static let libm: UnsafeMutableRawPointer? =
        dlopen("libm.so.6", RTLD_LAZY | RTLD_NOLOAD) ?? UnsafeMutableRawPointer(bitPattern: 0)

    /// `double atan(double);`
    package var prototype: String {
        "double \(name)(\(Array(repeating: "double", count: arity).joined(separator: ", ")));"
    }
}

/// How a primitive is differentiated.
package enum Derivative: Sendable {
    /// A zero derivative: leaves, and ops that are constant almost everywhere (comparisons, `sign`).
    case zero
    /// An elementwise op's partial derivatives as a linear map: `(g, k, d, node)` builds
    /// `∂f/∂xₖ · d` for a perturbation `d` of the result's shape (or `batch +` it). The map is
    /// diagonal, so it is its own transpose: the pullback applies it to the cotangent and sums
    /// away broadcast axes, the pushforward applies it to each operand's tangent and adds.
    /// Nil for operands with no derivative (a `select`'s condition).
    case elementwise(@Sendable (inout Graph, Int, NodeID, NodeID) -> NodeID?)
    /// Other ops: the pullback and the pushforward, written in graph ops.
    case linear(pullback: Pullback, pushforward: Pushforward)
    /// A node with several results: one cotangent (or nil) per result in, one tangent per result out.
    case tuple(pullback: TuplePullback, pushforward: TuplePushforward)
    /// A `.result(k)` projection: the reverse and forward sweeps route it to its tuple.
    case projection

    /// `(g, node, cotangent, batch, active)`: the contribution for each operand (nil = zero);
    /// `active(k)` tells whether operand k needs one.
    package typealias Pullback = @Sendable (inout Graph, NodeID, NodeID, [Int], (Int) -> Bool) -> Contributions
    /// `(g, node, tangents, batch)`: the result's tangent (nil = zero) from the operands' (nil = zero).
    package typealias Pushforward = @Sendable (inout Graph, NodeID, [NodeID?], [Int]) -> NodeID?
    package typealias TuplePullback = @Sendable (inout Graph, NodeID, [NodeID?], [Int], (Int) -> Bool) -> Contributions
    package typealias TuplePushforward = @Sendable (inout Graph, NodeID, [NodeID?], [Int]) -> [NodeID?]
}

/// How a primitive becomes C: a kind the code generator knows, never text spread over it.
package enum Lowering: Sendable {
    /// Inputs, constants, tensor constants: nothing to compute.
    case leaf
    /// The same memory as operand 0 (reshape).
    case alias
    /// An expression at each element (the row's `elementwise.c`).
    case elementwise
    /// Accumulated while the operand's loop runs.
    case reduction(ReductionStep)
    /// A read of operand memory at computed offsets (the map comes from the op's payload).
    case index(@Sendable (Op, [[Int]]) -> IndexMap)
    /// A call of a Runtime routine.
    case routine(RoutineCall)
    /// Result k of a tuple node, written by the tuple's routine call.
    case projection
}

extension Lowering {
    /// The kinds of lowering, as lowering assigns roles by them.
    package enum Kind: Sendable {
        case leaf, alias, elementwise, reduction, index, routine, projection
    }

    package var kind: Kind {
        switch self {
        case .leaf: .leaf
        case .alias: .alias
        case .elementwise: .elementwise
        case .reduction: .reduction
        case .index: .index
        case .routine: .routine
        case .projection: .projection
        }
    }
}

/// A reduction's initial value and step, in Swift (the interpreter) and as C.
package enum ReductionStep: Sendable {
    case add, multiply, maximum

    package var initial: Double {
        switch self {
        case .add: 0
        case .multiply: 1
        case .maximum: -.infinity
        }
    }

    /// The accumulator after one more element. A NaN makes the maximum NaN (as NumPy's) and
    /// stays: nothing compares above it.
    @inline(__always)
    package func combine(_ total: Double, _ x: Double) -> Double {
        switch self {
        case .add: total + x
        case .multiply: total * x
        case .maximum: x > total || x.isNaN ? x : total
        }
    }
}

/// Where a structural op reads its operands: result index → operand offset.
package enum IndexMap: Sendable {
    /// Operand 0 broadcast to the result's shape.
    case broadcast
    /// Result axis i is operand axis `perm[i]`.
    case permute([Int])
    /// Operand 0 from `start` on along `axis`, `step` apart (a slice).
    case offset(axis: Int, start: Int, step: Int = 1)
    /// Operand 0 shifted by `before` along `axis`, zeros outside it; with a step, its elements
    /// `|step|` apart (reversed for a negative step), zeros between them.
    case pad(axis: Int, before: Int, step: Int = 1)
    /// Operand 0 along `axis` at the indices that operand 1 holds (broadcast to the result).
    case gather(axis: Int)
    /// The operands one after another along `axis`.
    case concat(axis: Int)
}

/// A node computed by a Runtime routine: which routine, and its C arguments.
package struct RoutineCall: Sendable {
    package let routine: Routine
    /// Operands the routine can read transposed (a flag among its arguments says so): a matrix
    /// transpose (of the last two axes, for a stack of matrices) read only at such positions is
    /// absorbed into the call instead of materialized.
    package let transposable: [Int]
    /// The arguments in the prototype's order, from the op, the operands' shapes (as the op sees
    /// them) and which operands are read through an absorbed transpose.
    package let arguments: @Sendable (Op, [[Int]], [Bool]) -> [RoutineArgument]

    package init(_ routine: Routine, transposable: [Int] = [],
                 arguments: @escaping @Sendable (Op, [[Int]], [Bool]) -> [RoutineArgument]) {
        self.routine = routine
        self.transposable = transposable
        self.arguments = arguments
    }
}

/// One argument of a routine call.
package enum RoutineArgument: Sendable, Equatable {
    /// The memory of operand k (`const double *`).
    case operand(Int)
    /// The memory of result k (`double *`).
    case result(Int)
    /// A `long` or `int` literal.
    case integer(Int)
    /// Scratch memory of this many doubles (`double *`), the routine's alone while the call runs:
    /// the memory plan places it in the kernel's workspace (routines allocate nothing).
    case workspace(Int)
}

extension RoutineCall {
    /// The scratch the call needs (the size of its `.workspace` argument, 0 if none).
    package func workspace(_ op: Op, _ shapes: [[Int]], _ transposed: [Bool]) -> Int {
        arguments(op, shapes, transposed).reduce(0) { total, argument in
            if case .workspace(let count) = argument { return total + count }
            return total
        }
    }
}
