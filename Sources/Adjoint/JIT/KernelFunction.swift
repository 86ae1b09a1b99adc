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
