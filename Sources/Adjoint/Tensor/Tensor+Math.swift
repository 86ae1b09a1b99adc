/// Elementwise functions. `tanh`, `log1p`, `expm1` and `softplus` are primitives (more accurate
/// than their compositions); `sigmoid` and `relu` are composites of primitives.

/// eˣ
public func exp(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.exp), x) }
/// Natural logarithm.
public func log(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.log), x) }
public func sin(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.sin), x) }
public func cos(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.cos), x) }
public func tan(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.tan), x) }
public func tanh(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.tanh), x) }
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
/// -1, 0 or 1 by the sign of each element; its derivative is 0.
public func sign(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.sign), x) }
/// `x` as a value with a zero derivative, in both modes, at every order and in compiled code:
/// what flows through it is treated as a constant (JAX's `stop_gradient`).
public func stopGradient(_ x: Tensor) -> Tensor { Tensor.apply(.unary(.stopGradient), x) }

/// The logistic function 1 / (1 + e⁻ˣ), computed as ½(tanh(x/2) + 1), which never overflows.
public func sigmoid(_ x: Tensor) -> Tensor { (tanh(x * 0.5) + 1) * 0.5 }

/// max(x, 0); its derivative at 0 is taken as 0. NaN stays NaN, as in NumPy's `maximum(x, 0)`.
public func relu(_ x: Tensor) -> Tensor { `where`(x .<= 0, 0, x) }

/// aᵇ elementwise, with broadcasting.
public func pow(_ a: Tensor, _ b: Tensor) -> Tensor { Tensor.apply(.binary(.pow), a, b) }
// Generic, so a literal exponent (`pow(x, 2)`) picks the Tensor form instead of being ambiguous.
public func pow<D: BinaryFloatingPoint>(_ a: Tensor, _ b: D) -> Tensor { pow(a, Tensor(Double(b))) }
public func pow<D: BinaryFloatingPoint>(_ a: D, _ b: Tensor) -> Tensor { pow(Tensor(Double(a)), b) }

/// Elementwise choice: `a` where `condition` is nonzero, else `b`, with broadcasting.
/// Branch-free: inside a compiled kernel it never triggers a new specialization.
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor.apply(.select, [condition, a, b])
}

/// Elementwise maximum of two tensors (the first where they are equal). A NaN in either operand
/// gives NaN there, as NumPy's `maximum` does.
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { `where`(b .!= b, b, `where`(a .< b, b, a)) }

/// Elementwise minimum of two tensors (the first where they are equal); NaN propagates as in `maximum`.
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { `where`(b .!= b, b, `where`(b .< a, b, a)) }
