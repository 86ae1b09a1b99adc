#if canImport(Glibc)
import Glibc
#endif

/// The machine the figures come from, as `lscpu` names it, and the vector extensions that
/// decide the matrix kernels (ours and the BLAS's): printed at the top of the report.
enum Machine {
    static func description() -> [String] {
        let lscpu = output(of: "lscpu 2>/dev/null")
        let model = field("Model name", in: lscpu) ?? "unknown CPU (no lscpu)"
        let flags = Set((field("Flags", in: lscpu) ?? "").split(separator: " ").map(String.init))
        let vector = ["avx512f", "avx2"].map { "\($0) \(flags.contains($0) ? "yes" : "no")" }.joined(separator: ", ")
        let cores = field("CPU(s)", in: lscpu).map { ", \($0) CPUs" } ?? ""
        return ["machine: \(model) (lscpu)\(cores); \(vector)", "load at the start: \(load())"]
    }

    /// /proc/loadavg's 1, 5 and 15 minute averages: above the CPU count the machine was shared
    /// while the bench ran, and ratios between figures taken minutes apart (ours, the peers') drift.
    static func load() -> String {
        let fields = PeerRun.read(text: "/proc/loadavg").split(separator: " ").prefix(3)
        return fields.count == 3 ? "load average \(fields.joined(separator: ", ")) (1, 5, 15 min)" : "unknown"
    }

    /// The value of `name:` in lscpu's output.
    private static func field(_ name: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return line.dropFirst(name.count + 1).trimmingCharacters()
        }
        return nil
    }

    /// What `command` prints on its standard output.
    static func output(of command: String) -> String {
        guard let pipe = popen(command, "r") else { return "" }
        defer { pclose(pipe) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, pipe)
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
