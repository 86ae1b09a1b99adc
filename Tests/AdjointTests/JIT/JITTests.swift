import AdjointRuntime
import Testing
import TestSupport

@testable import Adjoint

#if canImport(Glibc)
import Glibc
#endif

extension SplitMix64 {
    /// Deterministic values in [-1, 1), so failures reproduce.
    mutating func array(_ count: Int) -> [Double] { (0..<count).map { _ in Double.random(in: -1..<1, using: &self) } }
}

/// Compiles `body` after the runtime prelude, with every runtime symbol registered.
private func jitCompile(_ body: String) throws(JITError) -> JITModule {
    try JITModule(source: Prelude.text + body, symbols: RuntimeSymbols.all)
}

/// Runs a kernel with the given inputs and output sizes; returns its result code and outputs.
private func jitRun(
    _ kernel: KernelFunction, inputs: [[Double]], outputSizes: [Int], workspace: Int = 0
) -> (code: Int32, outputs: [[Double]]) {
    let inputBuffers = inputs.map { values in
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(values.count, 1))
        buffer.initialize(from: values, count: values.count)
        return buffer
    }
    let outputBuffers = outputSizes.map { size in
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(size, 1))
        buffer.initialize(repeating: .nan, count: max(size, 1))
        return buffer
    }
    let work = UnsafeMutablePointer<Double>.allocate(capacity: max(workspace, 1))
    defer {
        (inputBuffers + outputBuffers + [work]).forEach { $0.deallocate() }
    }
    let inputPointers: [UnsafePointer<Double>?] = inputBuffers.map { UnsafePointer($0) }
    let outputPointers: [UnsafeMutablePointer<Double>?] = outputBuffers
    let code = kernel(inputPointers, outputPointers, work)
    let outputs = zip(outputBuffers, outputSizes).map { Array(UnsafeBufferPointer(start: $0, count: $1)) }
    return (code, outputs)
}

@Suite("JIT module")
struct JITModuleTests {
    @Test func kernelCallsLibmAndMatmul() throws {
        let module = try jitCompile("""
            struct Pair { double v[6]; };
            int k(const double *const *in, double *const *out, double *ws) {
                const double *x = in[0];
                double *y = out[0];
                double w[4] = {0};
                struct Pair p, q;
                for (long i = 0; i < 5; i++) {
                    y[i] = adj_exp(x[i]) + sin(x[i]) * adj_tanh(x[i]) + pow(x[i] + 2.0, 3.5) + log1p(x[i] + 1.0);
                    p.v[i] = y[i];
                }
                q = p;
                adj_matmul(in[1], in[2], out[1], 2, 3, 2, 0, 0);
                ws[0] = w[0] + w[3];
                return (int)q.v[4] == (int)y[4] ? 7 : 0;
            }
            """)
        #expect(module.diagnostics.isEmpty)
        let kernel = try #require(module.kernel(named: "k"))
        let x = [-0.75, -0.1, 0, 0.5, 2.25]
        let a = [1.0, 2, 3, 4, 5, 6], b = [0.5, -1, 2, 0.25, -3, 4]
        let (code, outputs) = jitRun(kernel, inputs: [x, a, b], outputSizes: [5, 4], workspace: 1)
        #expect(code == 7)
        for i in 0..<5 {
            let v = x[i]
            let expected = adj_exp(v) + sin(v) * adj_tanh(v) + pow(v + 2, 3.5) + log1p(v + 1)
            #expect(abs(outputs[0][i] - expected) <= 1e-15 * abs(expected))
        }
        #expect(outputs[1] == [-4.5, 11.5, -6, 21.25])
    }

