import Runtime
import Synchronization

/// The first NaN or infinity that an operation made from finite operands, found by
/// `Tensor.debuggingNaNs` (JAX's `debug_nans`): which op, on which shapes, where in the user's
/// code, and whether it was the function itself or a derivative.
public struct NonFiniteError: Error, CustomStringConvertible, Sendable {
    /// The operation, as the graph names it (`log`, `div`, `matmul`, …).
    public var op: String
    /// The shapes of its operands, and of its result.
    public var operandShapes: [[Int]]
    /// The shape of its result.
    public var shape: [Int]
    /// The first non-finite element of the result.
    public var value: Double
    /// Where: `nil` for the function itself, else the transform's part (`reverse mode`, `forward
    /// mode`) and the op of the function whose derivative rule made it.
    public var derivative: String?
    /// The user's `file:line` that made the operation (or the one whose derivative it is), when
    /// the binary has debug information.
    public var location: String?
    /// `eager`, `interpreter` or `compiled kernel` (re-run by the interpreter to find the node).
    public var evaluatedBy: String

    public var description: String {
        let shapes = operandShapes.map(Shape.describe).joined(separator: ", ")
        var text = "\(value) made by \(op) of shapes \(shapes) (result \(Shape.describe(shape)))"
        if let derivative { text += " in the \(derivative)" }
        text += ", at \(location ?? "an unknown line (no debug information)"), evaluated by the \(evaluatedBy)"
        return text
    }
}

extension Tensor {
    /// Runs `body` watching every operation, interpreted or compiled, for the first that makes
    /// a NaN or an infinity from finite operands, in the function or in any derivative of it,
    /// and throws it as a `NonFiniteError` when `body` returns. Compiled kernels run as usual;
    /// when one returns a non-finite value, the same call is evaluated again by the interpreter,
    /// node by node, to find where it came from. Slow (every traced op records where it was
    /// made): for finding a NaN, not for production.
    public static func debuggingNaNs<T>(_ body: () throws -> T) throws -> T {
        let sink = NaNDebug.Sink()
        NaNDebug.active.add(1, ordering: .relaxed)
        defer { NaNDebug.active.subtract(1, ordering: .relaxed) }
        let result = try NaNDebug.$sink.withValue(sink) { try body() }
        if let error = sink.first.withLock({ $0 }) { throw error }
        return result
    }
}

package enum NaNDebug {
    package final class Sink: Sendable {
        let first = Mutex<NonFiniteError?>(nil)
    }

    @TaskLocal static var sink: Sink?
    /// How many `debuggingNaNs` scopes are open in the process: a relaxed load on the hot paths,
    /// so that the task-local is read only while someone is debugging.
    static let active = Atomic<Int>(0)

    /// The watching scope of the running task, if any.
    @inline(__always)
    package static var current: Sink? { active.load(ordering: .relaxed) > 0 ? sink : nil }

    package static func record(_ error: NonFiniteError, in sink: Sink) {
        sink.first.withLock { if $0 == nil { $0 = error } }
    }

    static func isFinite(_ values: [Double]) -> Bool { values.allSatisfy(\.isFinite) }

    /// An eager or tracing-time evaluation: the user's code is on the stack right now.
    package static func check(_ op: Op, _ operands: [Tensor], result: [Double], shape: [Int]) {
        guard let sink = current, !isFinite(result), operands.allSatisfy({ isFinite($0.scalars) }) else { return }
        record(NonFiniteError(op: op.name, operandShapes: operands.map(\.shape), shape: shape,
                              value: result.first { !$0.isFinite }!, derivative: nil,
                              location: userLocation(try? Backtrace.capture()), evaluatedBy: "eager evaluation"), in: sink)
    }

    /// The first frame of a backtrace outside Adjoint's own sources, as `file:line`.
    static func userLocation(_ backtrace: Backtrace?) -> String? {
        guard let frames = backtrace?.symbolicated()?.frames else { return nil }
        for frame in frames {
            guard let place = frame.symbol?.sourceLocation, !place.path.hasPrefix(librarySources) else { continue }
            return "\(place.path):\(place.line)"
        }
        return nil
    }

    /// This library's source folder (`…/Sources/Adjoint/`), as the debug information names it.
    static let librarySources: String = {
        let parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        guard let k = parts.indices.last(where: { $0 + 1 < parts.count && parts[$0] == "Sources" && parts[$0 + 1] == "Adjoint" })
        else { return "\(#filePath)" }
        return parts[...(k + 1)].joined(separator: "/") + "/"
    }()
}

extension NaNDebug {
    /// The interpreter's watch over one run: the first node whose result is not finite while its
    /// operands all are is reported, with where the graph says it came from.
    package struct Watch {
        let graph: Graph
        let sink: Sink
        var finite: [Bool]
        var reported = false

        package init(graph: Graph, sink: Sink) {
            self.graph = graph
            self.sink = sink
            finite = [Bool](repeating: true, count: graph.count)
        }

        package mutating func evaluated(_ id: NodeID, _ values: [Double]) {
            finite[id.int] = NaNDebug.isFinite(values)
            guard !reported, !finite[id.int], graph[id].operands.allSatisfy({ finite[$0.int] }) else { return }
            reported = true
            let node = graph[id]
            let origin = graph.provenance?.origin(of: id.int)
            var derivative: String?
            if let origin, let mode = origin.mode {
                derivative = "\(mode) derivative of \(graph[NodeID(origin.node)].op.name)"
            }
            let site = origin.flatMap { graph.provenance?.site(of: $0.node) }
            NaNDebug.record(NonFiniteError(op: node.op.name, operandShapes: node.operands.map { graph.shape($0) },
                                           shape: node.shape, value: values.first { !$0.isFinite }!,
                                           derivative: derivative, location: NaNDebug.userLocation(site),
                                           evaluatedBy: "interpreter"), in: sink)
        }
    }
}

extension NaNDebug {
    /// After a compiled call: when a result is not finite, evaluates the same call again with the
    /// interpreter (`rerun`), whose watch finds the node. A kernel whose NaN the interpreter
    /// does not reproduce is reported as such (it would be a bug in the compiler).
    package static func checkCompiled(_ results: [Tensor], rerun: () -> Void) {
        guard let sink = current, let bad = results.first(where: { !isFinite($0.scalars) }) else { return }
        let before = sink.first.withLock { $0 != nil }
        guard !before else { return }
        rerun()
        sink.first.withLock { first in
            if first != nil {
                first!.evaluatedBy = "interpreter, re-running a compiled kernel that returned \(bad.scalars.first { !$0.isFinite }!)"
            } else {
                first = NonFiniteError(op: "compiled kernel", operandShapes: [], shape: bad.shape,
                                       value: bad.scalars.first { !$0.isFinite }!, derivative: nil, location: nil,
                                       evaluatedBy: "compiled kernel (the interpreter computes finite values here: a bug in Adjoint)")
            }
        }
    }
}
