import AdjointRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The fixed signature of every generated kernel:
/// `int NAME(const double *const *inputs, double *const *outputs, double *workspace)`.
///
/// The result is 0 on success, or the number of the first guard that failed, so the caller can
/// trace again for the new input (see DESIGN.md, "Control flow").
package typealias KernelFunction = @convention(c) (
    UnsafePointer<UnsafePointer<Double>?>?,
    UnsafePointer<UnsafeMutablePointer<Double>?>?,
    UnsafeMutablePointer<Double>?
) -> Int32

extension JITModule {
    /// The kernel function called `name`, or nil if the module defines no such symbol.
    ///
    /// Nothing checks that the symbol really has the kernel signature: the code generator that
    /// wrote the source is trusted. The pointer is valid only while this module is alive.
    package func kernel(named name: String) -> KernelFunction? {
        address(of: name).map { unsafeBitCast($0, to: KernelFunction.self) }
    }
}

/// Every external function that generated C may call, with the prototypes to declare them.
///
/// Kernels are compiled with `-nostdlib`: there is no libc, no libm and no header, so each function
/// is registered into every libtcc state with `tcc_add_symbol`, and ``declarations`` is pasted at
/// the top of every generated file. Both come from one table so they cannot drift apart.
///
/// Addresses are taken from typed references to the imported C functions, which Swift resolves to
/// the C symbols themselves (no thunk: a test compares them with `dlsym`), and which works whether
/// or not the symbol is exported dynamically (`adj_matmul` is linked statically).
package enum RuntimeSymbols {
    private typealias Unary = @convention(c) (Double) -> Double
    private typealias Binary = @convention(c) (Double, Double) -> Double
    private typealias Fill = @convention(c) (UnsafeMutableRawPointer, Int32, Int)
        -> UnsafeMutableRawPointer?
    private typealias Copy = @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer, Int)
        -> UnsafeMutableRawPointer?
    private typealias MatMul = @convention(c) (
        UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?,
        Int, Int, Int, Int32, Int32
    ) -> Void

    /// Function addresses are immutable and valid for the life of the process.
    private struct Entry: @unchecked Sendable {
        let name: String
        let prototype: String
        let address: UnsafeRawPointer
    }

    private static func unary(_ name: String, _ function: Unary) -> Entry {
        Entry(name: name, prototype: "double \(name)(double);",
              address: unsafeBitCast(function, to: UnsafeRawPointer.self))
    }

    private static func binary(_ name: String, _ function: Binary) -> Entry {
        Entry(name: name, prototype: "double \(name)(double, double);",
              address: unsafeBitCast(function, to: UnsafeRawPointer.self))
    }

    /// The table. The memory functions are here because tcc emits hidden calls to them:
    /// `double w[4] = {0}` calls memset, a struct copy calls memmove.
    private static let entries: [Entry] = [
        unary("exp", exp), unary("log", log), unary("sin", sin), unary("cos", cos),
        unary("tan", tan), unary("tanh", tanh), unary("sqrt", sqrt), unary("fabs", fabs),
        unary("log1p", log1p), unary("expm1", expm1), unary("floor", floor), unary("ceil", ceil),
        unary("trunc", trunc), unary("round", round), unary("exp2", exp2), unary("log2", log2),
        unary("log10", log10), unary("sinh", sinh), unary("cosh", cosh), unary("asin", asin),
        unary("acos", acos), unary("atan", atan), unary("asinh", asinh), unary("acosh", acosh),
        unary("atanh", atanh), unary("cbrt", cbrt), unary("erf", erf), unary("erfc", erfc),
        binary("pow", pow), binary("fmod", fmod), binary("fmin", fmin), binary("fmax", fmax),
        binary("atan2", atan2), binary("hypot", hypot),
        Entry(name: "memset", prototype: "void *memset(void *, int, unsigned long);",
              address: unsafeBitCast(memset as Fill, to: UnsafeRawPointer.self)),
        Entry(name: "memcpy", prototype: "void *memcpy(void *, const void *, unsigned long);",
              address: unsafeBitCast(memcpy as Copy, to: UnsafeRawPointer.self)),
        Entry(name: "memmove", prototype: "void *memmove(void *, const void *, unsigned long);",
              address: unsafeBitCast(memmove as Copy, to: UnsafeRawPointer.self)),
        Entry(name: "adj_matmul",
              prototype: "void adj_matmul(const double *a, const double *b, double *c, "
                  + "long m, long k, long n, int ta, int tb);",
              address: unsafeBitCast(adj_matmul as MatMul, to: UnsafeRawPointer.self)),
    ]

    /// Name and address of every symbol, to pass to ``JITModule/init(source:symbols:)``.
    /// (`nonisolated(unsafe)` only because raw pointers are not `Sendable`; it is never mutated.)
    nonisolated(unsafe) package static let all: [(name: String, address: UnsafeRawPointer)] =
        entries.map { ($0.name, $0.address) }

    /// C prototypes of every symbol in ``all``, one per line, to paste before generated code.
    package static let declarations: String =
        entries.map(\.prototype).joined(separator: "\n") + "\n"
}
