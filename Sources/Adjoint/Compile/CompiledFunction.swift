/// A function compiled to native code: traced, differentiated, lowered to C and compiled by
/// libtcc on the first call for each argument shape, then called for the cost of a function call.
///
/// `Arguments` and `Result` mirror the function compiled (`Tensor`, `(Tensor, Tensor)`,
/// `[Tensor]`, `(value: Tensor, gradient: Tensor)`, …); `callAsFunction` has the same shape.
public struct CompiledFunction<Arguments, Result>: Sendable {
    package let specializations: Specializations

    package init(limit: Int, _ function: @escaping ([Tensor]) -> [Tensor]) {
        specializations = Specializations(limit: limit, function)
    }

    /// The generated C for arguments of these shapes (the same text libtcc compiles).
    public func cSource(for shapes: [[Int]]) -> String {
        if let error = Self.check(shapes, "cSource(for:)") {
            ShapeErrors.fail(error)
            return ""
        }
        return specializations.source(for: shapes)
    }

    /// The traced graph for arguments of these shapes, as Graphviz `dot` text: each node once,
    /// labelled with its op and shape, the derivative's nodes set apart in a shaded cluster,
    /// inputs named `input 0`, `input 1`, … and results `output 0`, …, a guard as a diamond.
    /// `dot -Tsvg` draws it. (The graph is the traced one, before lowering fuses it into loops.)
    public func graphDot(for shapes: [[Int]]) -> String {
        if let error = Self.check(shapes, "graphDot(for:)") {
            ShapeErrors.fail(error)
            return ""
        }
        return specializations.picture(for: shapes, inputNames: shapes.indices.map { "input \($0)" },
                                       outputNames: (0..<64).map { "output \($0)" })
    }

    /// The compiled kernel for these shapes, compiled now if need be: for callers who want the
    /// allocation-free `Kernel.run` on their own buffers. Functions with branches may have several.
    /// Throws a `ShapeError` when the shapes do not fit the function (their number, or an
    /// operation inside), and the compiler's error if compiling fails.
    public func kernel(for shapes: [[Int]]) throws -> Kernel {
        if let error = Self.check(shapes, "kernel(for:)") { throw error }
        return try specializations.kernel(for: shapes)
    }

    /// The kernels compiled so far, in the order they were made: one per argument shapes and branch set.
    public var kernels: [Kernel] { specializations.kernels }

    /// Why some calls run interpreted (too many specializations, or a compile failure), if any do.
    public var fallbackReason: String? { specializations.fallbackReason }
}

extension CompiledFunction {
    /// How many tensors a call takes, as `Arguments` says; nil for a parameter list (any number).
    private static var argumentCount: Int? {
        switch Arguments.self {
        case is Tensor.Type: 1
        case is (Tensor, Tensor).Type: 2
        case is (Tensor, Tensor, Tensor).Type: 3
        case is (Tensor, Tensor, Tensor, Tensor).Type: 4
        default: nil
        }
    }

    /// What is wrong with shapes given for the arguments, if anything: their number, or a shape
    /// no tensor can have. (Tracing at zeros of such shapes would trap, or index past the list.)
    private static func check(_ shapes: [[Int]], _ op: String) -> ShapeError? {
        let given = "\(shapes.count) shape\(shapes.count == 1 ? " was" : "s were") given"
        if let count = argumentCount, shapes.count != count {
            return ShapeError(op, shapes, "the function takes \(count) tensor\(count == 1 ? "" : "s"), but \(given)",
                              kind: .argument)
        }
        if Arguments.self is ([Tensor], [Tensor]).Type, !shapes.count.isMultiple(of: 2) {
            return ShapeError(op, shapes, "the function takes two lists of equal length, one after the other, but \(given)",
                              kind: .argument)
        }
        for (k, shape) in shapes.enumerated() {
            if let reason = Shape.invalidity(shape) { return ShapeError(op, shapes, "argument \(k): \(reason)", kind: .shape) }
        }
        return nil
    }
}

extension CompiledFunction where Arguments == Tensor, Result == Tensor {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ x: Tensor) -> Tensor { specializations.call(x) }
}

extension CompiledFunction where Arguments == Tensor, Result == [Tensor] {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ x: Tensor) -> [Tensor] { specializations.call([x]) }
}

