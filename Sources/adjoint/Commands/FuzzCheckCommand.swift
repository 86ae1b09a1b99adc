import ArgumentParser
import Glibc

/// `adjoint fuzz-check FILE` (hidden): runs the command line in-process on every case of a corpus
/// and prints each case's exit status, so a test can try thousands of inputs without spawning
/// thousands of processes. It is the same `CLI.run` as the process, with output collected and
/// no file written.
///
/// FILE has one case per line: the arguments, each as hexadecimal UTF-8 bytes (any bytes, NUL
/// and invalid UTF-8 included, decoded as the process decodes its arguments), separated by
/// spaces; an empty line is a case with no arguments. The output has one line per case,
/// `INDEX STATUS`, written as each case finishes, so that after a crash the last line names
/// the case before the culprit.
struct FuzzCheckCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-check",
        abstract: "Run the command line on every case of a corpus file (for tests).",
        shouldDisplay: false
    )

    @Argument(help: "The corpus: one case per line, arguments as hex bytes separated by spaces.")
    var corpus: String

    func execute(_ console: inout Console) throws(UsageError) {
        guard console.streaming else { throw UsageError("fuzz-check cannot run inside fuzz-check") }
        guard !corpus.utf8.contains(0), let file = fopen(corpus, "r") else {
            throw UsageError("cannot read \(quoted(corpus)): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var index = 0
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) >= 0, let line {
            let text = String(cString: line)
            let content = text.split(separator: "\n", omittingEmptySubsequences: false)[0]
            let arguments = try FuzzCheckCommand.decode(content)
            var collected = Console(streaming: false)
            let status = CLI.run(arguments, console: &collected)
            if status != 0 && status != CLI.usageStatus || (status == CLI.usageStatus && collected.errors.isEmpty) {
                Console.write("\(index) \(status) UNEXPECTED\n", to: 1)
            } else {
                Console.write("\(index) \(status)\n", to: 1)
            }
            index += 1
        }
    }

    /// `78 2b31` → ["x", "+1"].
    static func decode(_ line: Substring) throws(UsageError) -> [String] {
        try line.split(separator: " ").map { word throws(UsageError) in
            var bytes: [UInt8] = []
            var iterator = word.utf8.makeIterator()
            while let high = iterator.next() {
                guard let low = iterator.next(), let h = hexValue(high), let l = hexValue(low) else {
                    throw UsageError("corpus: \(quoted(String(word))) is not hexadecimal bytes")
                }
                bytes.append(h << 4 | l)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }
}
