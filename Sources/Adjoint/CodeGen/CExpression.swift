/// The C of each elementwise primitive: the same formulas as `Op+Evaluate.swift`, so that
/// compiled kernels and the interpreter agree to the last bit wherever libm does.
extension Op {
    /// Appends the C of this elementwise op to `out`, with `operand(k, &out)` appending operand
    /// k. Operands are names, array reads, calls, parenthesized literals or parenthesized folded
    /// expressions, so none needs parentheses here. (Written straight into one string: kernels
    /// of 100k statements are common, and building each piece as a string costs more than libtcc.)
    package func writeC(to out: inout CText, _ operand: (Int, inout CText) -> Void) {
        func call(_ function: String) {
            out += function
            out += "("
            operand(0, &out)
            out += ")"
        }
        func infix(_ symbol: String) {
            operand(0, &out)
            out += symbol
            operand(1, &out)
        }
        func compare(_ symbol: String) {
            out += "("
            infix(symbol)
            out += " ? 1.0 : 0.0)"
        }
        switch self {
        case .neg:
            out += "-"
            operand(0, &out)
        case .exp, .log, .sin, .cos, .tan, .tanh, .sqrt, .log1p, .expm1: call(name)
        case .abs: call("fabs")
        case .sign: call("adj_sign")
        case .softplus: call("adj_softplus")
        case .add: infix(" + ")
        case .sub: infix(" - ")
        case .mul: infix(" * ")
        case .div: infix(" / ")
        case .pow:
            out += "pow("
            infix(", ")
            out += ")"
        case .less: compare(" < ")
        case .lessEqual: compare(" <= ")
        case .greater: compare(" > ")
        case .greaterEqual: compare(" >= ")
        case .equal: compare(" == ")
        case .notEqual: compare(" != ")
        case .select:
            out += "("
            operand(0, &out)
            out += " != 0.0 ? "
            operand(1, &out)
            out += " : "
            operand(2, &out)
            out += ")"
        default: preconditionFailure("\(name) is not elementwise")
        }
    }

    /// The C expression of this elementwise op applied to the operand expressions `x`.
    package func cExpression(_ x: [String]) -> String {
        var out = CText()
        writeC(to: &out) { k, out in out += x[k] }
        return out.string
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
