/// Accumulates indented lines of C.
package struct CWriter: Sendable {
    package var buffer = CText()
    package var indent = 0

    private static let indents = (0..<16).map { String(repeating: "    ", count: $0) }

    /// What has been written.
    package var text: String { buffer.string }

    package mutating func line(_ s: String) {
        startLine()
        buffer += s
        buffer += "\n"
    }

    /// The indentation of a new line, for callers that write its text piece by piece.
    package mutating func startLine() {
        buffer += CWriter.indents[Swift.min(indent, 15)]
    }
}

/// C text under construction, as UTF-8 bytes. Kernels of 100k statements are megabytes written
/// a few bytes at a time; appending to a byte array skips the bookkeeping of String's appends
/// (capacity, ASCII and count flags), which cost more than the copying.
package struct CText: Sendable {
    package var bytes: [UInt8] = []

    package init() {}

    package static func += (text: inout CText, piece: String) {
        var piece = piece
        piece.withUTF8 { text.bytes.append(contentsOf: $0) }
    }

    /// The op table's C names and symbols are static strings: appended with no String made.
    package static func += (text: inout CText, piece: StaticString) {
        piece.withUTF8Buffer { text.bytes.append(contentsOf: $0) }
    }

    package var string: String { String(decoding: bytes, as: UTF8.self) }
}
