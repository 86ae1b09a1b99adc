/// Arithmetic and comparisons, with NumPy broadcasting, mixing tensors and `Double`s on either side.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor { apply(.binary(.add), a, b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { apply(.binary(.sub), a, b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { apply(.binary(.mul), a, b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { apply(.binary(.div), a, b) }

    public static func + (a: Double, b: Tensor) -> Tensor { Tensor(a) + b }
    public static func - (a: Double, b: Tensor) -> Tensor { Tensor(a) - b }
    public static func * (a: Double, b: Tensor) -> Tensor { Tensor(a) * b }
    public static func / (a: Double, b: Tensor) -> Tensor { Tensor(a) / b }

    public static func + (a: Tensor, b: Double) -> Tensor { a + Tensor(b) }
    public static func - (a: Tensor, b: Double) -> Tensor { a - Tensor(b) }
    public static func * (a: Tensor, b: Double) -> Tensor { a * Tensor(b) }
    public static func / (a: Tensor, b: Double) -> Tensor { a / Tensor(b) }

    public static prefix func - (a: Tensor) -> Tensor { apply(.unary(.neg), a) }
    public static prefix func + (a: Tensor) -> Tensor { a }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
    public static func += (a: inout Tensor, b: Double) { a = a + b }
    public static func -= (a: inout Tensor, b: Double) { a = a - b }
    public static func *= (a: inout Tensor, b: Double) { a = a * b }
    public static func /= (a: inout Tensor, b: Double) { a = a / b }
}

// MARK: - Comparisons giving a Swift Bool (scalar tensors; recorded as guards while tracing)

extension Tensor {
    public static func < (a: Tensor, b: Tensor) -> Bool { decide(.compare(.less), a, b) }
    public static func <= (a: Tensor, b: Tensor) -> Bool { decide(.compare(.lessEqual), a, b) }
    public static func > (a: Tensor, b: Tensor) -> Bool { decide(.compare(.greater), a, b) }
    public static func >= (a: Tensor, b: Tensor) -> Bool { decide(.compare(.greaterEqual), a, b) }

    // Mixed with a floating-point value: generic, so that a literal (`x < 0`) picks the concrete
    // Tensor×Tensor form above instead of being ambiguous, and `d < 0` on a Double stays Double's.
    public static func < <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { a < Tensor(Double(b)) }
    public static func <= <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { a <= Tensor(Double(b)) }
    public static func > <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { a > Tensor(Double(b)) }
    public static func >= <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { a >= Tensor(Double(b)) }
    public static func == <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { a == Tensor(Double(b)) }
    public static func != <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { !(a == Tensor(Double(b))) }

    public static func < <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { Tensor(Double(a)) < b }
    public static func <= <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { Tensor(Double(a)) <= b }
    public static func > <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { Tensor(Double(a)) > b }
    public static func >= <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { Tensor(Double(a)) >= b }
    public static func == <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { Tensor(Double(a)) == b }
    public static func != <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { !(Tensor(Double(a)) == b) }
}

// MARK: - Elementwise comparisons giving a 0/1 mask (branch-free; no guard)

extension Tensor {
    public static func .< (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.less), a, b) }
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.lessEqual), a, b) }
    public static func .> (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.greater), a, b) }
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.greaterEqual), a, b) }
    public static func .== (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.equal), a, b) }
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.notEqual), a, b) }

    public static func .< <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Tensor { a .< Tensor(Double(b)) }
    public static func .<= <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Tensor { a .<= Tensor(Double(b)) }
    public static func .> <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Tensor { a .> Tensor(Double(b)) }
    public static func .>= <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Tensor { a .>= Tensor(Double(b)) }
}
