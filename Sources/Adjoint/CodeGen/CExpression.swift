/// The C of each elementwise primitive, from its row's `CForm`: the same formulas as its scalar
/// function, so that compiled kernels and the interpreter agree to the last bit wherever libm does.
extension CForm {
    /// Appends the C of this form to `out`, with `operand(k, &out)` appending operand k.
    /// Operands are names, array reads, calls, parenthesized literals or parenthesized folded
    /// expressions, so none needs parentheses here. (Written straight into one string: kernels
    /// of 100k statements are common, and building each piece as a string costs more than libtcc.)
    package func write(to out: inout CText, arity: Int, _ operand: (Int, inout CText) -> Void) {
        func call(_ function: StaticString) {
            out += function
            out += "("
            for k in 0..<arity {
                if k > 0 { out += ", " }
                operand(k, &out)
            }
            out += ")"
        }
        switch self {
        case .prefix(let symbol):
            out += symbol
            operand(0, &out)
        case .infix(let symbol, _):
            operand(0, &out)
            out += symbol
            operand(1, &out)
        case .libm(let function): call(function.symbol)
        case .helper(let name, _): call(name)
        case .runtime(let name): call(name)
        case .comparison(let symbol):
            out += "("
            operand(0, &out)
            out += symbol
            operand(1, &out)
            out += " ? 1.0 : 0.0)"
        case .select:
            out += "("
            operand(0, &out)
            out += " != 0.0 ? "
            operand(1, &out)
            out += " : "
            operand(2, &out)
            out += ")"
        }
    }

    /// The precedence of an operator form (higher binds tighter), nil for the rest.
    var precedence: Int? {
        switch self {
        case .infix(_, let precedence): precedence
        case .prefix: 3
        case .libm, .helper, .runtime, .comparison, .select: nil
        }
    }

    /// Whether this form's C, written as operand `position` of `parent`'s C, needs parentheses.
    /// Calls (`sin(…)`, `pow(…, …)`) need none around their arguments; `*` `/` bind tighter than
    /// `+` `-`; at equal precedence C groups left to right, so only a right operand needs them.
    func needsParentheses(in parent: CForm?, position: Int) -> Bool {
        guard let inner = precedence else { return false }
        guard let parent else { return true }
        switch parent {
        case .libm, .helper, .runtime: return false
        case .prefix, .infix, .comparison, .select: break
        }
        guard let outer = parent.precedence, parent.isInfix, inner != 3 else { return true }
        return inner < outer || (inner == outer && position == 1)
    }

    private var isInfix: Bool {
        if case .infix = self { return true }
        return false
    }
}

extension Op {
    /// The C expression of this elementwise op applied to the operand expressions `x`.
    package func cExpression(_ x: [String]) -> String {
        guard let elementwise = rule.elementwise else { preconditionFailure("\(name) is not elementwise") }
        var out = CText()
        elementwise.c.write(to: &out, arity: x.count) { k, out in out += x[k] }
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
