/// The functions an expression may call, and the one fact about each that the checker needs:
/// which shape rule it follows.
///
/// Names are resolved at check time, not parse time, so that an unknown name is reported with
/// a suggestion ("did you mean 'exp'?") together with the other semantic errors.
enum ExpressionFunction: String, CaseIterable, Sendable {
    case exp, log, sin, cos, tan, tanh, sqrt, abs, sigmoid, relu, softplus, log1p, expm1
    case sum, mean, max, min
    case dot, matmul, pow, transpose
    case `where`

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

    var family: Family {
        switch self {
        case .exp, .log, .sin, .cos, .tan, .tanh, .sqrt, .abs, .sigmoid, .relu, .softplus, .log1p, .expm1:
            .elementwise
        case .sum, .mean, .max, .min: .reduction
        case .dot, .matmul: .matrixProduct
        case .pow: .power
        case .transpose: .transpose
        case .where: .select
        }
    }

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
