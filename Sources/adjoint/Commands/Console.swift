import Glibc

/// Where a command's text goes: standard output and standard error, and the files named by `-o`.
///
/// The process writes through to file descriptors 1 and 2; the in-process `fuzz-check` mode
/// collects the text instead and writes no file, so thousands of runs leave nothing behind.
struct Console {
    /// Write-through (the process) or collected (fuzz-check).
    let streaming: Bool
    /// Text written to standard output, when collected.
    private(set) var output = ""
    /// Text written to standard error, when collected.
    private(set) var errors = ""

    init(streaming: Bool) { self.streaming = streaming }

    /// Files are written only when streaming: a collected run has no side effects.
    var writesFiles: Bool { streaming }

    mutating func print(_ text: String) {
        if streaming { Console.write(text + "\n", to: 1) } else { output += text + "\n" }
    }

    mutating func printError(_ text: String) {
        if streaming { Console.write(text + "\n", to: 2) } else { errors += text + "\n" }
    }

    /// Writes `contents` to `path` (`-` is standard output), or reports why it cannot.
    mutating func write(_ contents: String, toFile path: String, option: String = "-o") throws(UsageError) {
        if path == "-" {
            if streaming { Console.write(contents, to: 1) } else { output += contents }
            return
        }
        guard !path.isEmpty else { throw UsageError("\(option) needs a file name") }
        guard !path.utf8.contains(0) else { throw UsageError("\(option) \(quoted(path)): a file name cannot contain a NUL byte") }
        guard writesFiles else { return }
        guard let file = fopen(path, "w") else {
            throw UsageError("cannot write \(quoted(path)) (\(option)): \(String(cString: strerror(errno)))")
        }
        var text = contents
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        guard written == contents.utf8.count, closed == 0 else {
            throw UsageError("cannot write \(quoted(path)) (\(option)): \(String(cString: strerror(errno)))")
        }
    }

    /// write(2) in a loop, so a large C file or SVG is written whole even to a pipe.
    static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}

/// A problem with what the user typed: the message is printed after `Error: ` and the
/// process exits with status 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// User text quoted for a message: control characters drawn as `?`, cut after 40 characters,
/// so that a one-megabyte or binary argument cannot flood or disturb the terminal.
func quoted(_ text: String, limit: Int = 40) -> String {
    var shown = ""
    var count = 0
    for character in text {
        if count == limit {
            shown += "..."
            break
        }
        let visible = character.unicodeScalars.allSatisfy { !$0.properties.generalCategory.isControlOrInvisible }
        shown += visible ? String(character) : "?"
        count += 1
    }
    return "'" + shown + "'"
}

extension Unicode.GeneralCategory {
    /// Control, format, surrogate, private-use and unassigned code points.
    var isControlOrInvisible: Bool {
        switch self {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
