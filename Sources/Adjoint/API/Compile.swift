/// `compile`: the same function, traced and compiled to native code per argument shape.
/// It accepts every function shape the transforms return. `maxSpecializations` bounds the
/// kernels kept per function (one per argument shapes and branch set); past it, new cases are
/// evaluated by the interpreter.

/// Compiles a function `(Tensor) -> Tensor`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor) -> Tensor, maxSpecializations: Int = 32) -> CompiledFunction<Tensor, Tensor> {
    CompiledFunction(limit: maxSpecializations) { [f($0[0])] }
}

/// Compiles a function `(Tensor) -> [Tensor]`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor) -> [Tensor], maxSpecializations: Int = 32) -> CompiledFunction<Tensor, [Tensor]> {
    CompiledFunction(limit: maxSpecializations) { f($0[0]) }
}

/// Compiles a function `(Tensor) -> (value: Tensor, gradient: Tensor)`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor) -> (value: Tensor, gradient: Tensor), maxSpecializations: Int = 32)
    -> CompiledFunction<Tensor, (value: Tensor, gradient: Tensor)> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0[0]); return [r.value, r.gradient] }
}

/// Compiles a function `([Tensor]) -> Tensor`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping ([Tensor]) -> Tensor, maxSpecializations: Int = 32) -> CompiledFunction<[Tensor], Tensor> {
    CompiledFunction(limit: maxSpecializations) { [f($0)] }
}

/// Compiles a function `([Tensor]) -> [Tensor]`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping ([Tensor]) -> [Tensor], maxSpecializations: Int = 32) -> CompiledFunction<[Tensor], [Tensor]> {
    CompiledFunction(limit: maxSpecializations) { f($0) }
}

/// Compiles a function `([Tensor]) -> (value: Tensor, gradient: [Tensor])`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping ([Tensor]) -> (value: Tensor, gradient: [Tensor]), maxSpecializations: Int = 32)
    -> CompiledFunction<[Tensor], (value: Tensor, gradient: [Tensor])> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0); return [r.value] + r.gradient }
}

/// Compiles a function `(Tensor, Tensor) -> Tensor`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor, Tensor) -> Tensor, maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor), Tensor> {
    CompiledFunction(limit: maxSpecializations) { [f($0[0], $0[1])] }
}

/// Compiles a function `(Tensor, Tensor) -> [Tensor]`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor, Tensor) -> [Tensor], maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor), [Tensor]> {
    CompiledFunction(limit: maxSpecializations) { f($0[0], $0[1]) }
}

/// Compiles a function `(Tensor, Tensor) -> (value: Tensor, gradient: Tensor)`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor, Tensor) -> (value: Tensor, gradient: Tensor), maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor), (value: Tensor, gradient: Tensor)> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0[0], $0[1]); return [r.value, r.gradient] }
}

/// Compiles a function `(Tensor, Tensor, Tensor) -> Tensor`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor, Tensor, Tensor) -> Tensor, maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor, Tensor), Tensor> {
    CompiledFunction(limit: maxSpecializations) { [f($0[0], $0[1], $0[2])] }
}

/// Compiles a function `(Tensor, Tensor, Tensor) -> [Tensor]`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor, Tensor, Tensor) -> [Tensor], maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor, Tensor), [Tensor]> {
    CompiledFunction(limit: maxSpecializations) { f($0[0], $0[1], $0[2]) }
}

/// Compiles a function `(Tensor, Tensor, Tensor) -> (value: Tensor, gradient: Tensor)`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor, Tensor, Tensor) -> (value: Tensor, gradient: Tensor), maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor, Tensor), (value: Tensor, gradient: Tensor)> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0[0], $0[1], $0[2]); return [r.value, r.gradient] }
}

/// Compiles a function `(Tensor, Tensor, Tensor, Tensor) -> Tensor`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> Tensor, maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor, Tensor, Tensor), Tensor> {
    CompiledFunction(limit: maxSpecializations) { [f($0[0], $0[1], $0[2], $0[3])] }
}

/// Compiles a function `(Tensor, Tensor, Tensor, Tensor) -> [Tensor]`.
/// 
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> [Tensor], maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor, Tensor, Tensor), [Tensor]> {
    CompiledFunction(limit: maxSpecializations) { f($0[0], $0[1], $0[2], $0[3]) }
}

/// Compiles a function `(Tensor, Tensor, Tensor, Tensor) -> (value: Tensor, gradient: Tensor)`.
///
/// Traced, lowered to C and compiled by libtcc on the first call for each argument shapes (and
/// branch set); later calls run that kernel. Past `maxSpecializations` kernels, the interpreter.
public func compile(_ f: @escaping (Tensor, Tensor, Tensor, Tensor) -> (value: Tensor, gradient: Tensor),
                    maxSpecializations: Int = 32)
    -> CompiledFunction<(Tensor, Tensor, Tensor, Tensor), (value: Tensor, gradient: Tensor)> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0[0], $0[1], $0[2], $0[3]); return [r.value, r.gradient] }
}

// What the forward-mode transforms return: `jvp(f)`, `vjp(f)` and the Hessian-vector product of
// a parameter list.

/// `compile(jvp(f))`: the kernel takes the point and the tangent.
public func compile(_ f: Pushforward, maxSpecializations: Int = 32) -> CompiledFunction<(Tensor, Tensor), (value: Tensor, tangent: Tensor)> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0[0], $0[1]); return [r.value, r.tangent] }
}

/// `compile(vjp(f))`: the kernel takes the point and the output cotangent.
public func compile(_ f: Pullback, maxSpecializations: Int = 32) -> CompiledFunction<(Tensor, Tensor), (value: Tensor, cotangent: Tensor)> {
    CompiledFunction(limit: maxSpecializations) { let r = f($0[0], $0[1]); return [r.value, r.cotangent] }
}

/// For `([Tensor], [Tensor]) -> [Tensor]` (as `hessianVectorProduct` of a parameter list returns),
/// the kernel takes both lists, of equal length, one after the other.
public func compile(_ f: @escaping ([Tensor], [Tensor]) -> [Tensor], maxSpecializations: Int = 32)
    -> CompiledFunction<([Tensor], [Tensor]), [Tensor]> {
    CompiledFunction(limit: maxSpecializations) { xs in
        let half = xs.count / 2
        return f(Array(xs[..<half]), Array(xs[half...]))
    }
}
