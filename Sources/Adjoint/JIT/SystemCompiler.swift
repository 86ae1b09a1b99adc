#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a kernel could not be given its optimized tier. The kernel keeps running the code libtcc
/// compiled, so this is never a wrong answer, only a slower one.
public struct TierError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure it was.
    public enum Reason: Sendable, Equatable {
        /// No working C compiler was found (`ADJOINT_CC`, or `clang`, `cc`, `gcc` on the PATH, and
        /// able to build a trivial shared object), or `ADJOINT_CC=off` turned the tier off.
        case noCompiler
        /// The compiler could not be started, or the temporary files could not be written.
        case system
        /// The compiler rejected the generated C: a bug in Adjoint's code generator.
        case compile
        /// `dlopen` or `dlsym` refused the shared object the compiler wrote.
        case load
    }

    /// What kind of failure it was.
    public let reason: Reason
    /// What went wrong, with the compiler's command line and its output when it ran.
    public let detail: String

    /// A message for a person: what failed, and that the kernel keeps libtcc's code.
    public var description: String {
        switch reason {
        case .noCompiler:
            "Adjoint's optimized tier is unavailable: \(detail). Kernels keep running the code libtcc compiled."
        case .system, .load:
            "Adjoint could not build the optimized tier: \(detail). Kernels keep running the code libtcc compiled."
        case .compile:
            "Internal error: the C that Adjoint generated failed to compile with the system C compiler. "
                + "This is a bug in Adjoint's code generator, not in your program; please report it "
                + "with this message.\n\(detail)"
        }
    }
}

