#if canImport(Glibc)
import Glibc
#endif

/// The files a peer run goes through: the bench's arrays and manifest in, the script's arrays
/// back, the directory removed at the end.
extension PeerRun {
    /// Writes each array to `<directory>/<name>.bin` and their shapes to `manifest.txt`.
    static func write(_ arrays: [PeerArray], to directory: String) -> Bool {
        for array in arrays where !write(array.values, to: "\(directory)/\(array.name).bin") { return false }
        let manifest = arrays.map { ([$0.name] + $0.shape.map(String.init)).joined(separator: " ") + "\n" }.joined()
        guard let file = fopen("\(directory)/manifest.txt", "w") else { return false }
        defer { fclose(file) }
        return fputs(manifest, file) >= 0
    }

    private static func write(_ values: [Double], to path: String) -> Bool {
        guard let file = fopen(path, "wb") else { return false }
        defer { fclose(file) }
        return values.withUnsafeBufferPointer { fwrite($0.baseAddress, 8, $0.count, file) } == values.count
    }

    /// The float64 values of a file, as many as it holds.
    static func read(_ path: String) -> [Double]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        fseek(file, 0, SEEK_END)
        let count = ftell(file) / 8
        fseek(file, 0, SEEK_SET)
        var values = [Double](repeating: 0, count: count)
        let got = values.withUnsafeMutableBufferPointer { fread($0.baseAddress, 8, count, file) }
        return got == count ? values : nil
    }

    static func read(text path: String) -> String {
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

    /// The names of the entries of `path` (without `.` and `..`).
    static func files(in path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes the files the bench and the script wrote, then the directory.
    static func removeDirectory(_ path: String) {
        for name in files(in: path) { unlink("\(path)/\(name)") }
        rmdir(path)
    }
}
