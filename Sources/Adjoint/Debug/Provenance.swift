import Runtime
import Synchronization

/// Where each node of a graph came from, kept only while `Tensor.debuggingNaNs` is watching:
/// the backtrace of the user's op that traced it, or the node whose derivative rule made it.
package final class Provenance: Sendable {
    private struct State {
        var sites: [Int: Backtrace] = [:]
        var derivedFrom: [Int: (node: Int, mode: String)] = [:]
        var current: (node: Int, mode: String)?
    }
    private let state = Mutex(State())

    package init() {}

    /// A node was made: by the derivative rule running now, if any, else by the user's code.
    package func made(_ node: Int) {
        let deriving = state.withLock { s -> Bool in
            guard let current = s.current else { return false }
            if s.derivedFrom[node] == nil { s.derivedFrom[node] = current }
            return true
        }
        if !deriving, let backtrace = try? Backtrace.capture() {
            state.withLock { s in if s.sites[node] == nil { s.sites[node] = backtrace } }
        }
    }

    /// Runs `body` (a derivative rule of `node`) with every node it makes attributed to `node`.
    package func deriving<T>(_ node: Int, mode: String, _ body: () -> T) -> T {
        let saved = state.withLock { s in defer { s.current = (node, mode) }; return s.current }
        defer { state.withLock { $0.current = saved } }
        return body()
    }

    /// The node a derivative node comes from (following chains), and the transform's part.
    package func origin(of node: Int) -> (node: Int, mode: String?) {
        state.withLock { s in
            var node = node, mode: String?
            while let from = s.derivedFrom[node] { node = from.node; mode = mode ?? from.mode }
            return (node, mode)
        }
    }

    package func site(of node: Int) -> Backtrace? { state.withLock { $0.sites[node] } }

    /// Copies what is known of `from`'s node `source` to this graph's node `target` (inlining,
    /// where `map` takes `from`'s node ids to this graph's). The inner graph's site wins: the
    /// copy itself was made by the transform's call, one frame out from the op.
    package func copy(_ source: Int, of from: Provenance, to target: Int, map: (Int) -> Int) {
        let (site, derived) = from.state.withLock { ($0.sites[source], $0.derivedFrom[source]) }
        state.withLock { s in
            if let site { s.sites[target] = site }
            if let derived, s.derivedFrom[target] == nil, map(derived.node) != target {
                s.derivedFrom[target] = (map(derived.node), derived.mode)
            }
        }
    }
}