/// The system's C compiler, run as a child process to build a kernel's C at full optimization
/// into a shared object that this process loads (the optimized tier; see ``Kernel/optimize()``).
///
/// The flags keep the arithmetic exactly the C's: `-ffp-contract=off` forbids fusing a multiply
/// and an add into one rounding, nothing like `-ffast-math` allows reassociation, and
/// `-fno-builtin` keeps every libm call a call to the libm that libtcc's code calls (as builtins,
/// `pow(x, -1.0)` becomes `1.0 / x`, which glibc's `pow` does not always equal to the bit, and
/// `sin` and `cos` of one value merge into `sincos`). So the optimized code computes the same IEEE
/// operations in the same order as libtcc's, vectorized where that changes nothing.
package struct SystemCompiler: Sendable {
    package let path: String
    package static let flags = ["-O2", "-march=native", "-ffp-contract=off", "-fno-builtin", "-std=c99", "-fPIC", "-shared", "-w"]

    package init(path: String) {
        self.path = path
    }

    /// The compiler named by `ADJOINT_CC` (a path or a command name; `off` for none), else the
    /// first of `clang` (Swift's toolchain has one), `cc`, `gcc` on the PATH.
    package static let found: Result<SystemCompiler, TierError> = {
        let chosen = Configuration.current.compiler
        if let chosen, ["off", "0", "none", "no"].contains(chosen.lowercased()) {
            return .failure(TierError(reason: .noCompiler, detail: "ADJOINT_CC=\(chosen) turns it off"))
        }
        let candidates = chosen.map { [$0] } ?? ["clang", "cc", "gcc"]
        for name in candidates {
            if let path = executable(named: name) { return .success(SystemCompiler(path: path)) }
        }
        let detail = chosen.map { "ADJOINT_CC=\($0) is not an executable file" }
            ?? "no C compiler (clang, cc or gcc) on the PATH"
        return .failure(TierError(reason: .noCompiler, detail: detail))
    }()

    /// ``found``, once it has built and loaded a trivial shared object with ``flags``: after that,
    /// a failure to build a kernel is a fault of the kernel's C, not of the installation (a
    /// compiler without a linker or without `-march=native`). Checked on first use, in the
    /// background build, so finding the compiler costs a kernel's compile nothing.
    package static let usable: Result<SystemCompiler, TierError> = found.flatMap { compiler in
        do throws(TierError) {
            _ = try compiler.build(source: "int adj_probe(void) { return 0; }\n")
            return .success(compiler)
        } catch {
            return .failure(TierError(reason: .noCompiler, detail: "\(compiler.path) cannot build a shared "
                + "object with \(flags.joined(separator: " ")): \(error.detail)"))
        }
    }

    /// `name` itself when it contains a slash, else the first match on the PATH.
    static func executable(named name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = Configuration.current.searchPath
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Compiles `source` into a shared object in a fresh temporary directory, loads it, and
    /// removes the files (the loaded code stays mapped).
    package func build(source: String) throws(TierError) -> SharedObject {
        let base = Configuration.current.temporaryDirectory
        var template = Array("\(base)/adjoint-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        guard let directory = made else {
            throw TierError(reason: .system, detail: "cannot create a temporary directory in \(base) (errno \(errno))")
        }
        let cFile = directory + "/kernel.c", object = directory + "/kernel.so", log = directory + "/compiler.log"
        defer {
            for file in [cFile, object, log] { unlink(file) }
            rmdir(directory)
        }
        guard write(source, to: cFile) else {
            throw TierError(reason: .system, detail: "cannot write \(cFile) (errno \(errno))")
        }
        let arguments = [path] + Self.flags + ["-o", object, cFile, "-lm"]
        let status = try run(arguments, output: log)
        guard status == .exited(0) else {
            // The directory's random name is left out, so that one failure reads the same each time.
            let said = String(decoding: read(log).prefix(4000), as: UTF8.self).replacing(directory, with: "$TMPDIR/adjoint-…")
            let command = arguments.joined(separator: " ").replacing(directory, with: "$TMPDIR/adjoint-…")
            guard case .exited(let code) = status else {
                // Killed (out of memory, or by someone): not a fault of the C.
                throw TierError(reason: .system, detail: "`\(command)` was killed by signal \(status.signal)")
            }
            throw TierError(reason: .compile, detail: "`\(command)` exited with status \(code) and said:\n\(said)")
        }
        return try SharedObject(path: object)
    }

    private func write(_ text: String, to file: String) -> Bool {
        guard let handle = fopen(file, "w") else { return false }
        var text = text
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, handle) == $0.count }
        return fclose(handle) == 0 && written
    }

    private func read(_ file: String) -> [UInt8] {
        guard let handle = fopen(file, "r") else { return [] }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, handle)
            if n <= 0 { return bytes }
            bytes += chunk[..<n]
        }
    }

    /// How a child process ended.
    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)

        var signal: Int32 { if case .signaled(let s) = self { s } else { 0 } }
    }

    /// Runs `arguments` with standard output and error going to `output`; how it ended.
    ///
    /// The child starts with no signal blocked and default handlers: the thread that spawns it
    /// (a Dispatch worker) blocks most signals, and a compiler that inherited that mask could not
    /// be interrupted.
    private func run(_ arguments: [String], output: String) throws(TierError) -> Termination {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw TierError(reason: .system, detail: "cannot run \(path) (error \(spawned))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw TierError(reason: .system, detail: "waitpid failed for \(path) (errno \(errno))")
            }
        }
        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}

/// A shared object loaded with `dlopen`, unloaded when the last reference goes. Addresses from
/// ``address(of:)`` are valid only while it is alive.
package final class SharedObject: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer

    init(path: String) throws(TierError) {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw TierError(reason: .load, detail: "dlopen: " + Self.lastError())
        }
        self.handle = handle
    }

    deinit { dlclose(handle) }

    package func address(of symbol: String) throws(TierError) -> UnsafeMutableRawPointer {
        guard let address = dlsym(handle, symbol) else {
            throw TierError(reason: .load, detail: "dlsym(\(symbol)): " + Self.lastError())
        }
        return address
    }

    private static func lastError() -> String {
        dlerror().map { String(cString: $0) } ?? "unknown error"
    }
}
