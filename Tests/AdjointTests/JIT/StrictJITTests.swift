import Testing

@testable import Adjoint

#if canImport(Glibc)
import Glibc
#endif

/// Strict mode (`ADJOINT_STRICT_JIT=1`, which scripts/test sets): a libtcc warning fails the
/// compile. The tests pass `strict` explicitly, so they do not depend on the environment.
@Suite("JIT strict mode")
struct StrictJITTests {
    /// `helper` is called before it is declared: libtcc assumes `int helper()` and only warns.
    static let implicitDeclaration = """
        int k(const double *const *in, double *const *out, double *ws) { return helper(2); }
        int helper(int x) { return x + 1; }

        """

    @Test func warningThrowsWhenStrict() throws {
        let error = #expect(throws: JITError.self) {
            try JITModule(source: Self.implicitDeclaration, symbols: [], strict: true)
        }
        let jitError = try #require(error)
        #expect(jitError.stage == .warning)
        #expect(jitError.line == 1)
        #expect(jitError.description.contains("ADJOINT_STRICT_JIT=1"))
        #expect(jitError.description.contains("bug in Adjoint's code generator"))
        #expect(jitError.description.contains("warning: implicit declaration of function 'helper'"),
                "\(jitError.description)")
        #expect(!jitError.isExecutableMemoryDenied)
    }

    @Test func warningIsKeptWhenNotStrict() throws {
        let module = try JITModule(source: Self.implicitDeclaration, symbols: [], strict: false)
        #expect(module.diagnostics.count == 1)
        #expect(module.diagnostics.first?.contains("implicit declaration of function 'helper'") == true,
                "\(module.diagnostics)")
        let kernel = try #require(module.kernel(named: "k"))
        #expect(kernel(nil, nil, nil) == 3)
    }

    /// A source without warnings compiles the same either way.
    @Test(arguments: [false, true])
    func cleanSourceCompiles(strict: Bool) throws {
        let source = "int k(const double *const *in, double *const *out, double *ws) { return 5; }\n"
        let module = try JITModule(source: source, symbols: [], strict: strict)
        #expect(module.diagnostics.isEmpty)
        let kernel = try #require(module.kernel(named: "k"))
        #expect(kernel(nil, nil, nil) == 5)
    }

    /// The public path reads the environment once, as scripts/test sets it.
    @Test func strictFollowsTheEnvironment() {
        let variable = getenv("ADJOINT_STRICT_JIT").map { String(cString: $0) }
        #expect(TinyCC.strict == (variable == "1"))
    }
}
