/// The primitives. Everything else (`sigmoid`, `mean`, `relu`, `dot`, …) is a composite of these.
///
/// Each primitive has, side by side: a shape rule (`Op+Shape.swift`), an evaluation
/// (`Op+Evaluate.swift`), a pullback and a pushforward written in graph ops
/// (`Op+Derivatives.swift`) and a C lowering (`CodeGen/`). The enum is closed and every table is an
/// exhaustive `switch`, so the compiler names each rule that a new op lacks.
package enum Op: Hashable, Sendable {
    // Leaves
    /// The i-th argument of the traced function.
    case input(Int)
    /// A tensor of an enclosing trace, constant as far as this graph is concerned.
    case capture(Int)
    /// Every element equal to `Double(bitPattern:)` of the payload (a "splat").
    case constant(UInt64)
    /// A tensor constant stored in `Graph.data`.
    case data(Int)

    // Elementwise, one operand
    case neg, exp, log, sin, cos, tan, tanh, sqrt, abs, sign, log1p, expm1, softplus

    // Elementwise, with NumPy broadcasting
    case add, sub, mul, div, pow
    /// Comparisons give a 0/1 mask; they have no derivative.
    case less, lessEqual, greater, greaterEqual, equal, notEqual
    /// `select(c, a, b)`: a where c ≠ 0, else b (three operands, broadcasting).
    case select

    // Structure
    /// Same elements, the node's shape.
    case reshape
    /// Broadcast to the node's shape (NumPy rules).
    case broadcast
    /// Permute axes: result axis i is operand axis `perm[i]`.
    case transpose([Int])
    /// Sum over the listed axes (sorted), which are removed.
    case sum([Int])
    /// Maximum over the listed axes (sorted), which are removed.
    case max([Int])
    /// Matrix product of two rank-2 operands.
    case matmul
    /// Elements `start..<end` along `axis`.
    case slice(axis: Int, start: Int, end: Int)
    /// Zeros added before and after along `axis` (the adjoint of `slice`).
    case pad(axis: Int, before: Int, after: Int)
    /// Two operands joined along `axis`.
    case concat(axis: Int)

    /// A splat constant holding `value`.
    package static func constant(_ value: Double) -> Op { .constant(value.bitPattern) }

    /// How many operands the op takes.
    package var arity: Int {
        switch self {
        case .input, .capture, .constant, .data: 0
        case .neg, .exp, .log, .sin, .cos, .tan, .tanh, .sqrt, .abs, .sign, .log1p, .expm1, .softplus: 1
        case .reshape, .broadcast, .transpose, .sum, .max, .slice, .pad: 1
        case .add, .sub, .mul, .div, .pow, .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: 2
        case .matmul, .concat: 2
        case .select: 3
        }
    }

    /// True for ops computed element by element (with broadcasting): they fuse into one loop.
    package var isElementwise: Bool {
        switch self {
        case .neg, .exp, .log, .sin, .cos, .tan, .tanh, .sqrt, .abs, .sign, .log1p, .expm1, .softplus,
             .add, .sub, .mul, .div, .pow, .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual,
             .select:
            true
        default:
            false
        }
    }

    /// True for the comparisons, whose 0/1 result is constant almost everywhere.
    package var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: true
        default: false
        }
    }

    /// True for ops with `f(a, b) == f(b, a)`: hash-consing orders their operands.
    package var isCommutative: Bool {
        switch self {
        case .add, .mul, .equal, .notEqual: true
        default: false
        }
    }

    /// True for ops whose C is an operator expression (needs parentheses inside another one).
    package var isInfix: Bool {
        switch self {
        case .neg, .add, .sub, .mul, .div: true
        default: false
        }
    }

    /// Whether this op's C, written as operand `position` of `parent`'s C, needs parentheses.
    /// Calls (`sin(…)`, `pow(…, …)`) need none around their arguments; `*` `/` bind tighter than
    /// `+` `-`; at equal precedence C groups left to right, so only a right operand needs them.
    package func needsParentheses(in parent: Op?, position: Int) -> Bool {
        guard isInfix else { return false }
        guard let parent else { return true }
        func precedence(_ op: Op) -> Int? {
            switch op {
            case .add, .sub: 1
            case .mul, .div: 2
            default: nil
            }
        }
        switch parent {
        case .exp, .log, .sin, .cos, .tan, .tanh, .sqrt, .log1p, .expm1, .abs, .sign, .softplus, .pow: return false
        default: break
        }
        guard let outer = precedence(parent), let inner = precedence(self) else { return true }
        return inner < outer || (inner == outer && position == 1)
    }

    /// True for a splat constant.
    package var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    /// The splat value of a `.constant`, else nil.
    package var constantValue: Double? {
        if case .constant(let bits) = self { return Double(bitPattern: bits) }
        return nil
    }

    /// The op's name as a user knows it: in messages and in the names of C locals.
    package var name: String {
        switch self {
        case .input(let i): "input\(i)"
        case .capture(let i): "capture\(i)"
        case .constant: "constant"
        case .data(let i): "data\(i)"
        case .neg: "neg"
        case .exp: "exp"
        case .log: "log"
        case .sin: "sin"
        case .cos: "cos"
        case .tan: "tan"
        case .tanh: "tanh"
        case .sqrt: "sqrt"
        case .abs: "abs"
        case .sign: "sign"
        case .log1p: "log1p"
        case .expm1: "expm1"
        case .softplus: "softplus"
        case .add: "add"
        case .sub: "sub"
        case .mul: "mul"
        case .div: "div"
        case .pow: "pow"
        case .less: "less"
        case .lessEqual: "less_equal"
        case .greater: "greater"
        case .greaterEqual: "greater_equal"
        case .equal: "equal"
        case .notEqual: "not_equal"
        case .select: "select"
        case .reshape: "reshape"
        case .broadcast: "broadcast"
        case .transpose: "transpose"
        case .sum: "sum"
        case .max: "max"
        case .matmul: "matmul"
        case .slice: "slice"
        case .pad: "pad"
        case .concat: "concat"
        }
    }
}
