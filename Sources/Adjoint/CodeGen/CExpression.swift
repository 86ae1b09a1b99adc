/// The C of each elementwise primitive: the same formulas as `Op+Evaluate.swift`, so that
/// compiled kernels and the interpreter agree to the last bit wherever libm does.
extension Op {
    /// The C expression of this elementwise op applied to the operand expressions `x`. Operands
    /// are names, array reads, calls, parenthesized literals or parenthesized folded expressions,
    /// so none needs parentheses here.
    package func cExpression(_ x: [String]) -> String {
        switch self {
        case .neg: "-\(x[0])"
        case .exp, .log, .sin, .cos, .tan, .tanh, .sqrt, .log1p, .expm1: "\(name)(\(x[0]))"
        case .abs: "fabs(\(x[0]))"
        case .sign: "adj_sign(\(x[0]))"
        case .softplus: "adj_softplus(\(x[0]))"
        case .add: "\(x[0]) + \(x[1])"
        case .sub: "\(x[0]) - \(x[1])"
        case .mul: "\(x[0]) * \(x[1])"
        case .div: "\(x[0]) / \(x[1])"
        case .pow: "pow(\(x[0]), \(x[1]))"
        case .less: "(\(x[0]) < \(x[1]) ? 1.0 : 0.0)"
        case .lessEqual: "(\(x[0]) <= \(x[1]) ? 1.0 : 0.0)"
        case .greater: "(\(x[0]) > \(x[1]) ? 1.0 : 0.0)"
        case .greaterEqual: "(\(x[0]) >= \(x[1]) ? 1.0 : 0.0)"
        case .equal: "(\(x[0]) == \(x[1]) ? 1.0 : 0.0)"
        case .notEqual: "(\(x[0]) != \(x[1]) ? 1.0 : 0.0)"
        case .select: "(\(x[0]) != 0.0 ? \(x[1]) : \(x[2]))"
        default: preconditionFailure("\(name) is not elementwise")
        }
    }
}

/// C text for numbers.
package enum CLiteral {
    /// A double that C reads back exactly: Swift's shortest round-trip form; infinities and NaN
    /// as constant expressions, since there are no headers under -nostdlib.
    package static func double(_ v: Double) -> String {
        if v.isNaN { return "(0.0 / 0.0)" }
        if v.isInfinite { return v < 0 ? "(-1.0 / 0.0)" : "(1.0 / 0.0)" }
        let text = "\(v)"
        return v < 0 || (v == 0 && v.sign == .minus) ? "(\(text))" : text
    }
}
