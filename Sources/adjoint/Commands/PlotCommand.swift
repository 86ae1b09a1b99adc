import Adjoint
import ArgumentParser

/// `adjoint plot`: an SVG of a function of one number and its first N derivatives.
///
/// The function and all its derivatives are one compiled kernel (the derivatives nested
/// `elementwiseGrad`s), called once per point.
struct PlotCommand: ExpressionCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot EXPR and its first N derivatives over a range, as SVG.",
        discussion: """
            EXPR is a function of one number, the variable declared with --var. The curves are f, f′, f″, ... up to the N-th derivative, computed exactly by automatic differentiation (not by finite differences), in distinct colors with a legend. Where a curve is not finite it leaves a gap.

            Example:
              adjoint plot 'tanh(x)' --var x --range -7:7 --derivatives 4 -o tanh.svg
            """
    )

    static let maximumDerivatives = 8

    @Argument(help: "The function of one variable, such as 'tanh(x)'. Quote it for the shell.")
    var expression: String

    @Option(name: .customLong("var"), help: ArgumentHelp("The variable, a scalar.", valueName: "NAME"))
    var variable: String

    @Option(parsing: .unconditional,
            help: ArgumentHelp("The interval of the variable, LO:HI, such as -7:7.", valueName: "LO:HI"))
    var range: String

    @Option(help: ArgumentHelp("How many derivatives to draw besides the function (0 to \(PlotCommand.maximumDerivatives)).", valueName: "N"))
    var derivatives = 0

    @Option(help: ArgumentHelp("How many evenly spaced points to evaluate (2 to 100000).", valueName: "N"))
    var points = 401

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("The SVG file to write ('-' for standard output).", valueName: "FILE.svg"))
    var output: String

    func execute(_ console: inout Console) throws(UsageError) {
        let declared = try Variable(spec: variable)
        guard declared.shape.isEmpty else {
            throw UsageError("--var \(quoted(variable)): plot draws a function of one number; declare --var \(declared.name) without a shape")
        }
        let (lo, hi) = try PlotCommand.parseRange(range)
        guard (0...PlotCommand.maximumDerivatives).contains(derivatives) else {
            throw UsageError("--derivatives \(derivatives): choose 0 to \(PlotCommand.maximumDerivatives)")
        }
        guard (2...100_000).contains(points) else { throw UsageError("--points \(points): choose 2 to 100000") }
        let checked = try CheckedExpression(expression, variables: [declared])
        guard checked.shape.reduce(1, *) == 1 else {
            throw UsageError("plot draws a function with one value, but EXPR has \(describe(checked.shape))")
        }
        let f = checked.scalarFunction()
        var functions: [(Tensor) -> Tensor] = [{ x in f([x]).reshaped([]) }]
        for _ in 0..<derivatives { functions.append(elementwiseGrad(functions[functions.count - 1])) }
        let all = compile { (x: Tensor) -> [Tensor] in functions.map { $0(x) } }
        let xs = (0..<points).map { i in i == points - 1 ? hi : lo + (hi - lo) * Double(i) / Double(points - 1) }
        let values = try checkingShapes { xs.map { x in all(Tensor(x)).map(\.scalar) } }
        let curves = (0...derivatives).map { k in SVGPlot.Curve(label: PlotCommand.label(k), ys: values.map { $0[k] }) }
        let text = checked.expression.text
        var title = "f(\(declared.name)) = " + (text.count <= 60 ? text : String(text.prefix(60)) + "…")
        if derivatives > 0 { title += derivatives == 1 ? " and its derivative" : " and its first \(derivatives) derivatives" }
        let svg = SVGPlot(title: title, xLabel: declared.name, xs: xs, curves: curves).render()
        try console.write(svg, toFile: output)
    }

    /// `f`, `f′`, `f″`, `f‴`, then `f⁽⁴⁾`, `f⁽⁵⁾`, …
    static func label(_ order: Int) -> String {
        switch order {
        case 0: return "f"
        case 1: return "f\u{2032}"
        case 2: return "f\u{2033}"
        case 3: return "f\u{2034}"
        default:
            let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
            return "f⁽" + String(String(order).map { superscripts[Int(String($0))!] }) + "⁾"
        }
    }

    /// `LO:HI` with finite LO < HI, not too close together for their size.
    static func parseRange(_ text: String) throws(UsageError) -> (Double, Double) {
        let usage = "--range \(quoted(text)): expected LO:HI with numbers LO < HI, such as -7:7"
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw UsageError(usage) }
        let trim = { (s: Substring) in String(s.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()) }
        guard let lo = Number.parse(trim(parts[0])), let hi = Number.parse(trim(parts[1])) else { throw UsageError(usage) }
        guard lo.isFinite, hi.isFinite else { throw UsageError("--range \(quoted(text)): the ends must be finite") }
        guard lo < hi else { throw UsageError("--range \(quoted(text)): LO must be less than HI") }
        guard (hi - lo).isFinite, hi - lo > 1e-300 else { throw UsageError("--range \(quoted(text)): the interval is too wide or too narrow") }
        // Narrower than this, the points and ticks would be a handful of doubles, drawn apart.
        guard hi - lo >= 1e-12 * max(abs(lo), abs(hi)) else {
            throw UsageError("--range \(quoted(text)): the interval is too narrow for double precision at these numbers; "
                             + "HI - LO must be at least 1e-12 times the larger end")
        }
        return (lo, hi)
    }
}