    @Test func compileErrorNamesTheLine() throws {
        let source = "int k(void) {\n    double x = 1.0;\n    double y = x * missing;\n    return 0;\n}\n"
        let error = #expect(throws: JITError.self) {
            try JITModule(source: source, symbols: [])
        }
        let jitError = try #require(error)
        #expect(jitError.stage == .compile)
        #expect(jitError.line == 3)
        #expect(jitError.sourceLine == "    double y = x * missing;")
        #expect(jitError.description.contains("bug in Adjoint's code generator"))
        #expect(jitError.description.contains("<string>:3: error: 'missing' undeclared"))
        #expect(jitError.description.contains("> 3 |     double y = x * missing;"))
    }

    /// tcc names the line where it noticed the mistake, often the next one, so the description
    /// also shows the line before.
    @Test func syntaxErrorShowsTheBadLine() throws {
        let source = "int k(void) {\n    double x = 1.0;\n    double y = x * ;\n    return 0;\n}\n"
        let error = #expect(throws: JITError.self) {
            try JITModule(source: source, symbols: [])
        }
        let jitError = try #require(error)
        #expect(jitError.stage == .compile)
        #expect(jitError.line == 3 || jitError.line == 4)
        #expect(jitError.description.contains("bug in Adjoint's code generator"))
        #expect(jitError.description.contains("3 |     double y = x * ;"))
    }

    @Test func undefinedSymbolIsALinkBug() throws {
        let error = #expect(throws: JITError.self) {
            try JITModule(source: "double nope(double);\nint k(void) { return (int)nope(1.0); }\n",
                          symbols: [])
        }
        let jitError = try #require(error)
        #expect(jitError.stage == .relocate)
        #expect(!jitError.isExecutableMemoryDenied)
        #expect(jitError.description.contains("nope"))
        #expect(jitError.description.contains("bug in Adjoint's code generator"))
    }

    @Test func missingSymbolIsNil() throws {
        let module = try jitCompile("int k(const double *const *i, double *const *o, double *w) { return 0; }\n")
        #expect(module.kernel(named: "k") != nil)
        #expect(module.address(of: "absent") == nil)
    }

    @Test func deniedExecutableMemoryIsNotCalledABug() {
        let error = JITError(stage: .executableMemoryDenied, messages: [], source: "int k;")
        #expect(error.isExecutableMemoryDenied)
        #expect(error.description.contains("refused to make memory executable"))
        #expect(!error.description.contains("bug"))
        #expect(TinyCC.executableMemoryAllowed)  // this machine allows JIT code
    }

    @Test func lineNumberParsing() {
        #expect(JITError.lineNumber(in: "<string>:12: error: ';' expected") == 12)
        #expect(JITError.lineNumber(in: "tcc: error: undefined symbol 'f'") == nil)
    }
}

@Suite("JIT runtime symbols")
struct JITRuntimeSymbolTests {
    /// The addresses must be the C functions themselves, not Swift thunks around them.
    @Test func addressesAreTheCFunctions() throws {
        let routines = Set(Routine.all.map(\.name))
        for symbol in RuntimeSymbols.all where !routines.contains(symbol.name) {
            let loaded = try #require(dlsym(nil, symbol.name), "dlsym(\(symbol.name))")
            #expect(UnsafeRawPointer(loaded) == symbol.address, "\(symbol.name)")
        }
    }

    /// The prelude declares each function once, and registers every function it declares: both
    /// are derived from the rows and the routine descriptors, never from a list of names.
    @Test func everySymbolIsDeclaredOnce() {
        let names = RuntimeSymbols.all.map(\.name)
        #expect(Set(names).count == names.count)
        for name in ["adj_exp", "log", "sin", "cos", "tan", "adj_tanh", "sqrt", "pow", "fabs", "log1p", "expm1", "atan",
                     "memset", "memcpy", "memmove", "adj_matmul", "adj_solve_triangular", "adj_sincos", "sincos"] {
            #expect(names.contains(name), "\(name)")
        }
        for name in names where !["memset", "memcpy", "memmove"].contains(name) {
            let declared = Prelude.text.split(separator: ";").filter {
                $0.hasSuffix(" \(name)(double") || $0.contains(" \(name)(double)") || $0.contains(" \(name)(const")
                    || $0.contains(" \(name)(double, double)") || $0.contains(" \(name)(double, double *")
            }
            #expect(declared.count == 1, "\(name)")
        }
        var c = [Double](repeating: .nan, count: 12)
        for ta: Int32 in [0, 1] {
            for tb: Int32 in [0, 1] {
                adj_matmul(nil, nil, &c, 3, 0, 4, ta, tb)
                #expect(c.allSatisfy { $0 == 0 })
            }
        }
    }
}

@Suite struct JITPreludeTests {
    /// Every function the code generator declares is one the JIT registers.
    @Test func everyDeclaredFunctionIsRegistered() {
        let registered = Set(RuntimeSymbols.all.map(\.name))
        // The prelude's declarations (its static helpers, some of several lines, define no symbol).
        let declarations = Prelude.libmDeclarations + Routine.all.map { $0.prototype + "\n" }.joined()
        #expect(Prelude.text.contains(declarations))
        let declared = declarations.split(separator: "\n").filter { !$0.hasPrefix("static") && !$0.hasPrefix("/*") }
            .flatMap { $0.split(separator: ";") }
            .compactMap { declaration -> String? in
                guard let open = declaration.firstIndex(of: "(") else { return nil }
                return declaration[..<open].split(whereSeparator: { $0 == " " || $0 == "*" }).last.map(String.init)
            }
        #expect(declared.count >= 12)
        for name in declared { #expect(registered.contains(name), "\(name)") }
    }
}
