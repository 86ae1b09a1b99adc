import Synchronization

/// The storage of tensors whose values come later (`Tensor.Storage.deferred`): one computation of
/// several values, run the first time any of them is looked at, once for all of them. The results
/// of a nested transform inlined into a trace share one.
package final class DeferredValues: Sendable {
    private let compute: @Sendable () -> [Value]
    private let values = Mutex<[Value]?>(nil)

    init(_ compute: @escaping @Sendable () -> [Value]) {
        self.compute = compute
    }

    package subscript(k: Int) -> Value {
        values.withLock { cached in
            if cached == nil { cached = compute() }
            return cached![k]
        }
    }
}

/// Result k of a `DeferredValues` (the payload of `Tensor.Storage.deferred`): one reference, so
/// that the storage stays two words.
@usableFromInline package final class DeferredResult: Sendable {
    let values: DeferredValues
    let k: Int

    init(_ values: DeferredValues, _ k: Int) {
        self.values = values
        self.k = k
    }

    var value: Value { values[k] }
}
