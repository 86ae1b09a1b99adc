import Adjoint
import Glibc

/// `adjoint c --graph`: the traced graph as Graphviz `dot` text, or drawn as SVG by Graphviz's
/// `dot` when `-o` names a `.svg` file.
enum GraphOutput {
    /// The picture of `function` at `shapes`, named after the command line's variables and results.
    static func text(_ function: @escaping ([Tensor]) -> [Tensor], shapes: [[Int]], inputs: [String],
                     outputs: [String]) throws(UsageError) -> String {
        let traced = try checkingShapes { Staging.trace(shapes.map { Tensor.zeros($0) }, function) }
        return GraphPicture.dot(traced, inputNames: inputs, outputNames: outputs)
    }

    /// Writes `dot` text to `path`: drawn by Graphviz for `.svg`, as it is otherwise.
    static func write(_ text: String, to path: String, _ console: inout Console) throws(UsageError) {
        guard path.hasSuffix(".svg") else { return try console.write(text, toFile: path) }
        guard let program = which("dot") else {
            throw UsageError("-o \(quoted(path)): drawing SVG needs Graphviz's dot on the PATH (apt-get install graphviz), or write the dot text with -o FILE.dot")
        }
        guard console.writesFiles else { return }
        let quotedPath = "'" + path.replacing("'", with: "'\\''") + "'"
        guard let pipe = popen("'\(program)' -Tsvg -o \(quotedPath)", "w") else {
            throw UsageError("cannot run \(program): \(String(cString: strerror(errno)))")
        }
        var contents = text
        _ = contents.withUTF8 { fwrite($0.baseAddress, 1, $0.count, pipe) }
        let status = pclose(pipe)
        guard status == 0 else { throw UsageError("\(program) could not draw \(quoted(path)) (status \(status))") }
    }

    /// The first `program` on the PATH.
    private static func which(_ program: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { access($0, X_OK) == 0 && !$0.contains("'") }
    }
}
