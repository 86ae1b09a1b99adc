#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Elementwise functions of two tensors, with NumPy broadcasting, and `where`-built choices
/// (`maximum`, `clip`). Primitives are rows of `Ops/Arithmetic.swift` and `BinaryFunctions.swift`.

/// aᵇ elementwise, with broadcasting.
public func pow(_ a: Tensor, _ b: Tensor) -> Tensor { Tensor.apply(.binary(.pow), a, b) }
// Generic, so a literal exponent (`pow(x, 2)`) picks the Tensor form instead of being ambiguous.
/// xᵇ elementwise for a number b (`pow(x, 2)`).
public func pow<D: BinaryFloatingPoint>(_ a: Tensor, _ b: D) -> Tensor { pow(a, Tensor(Double(b))) }
/// aˣ elementwise for a number a (`pow(2, x)`).
public func pow<D: BinaryFloatingPoint>(_ a: D, _ b: Tensor) -> Tensor { pow(Tensor(Double(a)), b) }

/// Elementwise choice: `a` where `condition` is nonzero, else `b`, with broadcasting.
/// Branch-free: inside a compiled kernel it never triggers a new specialization.
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor.apply(.select, [condition, a, b])
}

/// Elementwise maximum of two tensors. Where they are equal the derivative is split evenly
/// (½ to each, autograd's rule); a NaN in either operand gives NaN there, as NumPy's `maximum`.
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { `where`(a .> b, a, `where`(a .< b, b, 0.5 * a + 0.5 * b)) }

/// Elementwise minimum of two tensors, ties split evenly; NaN propagates as in `maximum`.
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { `where`(a .< b, a, `where`(a .> b, b, 0.5 * a + 0.5 * b)) }

/// NumPy's `fmax`: the maximum, ignoring a NaN in one operand (NaN only where both are); ties split evenly.
public func fmax(_ a: Tensor, _ b: Tensor) -> Tensor { `where`(b .!= b, a, `where`(a .!= a, b, maximum(a, b))) }

/// NumPy's `fmin`: the minimum, ignoring a NaN in one operand; ties split evenly.
public func fmin(_ a: Tensor, _ b: Tensor) -> Tensor { `where`(b .!= b, a, `where`(a .!= a, b, minimum(a, b))) }

/// x limited to [lo, hi]: lo below, hi above (NumPy's `clip`). The derivative is 1 inside
/// (bounds included) and passes to the bound outside; NaN stays NaN.
public func clip(_ x: Tensor, _ lo: Tensor, _ hi: Tensor) -> Tensor { `where`(x .< lo, lo, `where`(x .> hi, hi, x)) }
// Generic, so that literal bounds (`clip(x, 0, 1)`) pick the Tensor form instead of being ambiguous.
/// x limited to [lo, hi] for number bounds (`clip(x, 0, 1)`).
public func clip<D: BinaryFloatingPoint>(_ x: Tensor, _ lo: D, _ hi: D) -> Tensor { clip(x, Tensor(Double(lo)), Tensor(Double(hi))) }
/// x limited to [lo, hi], a tensor lower bound and a number upper bound.
public func clip<D: BinaryFloatingPoint>(_ x: Tensor, _ lo: Tensor, _ hi: D) -> Tensor { clip(x, lo, Tensor(Double(hi))) }
/// x limited to [lo, hi], a number lower bound and a tensor upper bound.
public func clip<D: BinaryFloatingPoint>(_ x: Tensor, _ lo: D, _ hi: Tensor) -> Tensor { clip(x, Tensor(Double(lo)), hi) }


/// The angle of the point (x, y), in (-π, π] (NumPy's `arctan2`; note the order y, x).
public func atan2(_ y: Tensor, _ x: Tensor) -> Tensor { Tensor.apply(.binary(.atan2), y, x) }

/// √(a² + b²), without overflow.
public func hypot(_ a: Tensor, _ b: Tensor) -> Tensor { Tensor.apply(.binary(.hypot), a, b) }

/// log(eᵃ + eᵇ) without overflow: `m + log1p(exp(-|a - b|))` with m the maximum; equal
/// infinities give that infinity. The derivative is split evenly at a = b (it is ½ there).
public func logaddexp(_ a: Tensor, _ b: Tensor) -> Tensor {
    maximum(a, b) + log1p(exp(-abs(`where`(a .== b, 0, a - b))))
}

/// log₂(2ᵃ + 2ᵇ) without overflow.
public func logaddexp2(_ a: Tensor, _ b: Tensor) -> Tensor {
    maximum(a, b) + log1p(exp2(-abs(`where`(a .== b, 0, a - b)))) / M_LN2
}

/// NumPy's `mod` (`remainder`, Python's `%`): a - b·floor(a/b), with the sign of b. Its
/// derivative is 1 in a and -floor(a/b) in b.
public func mod(_ a: Tensor, _ b: Tensor) -> Tensor { Tensor.apply(.binary(.mod), a, b) }

/// C's `fmod` (NumPy's `fmod`): a - b·trunc(a/b), with the sign of a.
public func fmod(_ a: Tensor, _ b: Tensor) -> Tensor { Tensor.apply(.binary(.fmod), a, b) }

extension Tensor {
    /// NumPy's floor modulo, `mod(a, b)`.
    public static func % (a: Tensor, b: Tensor) -> Tensor { mod(a, b) }
    /// NumPy's floor modulo by a number, `mod(a, b)`.
    public static func % (a: Tensor, b: Double) -> Tensor { mod(a, Tensor(b)) }
    /// NumPy's floor modulo of a number, `mod(a, b)`.
    public static func % (a: Double, b: Tensor) -> Tensor { mod(Tensor(a), b) }
    /// `a = mod(a, b)`.
    public static func %= (a: inout Tensor, b: Tensor) { a = mod(a, b) }
}
