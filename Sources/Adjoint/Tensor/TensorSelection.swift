/// A subscript resolved against a shape: what each axis keeps, and the way back. Reading is a
/// chain of (strided) slices and, for listed positions that are not evenly spaced, one gather
/// per axis; writing (`updating(at:with:)`) places the new values with the adjoint chain (pads
/// and scatter-adds) and selects them with a constant mask, so both are composites and
/// differentiate, in the tensor and in the value, like any other.
struct TensorSelection {
    enum Action: Equatable {
        case keep
        case slice(start: Int, end: Int, step: Int)
        case gather([Int])
    }

    /// One per axis of the operand.
    var actions: [Action] = []
    /// The shape after the actions (the operand's rank).
    var kept: [Int] = []
    /// The result's shape: integer positions removed, new axes inserted.
    var result: [Int] = []

    init(_ shape: [Int], _ items: [TensorIndex]) throws(ShapeError) {
        let consuming = items.filter { $0 != .ellipsis && $0 != .newAxis }.count
        let ellipses = items.filter { $0 == .ellipsis }.count
        guard ellipses <= 1 else { throw ShapeError("subscript", [shape], "more than one ellipsis") }
        guard consuming <= shape.count else {
            throw ShapeError("subscript", [shape], "too many indices (\(consuming)) for rank \(shape.count)")
        }
        var expanded: [TensorIndex] = []
        for item in items {
            if item == .ellipsis { expanded += Array(repeating: .all, count: shape.count - consuming) } else { expanded.append(item) }
        }
        if ellipses == 0 { expanded += Array(repeating: .all, count: shape.count - consuming) }
        var d = 0
        for item in expanded {
            if item == .newAxis {
                result.append(1)
                continue
            }
            let n = shape[d]
            let action = try TensorSelection.action(item, n, axis: d, shape)
            actions.append(action)
            let extent: Int
            switch action {
            case .keep: extent = n
            case .slice(let start, let end, let step): extent = Structure.stepCount(start, end, step)
            case .gather(let positions): extent = positions.count
            }
            kept.append(extent)
            if case .index = item {} else { result.append(extent) }
            d += 1
        }
    }

    private static func action(_ item: TensorIndex, _ n: Int, axis d: Int, _ shape: [Int]) throws(ShapeError) -> Action {
        func position(_ i: Int) throws(ShapeError) -> Int {
            let p = i < 0 ? i + n : i
            guard (0..<n).contains(p) else {
                throw ShapeError("subscript", [shape], "index \(i) out of range for axis \(d) of extent \(n)")
            }
            return p
        }
        switch item {
        case .all, .ellipsis, .newAxis: return .keep
        case .index(let i):
            let p = try position(i)
            return .slice(start: p, end: p + 1, step: 1)
        case .range(let lower, let upper, let through):
            let lo = lower.map { $0 < 0 ? $0 + n : $0 } ?? 0
            var hi = upper.map { $0 < 0 ? $0 + n : $0 } ?? n
            if through { hi += 1 }
            guard (0...n).contains(lo), (0...n).contains(hi) else {
                let bounds = "\(lower.map(String.init) ?? "")\(through ? "..." : "..<")\(upper.map(String.init) ?? "")"
                throw ShapeError("subscript", [shape], "range \(bounds) out of range for axis \(d) of extent \(n)")
            }
            return lo == 0 && hi == n ? .keep : .slice(start: lo, end: Swift.max(lo, hi), step: 1)
        case .positions(let listed):
            var ps: [Int] = []
            for i in listed { ps.append(try position(i)) }
            guard let first = ps.first else { return .slice(start: 0, end: 0, step: 1) }
            let step = ps.count > 1 ? ps[1] - ps[0] : 1
            let even = step != 0 && ps.indices.allSatisfy { ps[$0] == first + $0 * step }
            return even ? .slice(start: first, end: first + ps.count * step, step: step) : .gather(ps)
        }
    }

    /// The selected elements of `t`, shaped as `result`.
    func select(_ t: Tensor) -> Tensor {
        var x = t
        for (d, action) in actions.enumerated() {
            switch action {
            case .keep: continue
            case .slice(let start, let end, let step): x = Tensor.apply(.slice(axis: d, start: start, end: end, step: step), [x])
            case .gather(let positions): x = Tensor.apply(.take(axis: d), [x, column(positions, axis: d)])
            }
        }
        return x.reshaped(result)
    }

    /// `w` (shaped as `result`) placed where `select` reads, in zeros of `shape`: its adjoint.
    func embed(_ w: Tensor, into shape: [Int]) -> Tensor {
        var x = w.reshaped(kept)
        for (d, action) in actions.enumerated().reversed() {
            let n = shape[d]
            switch action {
            case .keep: continue
            case .slice(let start, _, let step):
                let count = kept[d], last = start + (count - 1) * step
                let (low, high) = count == 0 ? (n, n - 1) : (Swift.min(start, last), Swift.max(start, last))
                x = Tensor.apply(.pad(axis: d, before: low, after: n - 1 - high, step: step), [x])
            case .gather(let positions):
                x = Tensor.apply(.scatterAdd(axis: d, extent: n), [x, broadcast(column(positions, axis: d), to: x.shape)])
            }
        }
        return x
    }

    /// Listed positions as an index tensor for `take` along `axis`: ones on the other axes.
    private func column(_ positions: [Int], axis d: Int) -> Tensor {
        var s = [Int](repeating: 1, count: actions.count)
        s[d] = positions.count
        return Tensor(shape: s, scalars: positions.map(Double.init))
    }

    /// Whether some position is selected twice (an update could not say which value wins).
    var repeats: Bool {
        actions.contains { if case .gather(let ps) = $0 { return Set(ps).count != ps.count } else { return false } }
    }
}
