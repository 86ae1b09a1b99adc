#if canImport(Glibc)
import Glibc
#endif

/// One named array the bench hands to a peer script: `<name>.bin` (float64, row-major) in the
/// run's directory, its shape a line `name dim...` of `manifest.txt` there.
struct PeerArray {
    let name: String
    let shape: [Int]
    let values: [Double]
}

/// A peer script (under `peers/`, run by the peers' virtual environment's Python) measured in
/// this run, on the bench's own arrays, which it reads from a temporary directory the bench
/// writes and removes. Used by W1–W6 and GEMM (`peers/workloads_peer.py`) and by W7
/// (`peers/linalg_peer.py`). Without the environment (or with `--no-peers`) the bench goes on
/// without the peers and says so.
///
/// The script prints lines `time <measure> <tag> <seconds>`, `value <measure> <tag> <x>`,
/// `version <text>`, `note <text>` and `skip <system> <reason>`; every other `.bin` file it
/// leaves in the directory comes back as an array under its name.
struct PeerRun {
    /// Seconds by "measure tag" (`jax_per_call W1`, `numpy_cholesky 200`, …).
    private(set) var times: [String: Double] = [:]
    /// Values by "measure tag".
    private(set) var values: [String: Double] = [:]
    /// The arrays the script wrote, by file name without `.bin`.
    private(set) var arrays: [String: [Double]] = [:]
    /// What the run said about itself: notes, skipped systems, or why it did not run.
    private(set) var notes: [String] = []
    /// The peers' versions ("numpy 2.4.6", …).
    private(set) var versions: [String] = []

    func time(_ measure: String, _ tag: String) -> Double? { times["\(measure) \(tag)"] }
    func value(_ measure: String, _ tag: String) -> Double? { values["\(measure) \(tag)"] }
    /// True when the script ran (whatever it skipped).
    var ran: Bool { !versions.isEmpty }

    /// Environment variables for every script: the harness's knobs (`--quick` shortens them).
    nonisolated(unsafe) static var environment = ["PYTHONDONTWRITEBYTECODE": "1"]

    /// The environment: $PEERS_VENV, else ~/.cache/adjoint-peers-venv (made by scripts/peers-venv).
    static var venv: String {
        if let path = getenv("PEERS_VENV") { return String(cString: path) }
        return (getenv("HOME").map { String(cString: $0) } ?? "") + "/.cache/adjoint-peers-venv"
    }

    /// A script of `peers/` beside this file (found from the source path, as the examples find
    /// their data): the repository carries its peers, nothing outside it is read at run time.
    static func script(_ name: String) -> String {
        let here = "\(#filePath)"
        return String(here[..<(here.lastIndex(of: "/") ?? here.endIndex)]) + "/peers/" + name
    }

    /// Runs `script` on `inputs` (and `arguments` after the directory), or notes why not.
    static func run(_ script: String, inputs: [PeerArray], arguments: [String] = [], enabled: Bool) -> PeerRun {
        var run = PeerRun()
        guard let (command, directory) = run.prepare(script, inputs: inputs, enabled: enabled) else { return run }
        defer { removeDirectory(directory) }
        guard let pipe = popen(command(arguments), "r") else { run.notes.append("peers skipped: popen failed"); return run }
        _ = run.read(pipe, until: nil)
        run.finish(pclose(pipe), script, directory, inputs: Set(inputs.map(\.name)))
        return run
    }

    /// Checks the environment and the script, writes `inputs` to a new directory: the command
    /// (given the script's arguments after the directory) and the directory; nil with a note if not.
    mutating func prepare(_ script: String, inputs: [PeerArray], enabled: Bool) -> ((([String]) -> String), String)? {
        let python = Self.venv + "/bin/python", path = Self.script(script)
        guard enabled else { notes.append("peers skipped (--no-peers)"); return nil }
        guard access(python, X_OK) == 0 else {
            notes.append("peers skipped: no virtual environment at \(Self.venv) (scripts/peers-venv makes it)")
            return nil
        }
        guard access(path, R_OK) == 0 else { notes.append("peers skipped: \(path) not found"); return nil }
        var template = Array("/tmp/adjoint-bench-peers-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { notes.append("peers skipped: no temporary directory"); return nil }
        let directory = String(cString: made)
        guard Self.write(inputs, to: directory) else {
            Self.removeDirectory(directory)
            notes.append("peers skipped: cannot write \(directory)")
            return nil
        }
        let variables = Self.environment.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let command = { (arguments: [String]) in
            "env \(variables) '\(python)' '\(path)' '\(directory)' \(arguments.joined(separator: " ")) 2>'\(directory)/stderr.txt'"
        }
        return (command, directory)
    }

    /// After the script ended (`status` from pclose): its arrays, and its error if it failed.
    mutating func finish(_ status: Int32, _ script: String, _ directory: String, inputs: Set<String>) {
        collect(directory, except: inputs)
        let code = status == -1 ? -1 : (status >> 8) & 0xff
        if code != 0 {
            let error = Self.read(text: "\(directory)/stderr.txt").split(separator: "\n").suffix(3).joined(separator: " | ")
            notes.append("\(script) exited with status \(code): \(error)")
        }
    }

    /// Parses the script's lines from `pipe` until the line `end` (true) or the end of its
    /// output (false).
    mutating func read(_ pipe: UnsafeMutablePointer<FILE>, until end: String?) -> Bool {
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), pipe) != nil {
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let line = text.split(separator: "\n").first.map(String.init) ?? ""
            if let end, line == end { return true }
            parse(line)
        }
        return false
    }

    mutating func note(_ text: String) { notes.append(text) }

    private mutating func parse(_ line: String) {
        let fields = line.split(separator: " ", maxSplits: 3).map(String.init)
        switch fields.first {
        case "time" where fields.count == 4: times["\(fields[1]) \(fields[2])"] = Double(fields[3])
        case "value" where fields.count == 4: values["\(fields[1]) \(fields[2])"] = Double(fields[3])
        case "version": versions.append(String(line.dropFirst("version ".count)))
        case "note": notes.append(String(line.dropFirst("note ".count)))
        case "skip": notes.append("\(fields.dropFirst().first ?? "?") skipped: \(fields.dropFirst(2).joined(separator: " "))")
        default: if !line.isEmpty { notes.append("peer script: \(line)") }
        }
    }

    /// Reads back every `.bin` file of `directory` the bench did not write (and not read before).
    mutating func collect(_ directory: String, except inputs: Set<String>) {
        for name in Self.files(in: directory) where name.hasSuffix(".bin") {
            let stem = String(name.dropLast(4))
            if !inputs.contains(stem), arrays[stem] == nil, let values = Self.read("\(directory)/\(name)") { arrays[stem] = values }
        }
    }
}
