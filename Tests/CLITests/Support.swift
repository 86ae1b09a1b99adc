import Foundation
import Testing

/// The result of running the `adjoint` executable once.
struct Run {
    var status: Int32
    /// False when a signal ended the process (a crash).
    var exited: Bool
    var output: String
    var errors: String
}

enum CLI {
    /// The package's root directory (this file is Tests/CLITests/Support.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The built `adjoint`: $ADJOINT_EXECUTABLE if set, else next to the test bundle (the
    /// build products directory), else under the package's .build/debug.
    static let executable: URL = {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["ADJOINT_EXECUTABLE"] {
            candidates.append(URL(fileURLWithPath: path))
        }
        for bundle in [Bundle.main.bundleURL, Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])]
            .compactMap({ $0 }) {
            var directory = bundle.resolvingSymlinksInPath()
            for _ in 0..<4 {
                directory = directory.deletingLastPathComponent()
                candidates.append(directory.appendingPathComponent("adjoint"))
            }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/adjoint"))
        let found = candidates.first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: url.path)
        }
        return found ?? candidates[candidates.count - 1]
    }()

    /// Runs `adjoint` with `arguments` in `directory`, its output captured through files (pipes
    /// could fill and block). Past `timeout` seconds the process is killed, which the result
    /// shows as a signal (`exited` false): a run that never ends fails instead of hanging the tests.
    static func run(_ arguments: [String], in directory: URL? = nil, timeout: Double? = nil) throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("adjoint-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey:
                "the adjoint executable is not at \(executable.path): build it (swift build) or set ADJOINT_EXECUTABLE"])
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? scratch
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        if let timeout {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Run(status: process.terminationStatus, exited: process.terminationReason == .exit,
                   output: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                   errors: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// Runs a command that must succeed, and returns its standard output.
    static func succeed(_ arguments: [String], in directory: URL? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let run = try run(arguments, in: directory)
        #expect(run.exited && run.status == 0, "adjoint \(arguments) failed: \(run.errors)", sourceLocation: sourceLocation)
        return run.output
    }

    /// Runs `adjoint eval ... --json` and returns the value and gradients as (shape, values).
    static func evalJSON(_ arguments: [String]) throws -> (value: [Double], gradients: [String: [Double]], shapes: [String: [Int]]) {
        let run = try run(["eval"] + arguments + ["--json"])
        #expect(run.exited && run.status == 0, "adjoint eval \(arguments) failed: \(run.errors)")
        // Nothing on standard error: in particular no "falling back to the interpreter" (a kernel
        // that libtcc refused), so the compiled path really ran.
        #expect(run.errors.isEmpty, "adjoint eval \(arguments): \(run.errors)")
        let text = run.output
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        func numbers(_ any: Any?) -> [Double] { (any as? [Any] ?? []).map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
        let value = try #require(object["value"] as? [String: Any])
        var gradients: [String: [Double]] = [:]
        var shapes: [String: [Int]] = ["value": (value["shape"] as? [Int]) ?? [-1]]
        for (name, entry) in object["gradients"] as? [String: Any] ?? [:] {
            let entry = entry as? [String: Any] ?? [:]
            gradients[name] = numbers(entry["values"])
            shapes[name] = (entry["shape"] as? [Int]) ?? [-1]
        }
        if let hessian = object["hessian"] as? [String: Any] {
            for (name, entry) in hessian {
                let entry = entry as? [String: Any] ?? [:]
                gradients["hessian " + name] = numbers(entry["values"])
                shapes["hessian " + name] = (entry["shape"] as? [Int]) ?? [-1]
            }
        }
        return (numbers(value["values"]), gradients, shapes)
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("adjoint-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a tool such as cc; nil when it is not installed.
    static func tool(_ name: String, _ arguments: [String], in directory: URL) throws -> Run? {
        guard let path = ["/usr/bin", "/usr/local/bin", "/bin"].map({ "\($0)/\(name)" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = directory.appendingPathComponent(".\(name)-out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return Run(status: process.terminationStatus, exited: process.terminationReason == .exit,
                   output: String(decoding: try Data(contentsOf: out), as: UTF8.self), errors: "")
    }
}

/// Largest relative difference (scaled by the magnitude, at least 1).
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) / max(1, abs($0), abs($1)) }.max() ?? 0
}

