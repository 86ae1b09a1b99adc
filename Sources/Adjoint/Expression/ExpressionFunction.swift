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
    /// A `.general` function's parameters (empty for the other families).
    let signature: [Parameter]
    /// A `.general` function's value for its tensor arguments and integer literals (nil where
    /// an optional one is left out), in the order of `signature`.
    let general: (@Sendable ([Tensor], [Int?], [String]) -> Tensor)?
    /// A `.general` function whose result may be much larger than its operands (`outer`, `tile`):
    /// its shape is worked out only below a size bound (`ExpressionChecker+General.swift`).
    let grows: Bool

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
        /// Three tensors, all broadcast (`where`, `clip`).
        case select
        /// Tensors and integer literals as `signature` lists them; the shape is the function's own
        /// (found by applying it to zeros, which reports a mismatch as the library does).
        case general
    }

    /// A parameter of a `.general` function: a tensor, an integer literal (an axis, a count) or
    /// a string literal (einsum's subscripts).
    struct Parameter: Sendable {
        let name: String
        let isInteger: Bool
        /// May be left out (an integer: nil is passed; the function applies its default; a tensor:
        /// it is not passed).
        let isOptional: Bool
        var isString = false

        static func tensor(_ name: String, optional: Bool = false) -> Parameter {
            Parameter(name: name, isInteger: false, isOptional: optional)
        }
        static func integer(_ name: String, optional: Bool = false) -> Parameter {
            Parameter(name: name, isInteger: true, isOptional: optional)
        }
        static func string(_ name: String) -> Parameter { Parameter(name: name, isInteger: false, isOptional: false, isString: true) }
    }

    init?(rawValue: String) {
        guard let function = ExpressionFunction.byName[rawValue] else { return nil }
        self = function
    }

    private init(_ name: String, _ family: Family, _ apply: @escaping @Sendable ([Tensor], Int?) -> Tensor) {
        rawValue = name
        self.family = family
        self.apply = apply
        signature = []
        general = nil
        grows = false
    }

    /// A `.general` function.
    init(_ name: String, _ signature: [Parameter], grows: Bool = false,
         _ call: @escaping @Sendable ([Tensor], [Int?]) -> Tensor) {
        self.init(name, signature, grows: grows) { x, n, _ in call(x, n) }
    }

    /// A `.general` function that reads string literals too.
    init(_ name: String, _ signature: [Parameter], grows: Bool = false,
         _ call: @escaping @Sendable ([Tensor], [Int?], [String]) -> Tensor) {
        rawValue = name
        family = .general
        apply = { x, _ in call(x, [], []) }
        self.signature = signature
        general = call
        self.grows = grows
    }

    /// Every function, rows of the op table first.
    static let allCases: [ExpressionFunction] = fromTable + composites + library

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
        ExpressionFunction("variance", .reduction) { x, axis in axis.map { variance(x[0], axis: $0) } ?? variance(x[0]) },
        ExpressionFunction("var", .reduction) { x, axis in axis.map { variance(x[0], axis: $0) } ?? variance(x[0]) },
        ExpressionFunction("std", .reduction) { x, axis in axis.map { std(x[0], axis: $0) } ?? std(x[0]) },
        ExpressionFunction("logsumexp", .reduction) { x, axis in axis.map { logsumexp(x[0], axis: $0) } ?? logsumexp(x[0]) },
        ExpressionFunction("argmax", .reduction) { x, axis in axis.map { argmax(x[0], axis: $0) } ?? argmax(x[0]) },
        ExpressionFunction("argmin", .reduction) { x, axis in axis.map { argmin(x[0], axis: $0) } ?? argmin(x[0]) },
        ExpressionFunction("norm", .reduction) { x, axis in axis.map { norm(x[0], axis: $0) } ?? norm(x[0]) },
        ExpressionFunction("dot", .matrixProduct) { x, _ in dot(x[0], x[1]) },
        ExpressionFunction("matmul", .matrixProduct) { x, _ in matmul(x[0], x[1]) },
        ExpressionFunction("transpose", .transpose) { x, _ in x[0].shape.count < 2 ? x[0] : x[0].transposed() },
        ExpressionFunction("where", .select) { x, _ in `where`(x[0], x[1], x[2]) },
        ExpressionFunction("clip", .select) { x, _ in clip(x[0], x[1], x[2]) },
    ]
        + ["square": square, "reciprocal": reciprocal, "sinc": sinc, "digamma": digamma, "psi": digamma]
        .sorted { $0.key < $1.key }.map { name, f in ExpressionFunction(name, .elementwise) { x, _ in f(x[0]) } }
        + ["maximum": maximum, "minimum": minimum, "fmax": fmax, "fmin": fmin, "logaddexp": logaddexp, "logaddexp2": logaddexp2]
        .sorted { $0.key < $1.key }.map { name, f in ExpressionFunction(name, .power) { x, _ in f(x[0], x[1]) } }

    /// The other names of composites (a row's are its spellings).
    static let aliases: [String: [String]] = [
        "digamma": ["psi"], "variance": ["var"], "logSoftmax": ["log_softmax"], "expandDims": ["expand_dims"],
        "swapAxes": ["swapaxes"], "moveAxis": ["moveaxis"], "flatten": ["ravel"], "repeated": ["repeat"],
        "solveTriangular": ["solve_triangular"],
    ]

    /// True for `max` and `min`, which refuse empty extents.
    var isExtremum: Bool { rawValue == "max" || rawValue == "min" }

    /// The parameter names, as a message shows them: `(x, axis)`.
    var parameters: [String] {
        switch family {
        case .elementwise, .transpose: ["x"]
        case .reduction: ["x", "axis"]
        case .matrixProduct, .power: ["a", "b"]
        case .select: rawValue == "clip" ? ["x", "min", "max"] : ["condition", "a", "b"]
        case .general: signature.map(\.name)
        }
    }

    /// How many arguments a call may pass (the axis of a reduction is optional).
    var argumentCounts: ClosedRange<Int> {
        switch family {
        case .reduction: 1...2
        case .general: signature.filter { !$0.isOptional }.count...signature.count
        default: parameters.count...parameters.count
        }
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
        ExpressionFunction.allCases.map { f in "\(f.rawValue)(\(f.displayedParameters.joined(separator: ", ")))" }
    }

    /// Every function with its number of arguments, one a line: what `adjoint functions` prints.
    package static var functionTable: [(name: String, parameters: String, arguments: String)] {
        ExpressionFunction.allCases.map { f in
            let counts = f.argumentCounts
            let arguments = counts.count == 1 ? "\(counts.lowerBound)" : "\(counts.lowerBound)-\(counts.upperBound)"
            return (f.rawValue, "(\(f.displayedParameters.joined(separator: ", ")))", arguments)
        }
    }
}

extension ExpressionFunction {
    /// The parameters as help shows them, optional ones with their default (`axis=None`).
    var displayedParameters: [String] {
        switch family {
        case .reduction: ["x", "axis=None"]
        case .general: signature.map { $0.isOptional ? "\($0.name)=None" : $0.name }
        default: parameters
        }
    }
}
