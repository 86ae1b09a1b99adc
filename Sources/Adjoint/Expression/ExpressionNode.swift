/// One node of a parsed ``Expression``: what it is, and where it came from in the source text.
///
/// Nodes live in an arena (``Expression/nodes``) and refer to their children by ``ID`` rather
/// than holding them, the way the graph does. That choice is about robustness, not taste: a
/// one-megabyte sum `1+1+…+1` is a tree half a million levels deep, and a recursive enum of that
/// depth overflows the stack both when it is walked and when it is freed. The arena is in
/// postorder (every child precedes its parent, the root is last), so checking and evaluation
/// are plain loops with no recursion at all.
public struct ExpressionNode: Sendable, Hashable {
    /// The position of a node in ``Expression/nodes``.
    public struct ID: Sendable, Hashable, Comparable {
        /// The index into ``Expression/nodes``.
        public let index: Int

        /// The node at `index` of ``Expression/nodes``.
        public init(_ index: Int) { self.index = index }

        /// Earlier nodes first (operands come before the nodes that use them).
        public static func < (lhs: ID, rhs: ID) -> Bool { lhs.index < rhs.index }
    }

    /// What the node computes.
    public let kind: Kind

    /// The node's span in the source text, as **UTF-8 byte offsets** (`text.utf8`).
    ///
    /// Byte offsets are exact and cheap for the lexer; ``ExpressionError`` converts them to
    /// display columns (grapheme clusters, East Asian wide characters counted as two) only
    /// when it draws a caret.
    public let range: Range<Int>

    init(_ kind: Kind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }

    /// The shapes of node an expression is made of.
    public enum Kind: Sendable, Hashable {
        /// A numeric literal such as `2`, `.5` or `1e-3`.
        case number(Double)
        /// The constant π, spelled `pi` (a reserved name, never a variable).
        case pi
        /// A quoted string, only as the argument of a function that takes one (einsum's subscripts).
        case string(String)
        /// A variable, bound to a tensor when the expression is checked or evaluated.
        case variable(String)
        /// A prefix `-` or `+`.
        case unary(UnaryOperator, ID)
        /// An infix operator, including comparisons and the power operator.
        case binary(BinaryOperator, ID, ID)
        /// A call `name(arguments)`; the name is resolved by the checker, not the parser.
        case call(name: String, arguments: [Argument])
        /// Postfix subscripts `base[i, j]` or `base[a:b]`.
        case subscripted(ID, [Subscript])
    }

    /// A prefix operator.
    public enum UnaryOperator: String, Sendable, Hashable {
        /// `-x`.
        case negate = "-"
        /// `+x`, the operand itself.
        case plus = "+"
    }

    /// An infix operator; the raw value is its canonical spelling (`^` prints as `**`).
    public enum BinaryOperator: String, Sendable, Hashable {
        /// `a + b`.
        case add = "+"
        /// `a - b`.
        case subtract = "-"
        /// `a * b`, elementwise.
        case multiply = "*"
        /// `a / b`, elementwise.
        case divide = "/"
        /// NumPy's floor modulo (`mod`), with the sign of the divisor.
        case remainder = "%"
        /// `a ** b` (or `a ^ b`), elementwise power.
        case power = "**"
        /// `a @ b`, NumPy's matrix product.
        case matmul = "@"
        /// `a < b`, a 0/1 mask.
        case less = "<"
        /// `a <= b`, a 0/1 mask.
        case lessEqual = "<="
        /// `a > b`, a 0/1 mask.
        case greater = ">"
        /// `a >= b`, a 0/1 mask.
        case greaterEqual = ">="

        /// Whether the operator yields a 0/1 mask.
        public var isComparison: Bool {
            switch self {
            case .less, .lessEqual, .greater, .greaterEqual: true
            default: false
            }
        }
    }

    /// One argument of a call; `label` is set for keyword arguments such as `axis=0`.
    public struct Argument: Sendable, Hashable {
        /// The keyword (`axis` in `axis=0`), or nil for a positional argument.
        public let label: String?
        /// The node of the argument's value.
        public let value: ID
        /// The span of the whole argument, label included (UTF-8 offsets).
        public let range: Range<Int>

        init(label: String?, value: ID, range: Range<Int>) {
            self.label = label
            self.value = value
            self.range = range
        }
    }

    /// One item between brackets: an index, or a slice of the first axis.
    public enum Subscript: Sendable, Hashable {
        /// `x[i]`; several indices (`x[i, j]`) address successive axes.
        case index(ID)
        /// `x[lower:upper]`, either bound optional; the range spans the whole slice.
        case slice(lower: ID?, upper: ID?, range: Range<Int>)
    }
}
