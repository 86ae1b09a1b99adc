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
    ].flatMap { $0 }

    static let binary: [GridCase] = [
        GridCase.binary("+") { $0 + $1 },
        GridCase.binary("-") { $0 - $1 },
        GridCase.binary("*") { $0 * $1 },
        GridCase.binary("/", -2...2, 0.5...2) { $0 / $1 },
        GridCase.binary("pow", 0.3...2, -2...2) { pow($0, $1) },
        GridCase.binary("maximum") { maximum($0, $1) },
        GridCase.binary("minimum") { minimum($0, $1) },
    ].flatMap { $0 }
}

@Suite struct ElementwiseGridTests {
    @Test(arguments: ElementwiseGrid.unary) func unary(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: ElementwiseGrid.binary) func binary(_ c: GridCase) { SystematicCheck.check(c) }
}
