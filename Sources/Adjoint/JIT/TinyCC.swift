import CTinyCC
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failure to turn generated C into native code.
///
/// Adjoint writes every C file that libtcc sees, so a compile or link failure is a bug in Adjoint's
/// code generator, never in the user's program: the description says so and shows the offending
/// source line, which is what a bug report needs. The one failure that is not ours is a system that
/// refuses to make memory executable (``Stage/executableMemoryDenied``).
package struct JITError: Error, CustomStringConvertible, Sendable {
    /// Where in the libtcc sequence the failure happened.
    package enum Stage: Sendable, Equatable {
        /// `tcc_new` returned NULL (out of memory).
        case create
        /// `tcc_compile_string` rejected the source.
        case compile
        /// `tcc_add_symbol` failed for a runtime symbol.
        case addSymbol
        /// `tcc_relocate` failed: an undefined symbol, or executable memory was refused.
        case relocate
        /// The system refuses executable memory, so libtcc was not asked to relocate at all.
        case executableMemoryDenied
        /// The source compiled, but libtcc warned (an implicit declaration, say, after which it
        /// assumes `int f()`), and strict mode (`ADJOINT_STRICT_JIT=1`) makes a warning fatal.
        case warning
    }

    package let stage: Stage
    /// Every message libtcc reported (errors and warnings), in order; empty when libtcc was not
    /// the one to fail (``Stage/create``, ``Stage/executableMemoryDenied``).
    package let messages: [String]
    /// The 1-based line of the generated source that the first error names, if it names one.
    package let line: Int?
    /// The text of that line.
    package let sourceLine: String?

    /// The named line and the one before it (tcc often names the line after a syntax mistake).
    let context: [(number: Int, text: String)]

    package init(stage: Stage, messages: [String], source: String) {
        self.stage = stage
        self.messages = messages
        let located = messages.first { $0.contains("error") && Self.lineNumber(in: $0) != nil }
            ?? messages.first { Self.lineNumber(in: $0) != nil }
        let line = located.flatMap(Self.lineNumber(in:))
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let valid = line.map { $0 >= 1 && $0 <= lines.count } ?? false
        self.line = line
        self.sourceLine = valid ? line.map { String(lines[$0 - 1]) } : nil
        self.context = valid ? line.map { named in
            (max(named - 1, 1)...named).map { ($0, String(lines[$0 - 1])) }
        } ?? [] : []
    }

    /// True when the system, not Adjoint, is at fault: relocation needs pages that are writable
    /// and executable, which SELinux, a hardened kernel or a seccomp policy may forbid.
    package var isExecutableMemoryDenied: Bool {
        stage == .executableMemoryDenied
            || (stage == .relocate && messages.contains { $0.contains("mprotect") })
    }

    package var description: String {
        var text: String
        if isExecutableMemoryDenied {
            text = "Adjoint cannot run compiled kernels here: the system refused to make memory "
                + "executable (mprotect with PROT_EXEC failed), which libtcc needs to load the code "
                + "it compiles. SELinux, a hardened kernel or a seccomp/W^X policy may forbid JIT "
                + "compilation in this process."
        } else if stage == .create {
            text = "Adjoint could not create a libtcc compiler state (tcc_new failed; out of memory?)."
        } else if stage == .warning {
            text = "Internal error: libtcc warned about the C code that Adjoint generated, and strict "
                + "mode (ADJOINT_STRICT_JIT=1) makes a warning fatal. This is a bug in Adjoint's "
                + "code generator, not in your program; please report it with this message."
        } else {
            text = "Internal error: the C code that Adjoint generated failed to "
                + (stage == .compile ? "compile" : "link") + " with libtcc. This is a bug in "
                + "Adjoint's code generator, not in your program; please report it with this message."
        }
        if !messages.isEmpty {
            text += "\nlibtcc said:\n" + messages.map { "  " + $0 }.joined(separator: "\n")
        }
        if let line, !context.isEmpty {
            text += "\noffending line \(line) of the generated C (with the line before it):"
            for (number, source) in context {
                text += "\n" + (number == line ? "> " : "  ") + "\(number) | \(source)"
            }
        }
        return text
    }

    /// Parses the line number from a libtcc message such as `<string>:12: error: ...`.
    static func lineNumber(in message: String) -> Int? {
        guard let prefix = message.firstRange(of: "<string>:") else { return nil }
        let digits = message[prefix.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return Int(digits)
    }
}

/// Collects libtcc's error and warning messages; libtcc calls back into it through an opaque
/// pointer, always while the compilation lock is held.
private final class MessageLog {
    var messages: [String] = []
}

/// The process-wide lock around libtcc.
///
/// libtcc 0.9.27 keeps global state during compilation (the release tarball without any guard, the
/// Debian snapshot behind a semaphore of its own), so every call from `tcc_new` through relocation,
/// and `tcc_delete`, runs under this one lock. Calling compiled code needs no lock.
enum TinyCC {
    static let lock = Mutex(())

    /// Whether a libtcc warning fails the compile (`Configuration.strictJIT`). A warning means
    /// libtcc guessed (an undeclared function becomes `int f()`), so the code may be wrong while
    /// it still runs.
    static var strict: Bool { Configuration.current.strictJIT }

    /// Whether this process may make memory writable and executable, asked once.
    ///
    /// libtcc 0.9.27 does not report a refused `mprotect` as an error: it prints "mprotect failed"
    /// and calls `exit(1)`, taking the whole program down. So before the first relocation we try
    /// what it will do (PROT_READ|WRITE|EXEC on an anonymous page and on a page of malloc's heap,
    /// where libtcc puts code) and throw a clear error instead if the system says no.
    static let executableMemoryAllowed: Bool = {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let rwx = PROT_READ | PROT_WRITE | PROT_EXEC
        let mapped = mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != UnsafeMutableRawPointer(bitPattern: -1) else { return false }
        defer { munmap(mapped, page) }
        guard mprotect(mapped, page, rwx) == 0, let heap = malloc(2 * page) else { return false }
        defer { free(heap) }
        let aligned = heap + (page - Int(bitPattern: heap) % page) % page
        guard mprotect(aligned, page, rwx) == 0 else { return false }
        return mprotect(aligned, page, PROT_READ | PROT_WRITE) == 0  // as it was, before free
    }()
}

/// A libtcc state handed out of the lock's closure (a raw pointer is not `Sendable`; the state is
/// owned by exactly one JITModule).
private struct StateHandle: @unchecked Sendable {
    let state: OpaquePointer
}

/// One libtcc compilation: generated C compiled into executable memory that lives exactly as long
/// as this object.
///
/// Function pointers from ``address(of:)`` or ``kernel(named:)`` are valid only while the module
/// is alive; whoever calls them must keep the module. After `init` the state is never mutated, so
/// the module may be shared between threads and its functions called concurrently.
package final class JITModule: @unchecked Sendable {
    private let state: OpaquePointer
    /// Kept alive because libtcc holds a pointer to it for the life of the state.
    private let log: MessageLog
    /// Warnings libtcc reported while compiling a source that did compile.
    package let diagnostics: [String]

    /// Compiles `source` (C99, no headers: see ``RuntimeSymbols/declarations``), binds each of
    /// `symbols` as an external definition, and relocates the code into executable memory.
    /// Under `ADJOINT_STRICT_JIT=1` a warning throws (``JITError/Stage/warning``).
    package convenience init(
        source: String, symbols: [(name: String, address: UnsafeRawPointer)]
    ) throws(JITError) {
        try self.init(source: source, symbols: symbols, strict: TinyCC.strict)
    }

    /// As ``init(source:symbols:)``, with strict mode given rather than read from the environment:
    /// when `strict` is true, a source that compiled with any libtcc warning throws.
    init(
        source: String, symbols: [(name: String, address: UnsafeRawPointer)], strict: Bool
    ) throws(JITError) {
        let log = MessageLog()
        let built = try TinyCC.lock.withLock { _ throws(JITError) in
            StateHandle(state: try Self.build(source: source, symbols: symbols, strict: strict, log: log))
        }
        self.state = built.state
        self.log = log
        self.diagnostics = log.messages
    }

    deinit {
        TinyCC.lock.withLock { _ in tcc_delete(state) }
    }

    /// The address of a global symbol of the compiled code, or nil if there is none.
    package func address(of symbol: String) -> UnsafeMutableRawPointer? {
        TinyCC.lock.withLock { _ in tcc_get_symbol(state, symbol) }
    }

    /// Runs the libtcc sequence; the caller holds the lock. On failure the state is deleted here.
    private static func build(
        source: String, symbols: [(name: String, address: UnsafeRawPointer)], strict: Bool,
        log: MessageLog
    ) throws(JITError) -> OpaquePointer {
        guard let state = tcc_new() else {
            throw JITError(stage: .create, messages: [], source: source)
        }
        tcc_set_error_func(state, Unmanaged.passUnretained(log).toOpaque()) { opaque, message in
            guard let opaque, let message else { return }
            let log = Unmanaged<MessageLog>.fromOpaque(opaque).takeUnretainedValue()
            log.messages.append(String(cString: message))
        }
        adjoint_tcc_configure(state)
        func fail(_ stage: JITError.Stage) -> JITError {
            tcc_delete(state)
            return JITError(stage: stage, messages: log.messages, source: source)
        }
        if tcc_compile_string(state, source) != 0 { throw fail(.compile) }
        for symbol in symbols where tcc_add_symbol(state, symbol.name, symbol.address) != 0 {
            log.messages.append("tcc_add_symbol failed for '\(symbol.name)'")
            throw fail(.addSymbol)
        }
        guard TinyCC.executableMemoryAllowed else {
            throw fail(.executableMemoryDenied)
        }
        if adjoint_tcc_relocate(state) != 0 { throw fail(.relocate) }
        // Compiled and linked, so everything libtcc said was a warning.
        if strict, !log.messages.isEmpty { throw fail(.warning) }
        return state
    }
}
