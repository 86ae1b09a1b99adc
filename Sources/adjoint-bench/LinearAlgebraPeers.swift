#if canImport(Glibc)
import Glibc
#endif

/// W7's peers (NumPy's LAPACK, JAX, autograd), measured in the same run: `peers/linalg_peer.py`
/// run by the peers' virtual environment's Python on the bench's own matrices, which it reads
/// from files the bench writes. Without the environment (or with `--no-peers`) the bench goes on
/// without them and says so.
struct LinearAlgebraPeers {
    /// Seconds per call by `name` and n (`numpy_cholesky`, `jax_value_and_grad`, …).
    private(set) var times: [String: Double] = [:]
    /// Values (`numpy_forward`, `jax_value_and_grad`) by name and n.
    private(set) var values: [String: Double] = [:]
    /// Gradients by system (`numpy`, `jax`) and n, row-major.
    private(set) var gradients: [String: [Double]] = [:]
    /// What the run said about itself: skipped systems, or why it did not run.
    private(set) var notes: [String] = []
    /// The peers' versions ("numpy 2.4.6", …).
    private(set) var versions: [String] = []

    func time(_ name: String, _ n: Int) -> Double? { times["\(name) \(n)"] }
    func value(_ name: String, _ n: Int) -> Double? { values["\(name) \(n)"] }
    func gradient(_ system: String, _ n: Int) -> [Double]? { gradients["\(system) \(n)"] }

    /// The environment: $PEERS_VENV, else ~/.cache/adjoint-peers-venv (../shared/peers/run_all.sh).
    static var venv: String {
        if let path = getenv("PEERS_VENV") { return String(cString: path) }
        return (getenv("HOME").map { String(cString: $0) } ?? "") + "/.cache/adjoint-peers-venv"
    }

    /// The script beside this file's directory (found from the source path, as the examples find
    /// their data).
    static var script: String {
        let here = "\(#filePath)"
        return String(here[..<(here.lastIndex(of: "/") ?? here.endIndex)]) + "/peers/linalg_peer.py"
    }

    /// Runs the peers on `data` (n → A, b, B, row-major), or notes why not.
    static func run(_ data: [(n: Int, a: [Double], b: [Double], bMatrix: [Double])], enabled: Bool) -> LinearAlgebraPeers {
        var peers = LinearAlgebraPeers()
        let python = venv + "/bin/python"
        guard enabled else { peers.notes.append("peers skipped (--no-peers)"); return peers }
        guard access(python, X_OK) == 0 else {
            peers.notes.append("peers skipped: no virtual environment at \(venv) (create it with ../shared/peers/run_all.sh, "
                               + "or python3 -m venv \(venv) && \(venv)/bin/pip install numpy jax autograd)")
            return peers
        }
        guard access(script, R_OK) == 0 else { peers.notes.append("peers skipped: \(script) not found"); return peers }
        var template = Array("/tmp/adjoint-bench-w7-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { peers.notes.append("peers skipped: no temporary directory"); return peers }
        let directory = String(cString: made)
        defer { removeDirectory(directory) }
        for item in data where !write(item.a + item.b + item.bMatrix, to: "\(directory)/w7_\(item.n).bin") {
            peers.notes.append("peers skipped: cannot write \(directory)")
            return peers
        }
        let sizes = data.map { String($0.n) }.joined(separator: " ")
        let command = "'\(python)' '\(script)' '\(directory)' \(sizes) 2>'\(directory)/stderr.txt'"
        let status = peers.read(command)
        for item in data {
            for system in ["numpy", "jax"] {
                if let g = read("\(directory)/grad_\(system)_\(item.n).bin", count: item.n * item.n) {
                    peers.gradients["\(system) \(item.n)"] = g
                }
            }
        }
        if status != 0 {
            let error = read(text: "\(directory)/stderr.txt").split(separator: "\n").suffix(3).joined(separator: " | ")
            peers.notes.append("peer script exited with status \(status): \(error)")
        }
        return peers
    }

    /// Runs `command` and parses its lines; returns its exit status.
    private mutating func read(_ command: String) -> Int32 {
        guard let pipe = popen(command, "r") else { notes.append("peers skipped: popen failed"); return -1 }
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), pipe) != nil {
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            parse(line.split(separator: "\n").first.map(String.init) ?? "")
        }
        let status = pclose(pipe)
        return status == -1 ? -1 : (status >> 8) & 0xff
    }

    private mutating func parse(_ line: String) {
        let fields = line.split(separator: " ", maxSplits: 3).map(String.init)
        switch fields.first {
        case "time" where fields.count == 4: times["\(fields[1]) \(fields[2])"] = Double(fields[3])
        case "value" where fields.count == 4: values["\(fields[1]) \(fields[2])"] = Double(fields[3])
        case "version": versions.append(fields.dropFirst().joined(separator: " "))
        case "skip": notes.append("\(fields.dropFirst().first ?? "?") skipped: \(fields.dropFirst(2).joined(separator: " "))")
        default: if !line.isEmpty { notes.append("peer script: \(line)") }
        }
    }

    private static func write(_ values: [Double], to path: String) -> Bool {
        guard let file = fopen(path, "wb") else { return false }
        defer { fclose(file) }
        return values.withUnsafeBufferPointer { fwrite($0.baseAddress, 8, $0.count, file) } == values.count
    }

    private static func read(_ path: String, count: Int) -> [Double]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var values = [Double](repeating: 0, count: count)
        let got = values.withUnsafeMutableBufferPointer { fread($0.baseAddress, 8, count, file) }
        return got == count ? values : nil
    }

    private static func read(text path: String) -> String {
        guard let file = fopen(path, "r") else { return "" }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Removes the files the bench and the script wrote, then the directory.
    private static func removeDirectory(_ path: String) {
        guard let dir = opendir(path) else { return }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { unlink("\(path)/\(name)") }
        }
        closedir(dir)
        rmdir(path)
    }
}
