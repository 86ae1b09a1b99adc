import Adjoint

/// Tensors as `eval` prints them: NumPy-like nested brackets for people, or JSON.
enum TensorText {
    /// Swift's shortest text that reads back to the same double (`0.1`, `14.0`, `1e-05`).
    static func number(_ value: Double) -> String { "\(value)" }

    /// JSON has no NaN or infinity: they print as `null`.
    static func jsonNumber(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

    /// `{"shape": [2, 3], "values": [1.0, ...]}`, values row-major.
    static func json(_ tensor: Tensor) -> String {
        let shape = tensor.shape.map(String.init).joined(separator: ", ")
        let values = tensor.scalars.map(jsonNumber).joined(separator: ", ")
        return "{\"shape\": [\(shape)], \"values\": [\(values)]}"
    }

    /// A scalar as a number; a vector on one line; higher ranks with one row per line, columns
    /// aligned, and a blank line between blocks of rank 3 and up (as NumPy prints them).
    static func text(_ tensor: Tensor) -> String {
        let shape = tensor.shape
        let cells = tensor.scalars.map(number)
        guard !shape.isEmpty else { return cells[0] }
        let width = shape.count >= 2 ? cells.map(\.count).max() ?? 0 : 0
        let padded = cells.map { String(repeating: " ", count: max(0, width - $0.count)) + $0 }
        var out = ""
        nest(padded[...], shape: shape[...], depth: 0, into: &out)
        return out
    }

    private static func nest(_ cells: ArraySlice<String>, shape: ArraySlice<Int>, depth: Int, into out: inout String) {
        out += "["
        guard shape.count > 1 else {
            out += cells.joined(separator: ", ") + "]"
            return
        }
        let rows = shape[shape.startIndex]
        let stride = cells.count / max(rows, 1)
        for row in 0..<rows {
            if row > 0 {
                out += ","
                out += String(repeating: "\n", count: shape.count - 1)
                out += String(repeating: " ", count: depth + 1)
            }
            let start = cells.startIndex + row * stride
            nest(cells[start..<start + stride], shape: shape.dropFirst(), depth: depth + 1, into: &out)
        }
        out += "]"
    }

    /// `name = value`, or the name and the value indented below when the value spans lines.
    static func labeled(_ name: String, _ tensor: Tensor) -> String {
        let text = text(tensor)
        guard text.contains("\n") else { return "\(name) = \(text)" }
        return "\(name) =\n" + text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}
