import Foundation

/// Tests/Golden, the one folder of golden C files: `prelude.c` pins the prelude every kernel
/// starts with (`Prelude.text`), once; each kernel's file holds only what follows it (the tensor
/// constants and the function), so that a new op changes prelude.c and no kernel's file. The
/// library's kernels are named for what they compute (tanh-grad.c), the command line's
/// `adjoint c` outputs `cli-<name>.c`. `ADJOINT_UPDATE_GOLDEN=1 swift test --filter Golden`
/// rewrites every one of them, prelude.c included.
public enum Golden {
    /// This file is Tests/TestSupport/Golden.swift.
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Golden")

    /// The file that pins the prelude.
    public static let preludeFile = "prelude.c"

    /// True when the tests write the golden files instead of comparing with them.
    public static var updating: Bool { ProcessInfo.processInfo.environment["ADJOINT_UPDATE_GOLDEN"] == "1" }

    public static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    public static func read(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    public static func write(_ text: String, to name: String) throws {
        try text.write(to: url(name), atomically: true, encoding: .utf8)
    }

    /// What follows `prelude` in `source`, byte for byte; nil if `source` does not start with
    /// exactly `prelude`.
    public static func kernel(of source: String, after prelude: String) -> String? {
        guard source.utf8.starts(with: prelude.utf8) else { return nil }
        return String(decoding: source.utf8.dropFirst(prelude.utf8.count), as: UTF8.self)
    }

    /// A file the system C compiler can build: prelude.c and the kernel file `name`, joined
    /// (the text the kernel was emitted as). The caller removes it.
    public static func joinedWithPrelude(_ name: String) throws -> URL {
        let joined = FileManager.default.temporaryDirectory
            .appendingPathComponent("adjoint-golden-\(UUID().uuidString)-\(name)")
        try (read(preludeFile) + read(name)).write(to: joined, atomically: true, encoding: .utf8)
        return joined
    }
}
