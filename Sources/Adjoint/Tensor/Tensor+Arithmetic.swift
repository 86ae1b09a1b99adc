/// Arithmetic and comparisons, with NumPy broadcasting, mixing tensors and `Double`s on either side.
extension Tensor {
    /// Sum elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func + (a: Tensor, b: Tensor) -> Tensor { apply(.binary(.add), a, b) }
    /// Difference elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func - (a: Tensor, b: Tensor) -> Tensor { apply(.binary(.sub), a, b) }
    /// Product elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func * (a: Tensor, b: Tensor) -> Tensor { apply(.binary(.mul), a, b) }
    /// Quotient elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func / (a: Tensor, b: Tensor) -> Tensor { apply(.binary(.div), a, b) }

    /// Sum elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func + (a: Double, b: Tensor) -> Tensor { Tensor(a) + b }
    /// Difference elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func - (a: Double, b: Tensor) -> Tensor { Tensor(a) - b }
    /// Product elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func * (a: Double, b: Tensor) -> Tensor { Tensor(a) * b }
    /// Quotient elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func / (a: Double, b: Tensor) -> Tensor { Tensor(a) / b }

    /// Sum elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func + (a: Tensor, b: Double) -> Tensor { a + Tensor(b) }
    /// Difference elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func - (a: Tensor, b: Double) -> Tensor { a - Tensor(b) }
    /// Product elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func * (a: Tensor, b: Double) -> Tensor { a * Tensor(b) }
    /// Quotient elementwise, with NumPy broadcasting; a `Double` is a scalar tensor.
    public static func / (a: Tensor, b: Double) -> Tensor { a / Tensor(b) }

    /// Elementwise negation, −a.
    public static prefix func - (a: Tensor) -> Tensor { apply(.unary(.neg), a) }
    /// The tensor itself (unary plus).
    public static prefix func + (a: Tensor) -> Tensor { a }

    /// `a = a + b`, with broadcasting (a takes the broadcast shape).
    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    /// `a = a - b`, with broadcasting (a takes the broadcast shape).
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    /// `a = a * b`, with broadcasting (a takes the broadcast shape).
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    /// `a = a / b`, with broadcasting (a takes the broadcast shape).
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
    /// `a = a + b`, with broadcasting (a takes the broadcast shape).
    public static func += (a: inout Tensor, b: Double) { a = a + b }
    /// `a = a - b`, with broadcasting (a takes the broadcast shape).
    public static func -= (a: inout Tensor, b: Double) { a = a - b }
    /// `a = a * b`, with broadcasting (a takes the broadcast shape).
    public static func *= (a: inout Tensor, b: Double) { a = a * b }
    /// `a = a / b`, with broadcasting (a takes the broadcast shape).
    public static func /= (a: inout Tensor, b: Double) { a = a / b }
}

// MARK: - Comparisons giving a Swift Bool (scalar tensors; recorded as guards while tracing)

extension Tensor {
    /// Whether the one-element a is less than b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func < (a: Tensor, b: Tensor) -> Bool { decide(.compare(.less), a, b) }
    /// Whether the one-element a is less than or equal to b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func <= (a: Tensor, b: Tensor) -> Bool { decide(.compare(.lessEqual), a, b) }
    /// Whether the one-element a is greater than b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func > (a: Tensor, b: Tensor) -> Bool { decide(.compare(.greater), a, b) }
    /// Whether the one-element a is greater than or equal to b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func >= (a: Tensor, b: Tensor) -> Bool { decide(.compare(.greaterEqual), a, b) }

    // Mixed with a floating-point value: generic, so that a literal (`x < 0`) picks the concrete
    // Tensor×Tensor form above instead of being ambiguous, and `d < 0` on a Double stays Double's.
    /// Whether the one-element a is less than b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func < <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { a < Tensor(Double(b)) }
    /// Whether the one-element a is less than or equal to b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func <= <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { a <= Tensor(Double(b)) }
    /// Whether the one-element a is greater than b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func > <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { a > Tensor(Double(b)) }
    /// Whether the one-element a is greater than or equal to b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func >= <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { a >= Tensor(Double(b)) }
    /// Whether the one-element a is equal to b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func == <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { a == Tensor(Double(b)) }
    /// Whether the one-element a is not equal to b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func != <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Bool { !(a == Tensor(Double(b))) }

    /// Whether the one-element a is less than b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func < <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { Tensor(Double(a)) < b }
    /// Whether the one-element a is less than or equal to b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func <= <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { Tensor(Double(a)) <= b }
    /// Whether the one-element a is greater than b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func > <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { Tensor(Double(a)) > b }
    /// Whether the one-element a is greater than or equal to b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func >= <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { Tensor(Double(a)) >= b }
    /// Whether the one-element a is equal to b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func == <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { Tensor(Double(a)) == b }
    /// Whether the one-element a is not equal to b.
    /// 
    /// While tracing, the answer comes from the example value and is recorded as a guard, so a
    /// compiled kernel specializes on it (<doc:ControlFlow>).
    public static func != <D: BinaryFloatingPoint>(a: D, b: Tensor) -> Bool { !(Tensor(Double(a)) == b) }
}

// MARK: - Elementwise comparisons giving a 0/1 mask (branch-free; no guard)

extension Tensor {
    /// 1 where a is less than b, else 0, elementwise with broadcasting.
    /// 
    /// A mask: branch-free (no guard), with derivative 0.
    public static func .< (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.less), a, b) }
    /// 1 where a is less than or equal to b, else 0, elementwise with broadcasting.
    /// 
    /// A mask: branch-free (no guard), with derivative 0.
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.lessEqual), a, b) }
    /// 1 where a is greater than b, else 0, elementwise with broadcasting.
    /// 
    /// A mask: branch-free (no guard), with derivative 0.
    public static func .> (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.greater), a, b) }
    /// 1 where a is greater than or equal to b, else 0, elementwise with broadcasting.
    /// 
    /// A mask: branch-free (no guard), with derivative 0.
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.greaterEqual), a, b) }
    /// 1 where a is equal to b, else 0, elementwise with broadcasting.
    /// 
    /// A mask: branch-free (no guard), with derivative 0.
    public static func .== (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.equal), a, b) }
    /// 1 where a is not equal to b, else 0, elementwise with broadcasting.
    /// 
    /// A mask: branch-free (no guard), with derivative 0.
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { apply(.compare(.notEqual), a, b) }

    /// 1 where a is less than b, else 0, elementwise with broadcasting.
    /// 
    /// A mask: branch-free (no guard), with derivative 0.
    public static func .< <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Tensor { a .< Tensor(Double(b)) }
    /// 1 where a is less than or equal to b, else 0, elementwise with broadcasting.
    /// 
    /// A mask: branch-free (no guard), with derivative 0.
    public static func .<= <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Tensor { a .<= Tensor(Double(b)) }
    /// 1 where a is greater than b, else 0, elementwise with broadcasting.
    /// 
    /// A mask: branch-free (no guard), with derivative 0.
    public static func .> <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Tensor { a .> Tensor(Double(b)) }
    /// 1 where a is greater than or equal to b, else 0, elementwise with broadcasting.
    /// 
    /// A mask: branch-free (no guard), with derivative 0.
    public static func .>= <D: BinaryFloatingPoint>(a: Tensor, b: D) -> Tensor { a .>= Tensor(Double(b)) }
}
