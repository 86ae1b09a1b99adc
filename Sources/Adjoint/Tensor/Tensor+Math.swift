/// Elementwise functions of one tensor. Most are primitives (rows of `Ops/Elementwise.swift`,
/// `Trigonometric.swift`, `SpecialFunctions.swift`); `sigmoid`, `relu`, `square`, `reciprocal`,
/// `sinc` and `digamma` are composites. NumPy's names (`arcsin`, `gammaln`) are the command
/// line's second spellings. Functions of two tensors are in `Tensor+MathBinary.swift`.

/// eˣ
public func exp(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.exp), x) }
/// Natural logarithm.
public func log(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.log), x) }
/// The sine, elementwise (radians); sin′ = cos.
public func sin(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.sin), x) }
/// The cosine, elementwise (radians); cos′ = −sin.
public func cos(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.cos), x) }
/// The tangent, elementwise (radians); tan′ = 1 + tan².
public func tan(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.tan), x) }
/// The hyperbolic tangent, elementwise; tanh′ = 1 − tanh².
public func tanh(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.tanh), x) }
/// The square root, elementwise (NaN for x < 0); sqrt′(x) = 1/(2√x), infinite at 0.
public func sqrt(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.sqrt), x) }
/// |x|; its derivative at 0 is taken as 0.
public func abs(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.abs), x) }
/// log(1 + x), accurate for small x.
public func log1p(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.log1p), x) }
/// eˣ − 1, accurate for small x.
public func expm1(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.expm1), x) }
/// log(1 + eˣ), without overflow for large x.
public func softplus(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.softplus), x) }
/// The arctangent, in (-π/2, π/2); NumPy's `arctan`.
public func atan(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.atan), x) }
/// The arcsine, in [-π/2, π/2] (NaN outside [-1, 1]); NumPy's `arcsin`.
public func asin(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.asin), x) }
/// The arccosine, in [0, π]; NumPy's `arccos`.
public func acos(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.acos), x) }
/// The hyperbolic sine, elementwise; sinh′ = cosh.
public func sinh(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.sinh), x) }
/// The hyperbolic cosine, elementwise; cosh′ = sinh.
public func cosh(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.cosh), x) }
/// NumPy's `arcsinh`.
public func asinh(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.asinh), x) }
/// NumPy's `arccosh` (x ≥ 1).
public func acosh(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.acosh), x) }
/// NumPy's `arctanh` (|x| < 1).
public func atanh(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.atanh), x) }
/// 2ˣ.
public func exp2(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.exp2), x) }
/// The base-2 logarithm, elementwise; log₂′(x) = 1/(x ln 2).
public func log2(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.log2), x) }
/// The base-10 logarithm, elementwise; log₁₀′(x) = 1/(x ln 10).
public func log10(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.log10), x) }
/// The real cube root (negative for negative x).
public func cbrt(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.cbrt), x) }
/// x², as `x * x`.
public func square(_ x: Tensor) -> Tensor { x * x }
/// 1/x.
public func reciprocal(_ x: Tensor) -> Tensor { 1 / x }
/// The error function.
public func erf(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.erf), x) }
/// 1 - erf(x), accurate where erf(x) is near 1.
public func erfc(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.erfc), x) }
/// The largest integer ≤ x; its derivative is 0.
public func floor(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.floor), x) }
/// The smallest integer ≥ x; its derivative is 0.
public func ceil(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.ceil), x) }
/// The nearest integer, halves to even (NumPy's `round`: `round(2.5)` is 2); its derivative is 0.
public func round(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.round), x) }
/// log |Γ(x)| (scipy's `gammaln`); its derivative is `digamma`.
public func lgamma(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.lgamma), x) }
/// ψ(x) = Γ′(x)/Γ(x), `polygamma(0, x)`.
public func digamma(_ x: Tensor) -> Tensor { polygamma(0, x) }
/// ψ⁽ⁿ⁾(x), the n-th derivative of `digamma` (n = 0, 1, 2, …; NaN for other n); its derivative in x
/// is `polygamma(n + 1, x)`, so every order is available.
public func polygamma(_ n: Int, _ x: Tensor) -> Tensor { polygamma(Tensor(Double(n)), x) }
/// ψ⁽ⁿ⁾(x) with n a tensor of integers (broadcast with x); no derivative in n.
public func polygamma(_ n: Tensor, _ x: Tensor) -> Tensor { Tensor.apply(.binary(.polygamma), n, x) }
/// NumPy's normalized sinc, sin(πx)/(πx), 1 at 0. Near 0 (|x| < 10⁻³) its Taylor polynomial,
/// so that derivatives of every order are right at and around 0.
public func sinc(_ x: Tensor) -> Tensor {
    let t = x * Double.pi, t2 = t * t
    let series = 1 - t2 / 6 * (1 - t2 / 20 * (1 - t2 / 42 * (1 - t2 / 72)))
    return `where`(abs(x) .< 1e-3, series, sin(t) / `where`(abs(x) .< 1e-3, 1, t))
}
/// -1, 0 or 1 by the sign of each element; its derivative is 0.
public func sign(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.sign), x) }
/// `x` as a value with a zero derivative, in both modes, at every order and in compiled code:
/// what flows through it is treated as a constant (JAX's `stop_gradient`).
public func stopGradient(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.stopGradient), x) }

/// The logistic function 1 / (1 + e⁻ˣ), computed as ½(tanh(x/2) + 1), which never overflows.
public func sigmoid(_ x: Tensor) -> Tensor { (tanh(x * 0.5) + 1) * 0.5 }

/// max(x, 0); its derivative at 0 is taken as 0. NaN stays NaN, as in NumPy's `maximum(x, 0)`.
public func relu(_ x: Tensor) -> Tensor { `where`(x .<= 0, 0, x) }

