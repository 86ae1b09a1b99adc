#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The library's settings, in one value. The environment is read once, when the value is first
/// used; nothing deeper in the stages reads an environment variable. Tests and programs may
/// replace the value (``Kernel/optimizesAutomatically`` is the public face of one field).
package struct Configuration: Sendable, Equatable {
    /// `ADJOINT_STRICT_JIT=1` (set by scripts/test): a libtcc warning or a rejected kernel is
    /// fatal, so that no test passes on the interpreter's answers or on a guess of libtcc's.
    package var strictJIT = false
    /// `ADJOINT_CC`: the C compiler of the optimized tier, a path or a command name (`off` for
    /// none); nil: the first of clang, cc, gcc on ``searchPath``.
    package var compiler: String?
    /// `PATH`: where compilers are looked for.
    package var searchPath = "/usr/bin:/bin"
    /// `TMPDIR`: where the optimized tier's builds write their files.
    package var temporaryDirectory = "/tmp"
    /// Whether kernels build their optimized tier by themselves once they have run enough code.
    package var optimizesAutomatically = true

    package init() {}

    /// The settings the environment gives.
    package static func fromEnvironment() -> Configuration {
        func variable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        var configuration = Configuration()
        configuration.strictJIT = variable("ADJOINT_STRICT_JIT") == "1"
        configuration.compiler = variable("ADJOINT_CC")
        configuration.searchPath = variable("PATH") ?? configuration.searchPath
        configuration.temporaryDirectory = variable("TMPDIR") ?? configuration.temporaryDirectory
        return configuration
    }

    private static let shared = Mutex(Configuration.fromEnvironment())

    /// The settings in force.
    package static var current: Configuration {
        get { shared.withLock { $0 } }
        set { shared.withLock { $0 = newValue } }
    }

    /// Changes one setting.
    package static func update(_ change: (inout Configuration) -> Void) {
        shared.withLock { change(&$0) }
    }
}