extension CompiledFunction where Arguments == Tensor, Result == (value: Tensor, gradient: Tensor) {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ x: Tensor) -> (value: Tensor, gradient: Tensor) {
        if let u = x.concreteScalar, let r = specializations.callScalars((u, 0, 0, 0), 1, results: 2) {
            return (Tensor(r.0), Tensor(r.1))
        }
        let r = specializations.call([x])
        return (r[0], r[1])
    }
}

extension CompiledFunction where Arguments == [Tensor], Result == Tensor {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ xs: [Tensor]) -> Tensor { specializations.call(xs)[0] }
}

extension CompiledFunction where Arguments == [Tensor], Result == [Tensor] {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ xs: [Tensor]) -> [Tensor] { specializations.call(xs) }
}

extension CompiledFunction where Arguments == [Tensor], Result == (value: Tensor, gradient: [Tensor]) {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ xs: [Tensor]) -> (value: Tensor, gradient: [Tensor]) {
        let r = specializations.call(xs)
        return (r[0], Array(r.dropFirst()))
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor), Result == Tensor {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ a: Tensor, _ b: Tensor) -> Tensor {
        if let u = a.concreteScalar, let v = b.concreteScalar, let r = specializations.callScalars((u, v, 0, 0), 2, results: 1) {
            return Tensor(r.0)
        }
        return specializations.call([a, b])[0]
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor), Result == [Tensor] {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ a: Tensor, _ b: Tensor) -> [Tensor] { specializations.call([a, b]) }
}

extension CompiledFunction where Arguments == (Tensor, Tensor), Result == (value: Tensor, gradient: Tensor) {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ a: Tensor, _ b: Tensor) -> (value: Tensor, gradient: Tensor) {
        if let u = a.concreteScalar, let v = b.concreteScalar, let r = specializations.callScalars((u, v, 0, 0), 2, results: 2) {
            return (Tensor(r.0), Tensor(r.1))
        }
        let r = specializations.call([a, b])
        return (r[0], r[1])
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor, Tensor), Result == Tensor {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ a: Tensor, _ b: Tensor, _ c: Tensor) -> Tensor {
        if let u = a.concreteScalar, let v = b.concreteScalar, let w = c.concreteScalar,
           let r = specializations.callScalars((u, v, w, 0), 3, results: 1) {
            return Tensor(r.0)
        }
        return specializations.call([a, b, c])[0]
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor, Tensor), Result == [Tensor] {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ a: Tensor, _ b: Tensor, _ c: Tensor) -> [Tensor] { specializations.call([a, b, c]) }
}

extension CompiledFunction where Arguments == (Tensor, Tensor, Tensor), Result == (value: Tensor, gradient: Tensor) {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ a: Tensor, _ b: Tensor, _ c: Tensor) -> (value: Tensor, gradient: Tensor) {
        if let u = a.concreteScalar, let v = b.concreteScalar, let w = c.concreteScalar,
           let r = specializations.callScalars((u, v, w, 0), 3, results: 2) {
            return (Tensor(r.0), Tensor(r.1))
        }
        let r = specializations.call([a, b, c])
        return (r[0], r[1])
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor, Tensor, Tensor), Result == Tensor {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ d: Tensor) -> Tensor {
        if let u = a.concreteScalar, let v = b.concreteScalar, let w = c.concreteScalar, let z = d.concreteScalar,
           let r = specializations.callScalars((u, v, w, z), 4, results: 1) {
            return Tensor(r.0)
        }
        return specializations.call([a, b, c, d])[0]
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor, Tensor, Tensor), Result == [Tensor] {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ d: Tensor) -> [Tensor] {
        specializations.call([a, b, c, d])
    }
}

extension CompiledFunction where Arguments == (Tensor, Tensor, Tensor, Tensor), Result == (value: Tensor, gradient: Tensor) {
    /// Calls the compiled function: runs the kernel made for these argument shapes, tracing and
    /// compiling one first when there is none (or when a guard fails, see ``Kernel/guardDescriptions``).
    public func callAsFunction(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ d: Tensor) -> (value: Tensor, gradient: Tensor) {
        let r = specializations.call([a, b, c, d])
        return (r[0], r[1])
    }
}
