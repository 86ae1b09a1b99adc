#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Every external function that generated C may call, with its address, for libtcc's symbol
/// table: the libm functions of the op table's rows, the Runtime routines, and the memory
/// functions tcc itself emits calls to (`double w[4] = {0}` calls memset, a struct copy memmove).
/// Derived from the rows and the routine descriptors, so the prelude (CodeGen/Prelude.swift)
/// declares exactly what is registered here.
///
/// Addresses are taken from typed references to the imported C functions, which Swift resolves to
/// the C symbols themselves (no thunk: a test compares them with `dlsym`), and which works whether
/// or not the symbol is exported dynamically (the routines are linked statically).
package enum RuntimeSymbols {
    private typealias Fill = @convention(c) (UnsafeMutableRawPointer, Int32, Int)
        -> UnsafeMutableRawPointer?
    private typealias Copy = @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer, Int)
        -> UnsafeMutableRawPointer?

    /// The memory functions, which no row names but tcc's own code calls.
    nonisolated(unsafe) private static let memory: [(name: String, address: UnsafeRawPointer)] = [
        ("memset", unsafeBitCast(memset as Fill, to: UnsafeRawPointer.self)),
        ("memcpy", unsafeBitCast(memcpy as Copy, to: UnsafeRawPointer.self)),
        ("memmove", unsafeBitCast(memmove as Copy, to: UnsafeRawPointer.self)),
    ]

    /// Name and address of every symbol, to pass to ``JITModule/init(source:symbols:)``.
    /// (`nonisolated(unsafe)` only because raw pointers are not `Sendable`; it is never mutated.)
    nonisolated(unsafe) package static let all: [(name: String, address: UnsafeRawPointer)] =
        Rule.libmFunctions.map { ($0.name, $0.address) } + [("sincos", CFunction("sincos").address)]
        + Routine.all.map { ($0.name, $0.address) } + memory
}
