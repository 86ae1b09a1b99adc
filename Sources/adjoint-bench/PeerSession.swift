#if canImport(Glibc)
import Glibc
#endif

/// A peer script kept running beside the bench (`--serve FIFO`) and asked for one workload
/// group just before the bench measures its own rows of that group: both are taken within
/// seconds of each other, so their ratio holds on a shared machine whose load drifts over
/// minutes. One interpreter for the whole run, so each system is imported once.
final class PeerSession {
    private(set) var run = PeerRun()
    /// Seconds the peers took on the last group.
    private(set) var lastSeconds = 0.0
    private let script: String
    private var inputs: Set<String> = []
    private var directory: String?
    private var pipe: UnsafeMutablePointer<FILE>?
    private var commands: Int32 = -1

    init(_ script: String, inputs: [PeerArray], enabled: Bool) {
        self.script = script
        guard let (command, directory) = run.prepare(script, inputs: inputs, enabled: enabled) else { return }
        self.directory = directory
        self.inputs = Set(inputs.map(\.name))
        let fifo = "\(directory)/commands"
        // Read-write, so opening does not wait for the script; close-on-exec, so the script
        // holds no writing end and sees the end of its commands when the bench exits.
        guard mkfifo(fifo, 0o600) == 0, case let fd = open(fifo, O_RDWR | O_CLOEXEC), fd >= 0 else {
            run.note("peers skipped: no FIFO in \(directory)")
            close()
            return
        }
        commands = fd
        pipe = popen(command(["--serve", "'\(fifo)'"]), "r")
        if pipe == nil { run.note("peers skipped: popen failed"); close() }
    }

    /// Measures `group` (W1 … W6, GEMM) now; its figures and arrays join `run`.
    func measure(_ group: String) {
        guard let pipe, let directory else { return }
        let start = Measure.now()
        let line = Array((group + "\n").utf8)
        let written = line.withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
        if written == line.count && run.read(pipe, until: "done \(group)") {
            run.collect(directory, except: inputs)
        } else {
            close()   // the script ended (its error becomes a note)
        }
        lastSeconds = Measure.now() - start
    }

    /// Tells the script to quit, waits for it and removes the directory.
    func close() {
        if let pipe {
            let quit = Array("quit\n".utf8)
            _ = quit.withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
            _ = run.read(pipe, until: nil)
            let status = pclose(pipe)
            if let directory { run.finish(status, script, directory, inputs: inputs) }
            self.pipe = nil
        }
        if commands >= 0 { Glibc.close(commands); commands = -1 }
        if let directory { PeerRun.removeDirectory(directory); self.directory = nil }
    }

    deinit { close() }
}
