import Testing

@testable import Adjoint

/// The elementwise functions of one and two operands, each on its domain.
enum ElementwiseGrid {
    static let unary: [GridCase] = [
        GridCase.unary("exp") { exp($0) },
        GridCase.unary("log", 0.2...3) { log($0) },
        GridCase.unary("sin") { sin($0) },
        GridCase.unary("cos") { cos($0) },
        GridCase.unary("tan", -1.2...1.2) { tan($0) },
        GridCase.unary("tanh") { tanh($0) },
        GridCase.unary("sqrt", 0.2...3) { sqrt($0) },
        GridCase.unary("abs") { abs($0) },
        GridCase.unary("sign") { sign($0) },
        GridCase.unary("log1p", -0.8...3) { log1p($0) },
        GridCase.unary("expm1") { expm1($0) },
        GridCase.unary("softplus", -4...4) { softplus($0) },
        GridCase.unary("atan", -3...3) { atan($0) },
        GridCase.shapes.map { shape in
            var c = GridCase("stopGradient", [shape], [-2...2]) { stopGradient($0[0]) * $0[0] }
            c.reference = { x, x0 in [x0[0] * x[0]] }
            return c
        },
        GridCase.unary("sigmoid", -4...4) { sigmoid($0) },
        GridCase.unary("relu") { relu($0) },
        GridCase.unary("asin", -0.8...0.8) { asin($0) },
        GridCase.unary("acos", -0.8...0.8) { acos($0) },
        GridCase.unary("sinh") { sinh($0) },
        GridCase.unary("cosh") { cosh($0) },
        GridCase.unary("asinh", -3...3) { asinh($0) },
        GridCase.unary("acosh", 1.2...3) { acosh($0) },
        GridCase.unary("atanh", -0.8...0.8) { atanh($0) },
        GridCase.unary("exp2") { exp2($0) },
        GridCase.unary("log2", 0.2...3) { log2($0) },
        GridCase.unary("log10", 0.2...3) { log10($0) },
        GridCase.unary("cbrt", 0.2...3) { cbrt($0) },
        GridCase.unary("square") { square($0) },
        GridCase.unary("reciprocal", 0.5...2) { reciprocal($0) },
        GridCase.unary("erf") { erf($0) },
        GridCase.unary("erfc") { erfc($0) },
        GridCase.unary("floor") { floor($0) },
        GridCase.unary("ceil") { ceil($0) },
        GridCase.unary("round") { round($0) },
        GridCase.unary("sinc", -2...2) { sinc($0) },
        GridCase.unary("lgamma", 0.3...4) { lgamma($0) },
        GridCase.unary("digamma", 0.3...4) { digamma($0) },
        GridCase.unary("polygamma", 0.3...4, tolerance: 1e-5) { polygamma(2, $0) },
    ].flatMap { $0 }

    static let binary: [GridCase] = [
        GridCase.binary("+") { $0 + $1 },
        GridCase.binary("-") { $0 - $1 },
        GridCase.binary("*") { $0 * $1 },
        GridCase.binary("/", -2...2, 0.5...2) { $0 / $1 },
        GridCase.binary("pow", 0.3...2, -2...2) { pow($0, $1) },
        GridCase.shapes.map { shape in GridCase("clip", [shape], [-2...2], note: "Double bounds") { clip($0[0], -1.0, 1.0) } },
        GridCase.binary("maximum") { maximum($0, $1) },
        GridCase.binary("minimum") { minimum($0, $1) },
        GridCase.binary("fmax") { fmax($0, $1) },
        GridCase.binary("fmin") { fmin($0, $1) },
        GridCase.binary("atan2", 0.3...2, -2...2) { atan2($0, $1) },
        GridCase.binary("hypot", 0.3...2, -2...2) { hypot($0, $1) },
        GridCase.binary("logaddexp") { logaddexp($0, $1) },
        GridCase.binary("logaddexp2") { logaddexp2($0, $1) },
        GridCase.binary("mod", -3...3, 0.5...2) { mod($0, $1) },
        GridCase.binary("%", -3...3, -2 ... -0.5) { $0 % $1 },
        GridCase.binary("fmod", -3...3, 0.5...2) { fmod($0, $1) },
        GridCase.binary("clip", -2...2, -1...0) { clip($0, $1, $1 + 1) },
        GridCase.binary("where", -2...2, -2...2) { `where`($0 .> 0, $0 * $1, $1) },
    ].flatMap { $0 }
}

@Suite struct ElementwiseGridTests {
    @Test(arguments: ElementwiseGrid.unary) func unary(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: ElementwiseGrid.binary) func binary(_ c: GridCase) { SystematicCheck.check(c) }
}
