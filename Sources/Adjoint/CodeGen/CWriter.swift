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

    /// Every non-empty line of `other`, each indented by this writer's indentation on top of its
    /// own (a loop body written apart, then placed inside its loop; W6's and the LSTM's are
    /// megabytes, so this works on bytes).
    package mutating func lines(of other: CWriter) {
        let prefix = Array(CWriter.indents[Swift.min(indent, 15)].utf8)
        var start = 0
        let bytes = other.buffer.bytes
        for (k, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            if k > start {
                buffer.bytes += prefix
                buffer.bytes += bytes[start...k]
            }
            start = k + 1
        }
        if start < bytes.count {
            buffer.bytes += prefix
            buffer.bytes += bytes[start...]
            buffer.bytes.append(UInt8(ascii: "\n"))
        }
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
