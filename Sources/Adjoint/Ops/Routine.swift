import AdjointRuntime

/// A Runtime routine: C in `Runtime/`, compiled with the package, that kernels call for heavy
/// work. One descriptor says everything the stages need: the name, the prototype (read from
/// `Runtime/include/adjoint_runtime.h`, the single source of prototypes), the address that
/// libtcc registers and the optimized tier binds, and the file `--standalone` output pastes.
/// The code generator, both tiers and the standalone writer loop over ``all``.
package struct Routine: Hashable, @unchecked Sendable {
    /// The C name (`adj_matmul`).
    package let name: String
    /// The file in `Runtime/` that defines it (`matmul.c`).
    package let file: String
    /// Immutable and valid for the life of the process.
    package let address: UnsafeRawPointer
    /// Other files of `Runtime/` whose routines this file's routines call (a factorization calls
    /// the matrix product): `--standalone` output pastes them too.
    package let needs: [String]
    /// A function of doubles that elementwise code calls per element (`adj_tanh`): the optimized
    /// tier pastes its file into the kernel as static inline code, so the compiler vectorizes
    /// the loops that call it, instead of reaching it through a pointer.
    package let isElementwise: Bool

    package init(name: String, file: String, address: UnsafeRawPointer, needs: [String] = [], isElementwise: Bool = false) {
        self.name = name
        self.file = file
        self.address = address
        self.needs = needs
        self.isElementwise = isElementwise
    }

    /// Every routine, in the order of the optimized tier's binding table.
    package static let all: [Routine] = [
        .matmul, .solveTriangular, .sincos, .matmulBatched, .cumsum, .scatterAdd, .sort,
        .substitute, .gemmSubtract, .lu, .luSolve, .luLogAbsDet, .cholesky, .convolution, .eigh, .qr, .svd,
        .rowsDot, .rowsAccumulate, .tanh, .exp,
    ]

    /// The files `--standalone` output pastes for routines `called`: theirs and the ones they
    /// need, and so on (a factorization needs matmul.c, whose product needs matmul_avx512.c).
    package static func files(for called: Set<String>) -> [String] {
        var files = Set(all.filter { called.contains($0.name) }.map(\.file))
        var pending = Array(files)
        while let file = pending.popLast() {
            for needed in all.filter({ $0.file == file }).flatMap(\.needs) where files.insert(needed).inserted {
                pending.append(needed)
            }
        }
        return files.sorted()
    }

    package static func == (a: Routine, b: Routine) -> Bool { a.name == b.name }
    package func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The declaration in the runtime header, on one line (`void adj_matmul(const double *a, …);`).
    package var prototype: String {
        guard let found = Routine.prototypes[name] else {
            preconditionFailure("Runtime/include/adjoint_runtime.h declares no \(name)")
        }
        return found
    }

    /// The same declaration as a pointer variable (`void (*adj_matmul)(…)`), for the optimized
    /// tier, which reaches routines through pointers that `adj_bind` sets.
    package var pointerDeclaration: String {
        let text = String(prototype.dropLast())  // the ';'
        let parts = text.split(separator: " \(name)(", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return text }
        return parts[0] + " (*\(name))(" + parts[1]
    }

    /// Every prototype of the header, by name, each joined onto one line.
    private static let prototypes: [String: String] = {
        var result: [String: String] = [:]
        var statement = ""
        for line in RuntimeSource.header.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.trimmingPrefix(while: { $0 == " " })
            if text.hasPrefix("//") || text.hasPrefix("#") || text.hasPrefix("/*") || text.hasPrefix("*") { continue }
            statement += statement.isEmpty ? String(text) : " " + text
            guard statement.hasSuffix(";") else { continue }
            if let open = statement.firstIndex(of: "("),
               let name = statement[..<open].split(whereSeparator: { $0 == " " || $0 == "*" }).last {
                result[String(name)] = statement
            }
            statement = ""
        }
        return result
    }()
}
