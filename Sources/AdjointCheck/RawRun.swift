import Adjoint

/// Runs a kernel on buffers of its own through `Kernel.run`: the one entry point both tiers share.
enum RawRun {
    struct GuardFailed: Error, CustomStringConvertible {
        var status: Int32
        var description: String { "the kernel's guard \(status - 1) failed at the point it was compiled for" }
    }

    static func run(_ kernel: Kernel, _ args: [Tensor]) throws -> [[Double]] {
        let inputs = args.map { arg in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(arg.count, 1))
            p.initialize(from: arg.scalars, count: arg.count)
            return p
        }
        let counts = kernel.outputShapes.map { $0.reduce(1, *) }
        let outputs = counts.map { n in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(n, 1))
            p.initialize(repeating: .nan, count: Swift.max(n, 1))
            return p
        }
        let workspace = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(kernel.workspaceCount, 1))
        workspace.initialize(repeating: .nan, count: Swift.max(kernel.workspaceCount, 1))
        defer { for p in inputs + outputs + [workspace] { p.deallocate() } }
        let status = kernel.run(inputs: inputs.map { UnsafePointer($0) }, outputs: outputs.map { $0 }, workspace: workspace)
        guard status == 0 else { throw GuardFailed(status: status) }
        return zip(outputs, counts).map { Array(UnsafeBufferPointer(start: $0, count: $1)) }
    }

    /// Bit for bit, every NaN counted as one (libtcc and clang make NaNs of different signs).
    static func sameBits(_ a: [[Double]], _ b: [[Double]]) -> Bool {
        func bits(_ xs: [Double]) -> [UInt64] { xs.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern } }
        return a.count == b.count && zip(a, b).allSatisfy { bits($0) == bits($1) }
    }
}
