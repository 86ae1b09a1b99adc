/// The functions an expression may call: the op table's rows that have spellings (every
/// elementwise function, `pow`, the reductions), read from the table, and the composites that
/// are public functions written over primitives (`sigmoid`, `mean`, `dot`, …), listed here.
/// A new row with a spelling is callable from the command line with no change in this folder.
///
/// Names are resolved at check time, not parse time, so that an unknown name is reported with
/// a suggestion ("did you mean 'exp'?") together with the other semantic errors.
struct ExpressionFunction: Sendable {
    /// The name an expression calls it by.
    let rawValue: String
    /// The shape rule it follows.
    let family: Family
    /// The value for the arguments (and the axis of a reduction, normalized).
    let apply: @Sendable ([Tensor], Int?) -> Tensor

    /// The shape rule a function follows.
    enum Family: Sendable {
        /// One tensor in, the same shape out.
        case elementwise
        /// A tensor and an optional integer `axis`: a scalar, or the shape without that axis.
        case reduction
        /// NumPy's `matmul` on ranks 1 and 2; `dot` agrees with it there and, as NumPy's
        /// `dot`, also lets a scalar scale the other operand.
        case matrixProduct
        /// Two tensors, broadcast.
        case power
        /// Axes reversed, as NumPy's `.T` (a matrix transposed; vectors and scalars unchanged).
        case transpose
        /// A condition and two values, all three broadcast.
        case select
    }

    init?(rawValue: String) {
        guard let function = ExpressionFunction.byName[rawValue] else { return nil }
        self = function
    }

    private init(_ name: String, _ family: Family, _ apply: @escaping @Sendable ([Tensor], Int?) -> Tensor) {
        rawValue = name
        self.family = family
        self.apply = apply
    }

    /// Every function, rows of the op table first.
    static let allCases: [ExpressionFunction] = fromTable + composites

    private static let byName: [String: ExpressionFunction] = Dictionary(allCases.map { ($0.rawValue, $0) }) { first, _ in first }

    /// The rows with spellings: elementwise functions, `pow`, reductions.
    private static let fromTable: [ExpressionFunction] =
        UnaryFunction.allCases.flatMap { f in
            f.rule.spellings.map { ExpressionFunction($0, .elementwise) { x, _ in Tensor.apply(.unary(f), x[0]) } }
        }
        + BinaryFunction.allCases.flatMap { f in
            f.rule.spellings.map { ExpressionFunction($0, .power) { x, _ in Tensor.apply(.binary(f), x[0], x[1]) } }
        }
        + Reducer.allCases.flatMap { r in
            r.rule.spellings.map { name in
                ExpressionFunction(name, .reduction) { x, axis in
                    Tensor.apply(.reduce(r, axis.map { [$0] } ?? Array(0..<x[0].rank)), [x[0]])
                }
            }
        }

    /// Public functions that are compositions of primitives.
    private static let composites: [ExpressionFunction] = [
        ExpressionFunction("sigmoid", .elementwise) { x, _ in sigmoid(x[0]) },
        ExpressionFunction("relu", .elementwise) { x, _ in relu(x[0]) },
        ExpressionFunction("mean", .reduction) { x, axis in axis.map { mean(x[0], axis: $0) } ?? mean(x[0]) },
        ExpressionFunction("min", .reduction) { x, axis in axis.map { min(x[0], axis: $0) } ?? min(x[0]) },
        ExpressionFunction("dot", .matrixProduct) { x, _ in dot(x[0], x[1]) },
        ExpressionFunction("matmul", .matrixProduct) { x, _ in matmul(x[0], x[1]) },
        ExpressionFunction("transpose", .transpose) { x, _ in x[0].shape.count < 2 ? x[0] : x[0].transposed() },
        ExpressionFunction("where", .select) { x, _ in `where`(x[0], x[1], x[2]) },
    ]

    /// True for `max` and `min`, which refuse empty extents.
    var isExtremum: Bool { rawValue == "max" || rawValue == "min" }

    /// The parameter names, as a message shows them: `(x, axis)`.
    var parameters: [String] {
        switch family {
        case .elementwise, .transpose: ["x"]
        case .reduction: ["x", "axis"]
        case .matrixProduct, .power: ["a", "b"]
        case .select: ["condition", "a", "b"]
        }
    }

    /// How many arguments a call may pass (the axis of a reduction is optional).
    var argumentCounts: ClosedRange<Int> {
        family == .reduction ? 1...2 : parameters.count...parameters.count
    }

    /// "'sum' takes 1 or 2 arguments (x, axis)" — the first half of an arity message.
    var signatureDescription: String {
        let counts = argumentCounts
        let number = counts.count == 1
            ? "\(counts.lowerBound) argument\(counts.lowerBound == 1 ? "" : "s")"
            : "\(counts.lowerBound) or \(counts.upperBound) arguments"
        return "'\(rawValue)' takes \(number) (\(parameters.joined(separator: ", ")))"
    }
}

extension Expression {
    /// The functions an expression may call, as `name(parameters)`, in the order of the op
    /// table and then the composites: what the command line's help lists.
    package static var functionSignatures: [String] {
        ExpressionFunction.allCases.map { f in
            let parameters = f.family == .reduction ? ["x", "axis=None"] : f.parameters
            return "\(f.rawValue)(\(parameters.joined(separator: ", ")))"
        }
    }
}
