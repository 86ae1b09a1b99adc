import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Batch evaluation: one compiled function at many argument sets, spread over the cores.
extension CompiledFunction {
    /// The function at every argument set of `batch`, in order, computed on `threads` threads
    /// at once (by default one per core). Kernels are reentrant and each call takes a workspace
    /// of its own, so the calls run truly in parallel; a new shape or branch is compiled once,
    /// by whichever thread meets it first. For a batch of one tensor per call
    /// (`CompiledFunction<Tensor, …>`) pass the tensors; for two, pairs; for a parameter list, lists.
    public func map(_ batch: [Arguments], threads: Int? = nil) -> [Result] {
        let inputs = batch.map(Self.tensors)
        let workers = Swift.max(1, Swift.min(threads ?? Batch.cores, inputs.count))
        let outputs = UnsafeMutableBufferPointer<[Tensor]>.allocate(capacity: inputs.count)
        outputs.initialize(repeating: [])
        defer { outputs.deinitialize().deallocate() }
        let slots = Batch.Slots(outputs)
        let specializations = self.specializations
        let next = Batch.Counter()
        let work: @Sendable (Int) -> Void = { _ in
            while let k = next.take(below: inputs.count) { slots.store(specializations.call(inputs[k]), at: k) }
        }
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        return outputs.map(Self.result)
    }

    /// The tensors of one argument set, in order.
    static func tensors(_ arguments: Arguments) -> [Tensor] {
        switch arguments {
        case let x as Tensor: [x]
        case let xs as [Tensor]: xs
        case let (a, b) as (Tensor, Tensor): [a, b]
        case let (a, b, c) as (Tensor, Tensor, Tensor): [a, b, c]
        case let (a, b, c, d) as (Tensor, Tensor, Tensor, Tensor): [a, b, c, d]
        case let (xs, vs) as ([Tensor], [Tensor]): xs + vs
        default: fatalError("CompiledFunction.map: arguments of type \(Arguments.self) are not supported")
        }
    }

    /// A call's result as `Result`, from the kernel's outputs in order (as `callAsFunction` makes it).
    static func result(_ r: [Tensor]) -> Result {
        if Result.self == Tensor.self { return r[0] as! Result }
        if Result.self == [Tensor].self { return r as! Result }
        if Result.self == (value: Tensor, gradient: Tensor).self { return (value: r[0], gradient: r[1]) as! Result }
        if Result.self == (value: Tensor, gradient: [Tensor]).self { return (value: r[0], gradient: Array(r.dropFirst())) as! Result }
        if Result.self == (value: Tensor, tangent: Tensor).self { return (value: r[0], tangent: r[1]) as! Result }
        if Result.self == (value: Tensor, cotangent: Tensor).self { return (value: r[0], cotangent: r[1]) as! Result }
        fatalError("CompiledFunction.map: results of type \(Result.self) are not supported")
    }
}

enum Batch {
    static let cores = Swift.max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))


    /// Hands out indices 0, 1, 2, … to the threads of a batch.
    final class Counter: @unchecked Sendable {
        private let value = Mutex(0)
        func take(below count: Int) -> Int? {
            value.withLock { k in
                guard k < count else { return nil }
                defer { k += 1 }
                return k
            }
        }
    }

    /// The outputs of a batch: each index is written by one thread, read after all have finished.
    struct Slots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<[Tensor]>
        init(_ buffer: UnsafeMutableBufferPointer<[Tensor]>) { self.buffer = buffer }
        func store(_ value: [Tensor], at k: Int) { buffer[k] = value }
    }
}
