/// Changes of shape, all composites of reshape, transpose, broadcast, slice and concat: so they
/// differentiate in both modes at every order and compile with no rules of their own.

extension Tensor {
    /// `axis` counted from the end when negative, checked against `rank` (`extra` more places
    /// for functions that insert an axis); nil after reporting a `ShapeError` naming `op`.
    package func normalized(_ axis: Int, _ op: String, extra: Int = 0, _ file: StaticString, _ line: UInt) -> Int? {
        let n = rank + extra
        let a = axis < 0 ? axis + n : axis
        guard (0..<n).contains(a) else {
            ShapeErrors.fail(ShapeError(op, [shape], "axis \(axis) out of range for rank \(rank)", location: "\(file):\(line)"))
            return nil
        }
        return a
    }

    /// Reports `reason` for `op` at the caller and goes on with zeros of `fallback`.
    package func failing(_ op: String, _ reason: String, fallback: [Int]? = nil, _ file: StaticString, _ line: UInt) -> Tensor {
        ShapeErrors.report(ShapeError(op, [shape], reason, location: "\(file):\(line)"), fallback: fallback ?? shape)
    }
}

/// `t` without its axes of extent 1 (NumPy's `squeeze`), or without `axis` alone, which must
/// have extent 1.
public func squeeze(_ t: Tensor, axis: Int? = nil, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let axis else { return t.reshaped(t.shape.filter { $0 != 1 }) }
    guard let a = t.normalized(axis, "squeeze", file, line) else { return t }
    guard t.shape[a] == 1 else { return t.failing("squeeze", "axis \(axis) has extent \(t.shape[a]), not 1", file, line) }
    var s = t.shape
    s.remove(at: a)
    return t.reshaped(s)
}

/// `t` with a new axis of extent 1 at `axis` (which counts in the result's axes).
public func expandDims(_ t: Tensor, axis: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let a = t.normalized(axis, "expandDims", extra: 1, file, line) else { return t }
    var s = t.shape
    s.insert(1, at: a)
    return t.reshaped(s)
}

/// `t` with axes `a` and `b` exchanged.
public func swapAxes(_ t: Tensor, _ a: Int, _ b: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let i = t.normalized(a, "swapAxes", file, line), let j = t.normalized(b, "swapAxes", file, line) else { return t }
    var perm = Array(0..<t.rank)
    perm.swapAt(i, j)
    return t.transposed(perm)
}

/// `t` with axis `from` moved to position `to`, the others keeping their order.
public func moveAxis(_ t: Tensor, _ from: Int, _ to: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let i = t.normalized(from, "moveAxis", file, line), let j = t.normalized(to, "moveAxis", file, line) else { return t }
    var perm = Array(0..<t.rank)
    perm.remove(at: i)
    perm.insert(i, at: j)
    return t.transposed(perm)
}

/// The elements as a vector, in row-major order.
public func flatten(_ t: Tensor) -> Tensor { t.reshaped([t.count]) }

/// `t` broadcast to `shape` (NumPy's `broadcast_to`).
public func broadcast(_ t: Tensor, to shape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.apply(.broadcast, [t], target: shape, location: "\(file):\(line)")
}

/// `t` repeated `reps[i]` times along each axis (NumPy's `tile`: the shorter of the two is
/// padded with leading ones).
public func tile(_ t: Tensor, _ reps: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard reps.allSatisfy({ $0 >= 0 }) else { return t.failing("tile", "negative repetitions \(reps)", file, line) }
    let rank = Swift.max(t.rank, reps.count)
    let s = [Int](repeating: 1, count: rank - t.rank) + t.shape
    let r = [Int](repeating: 1, count: rank - reps.count) + reps
    let interleaved = t.reshaped(s.flatMap { [1, $0] })
    let spread = broadcast(interleaved, to: zip(r, s).flatMap { [$0, $1] })
    return spread.reshaped(zip(r, s).map { $0 * $1 })
}

/// Each element repeated `count` times along `axis` (NumPy's `repeat`); without an axis, of
/// the flattened tensor.
public func repeated(_ t: Tensor, _ count: Int, axis: Int? = nil, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard count >= 0 else { return t.failing("repeated", "negative count \(count)", file, line) }
    guard let axis else { return repeated(flatten(t), count, axis: 0, file: file, line: line) }
    guard let a = t.normalized(axis, "repeated", file, line) else { return t }
    var s = t.shape
    s.insert(1, at: a + 1)
    var wide = s
    wide[a + 1] = count
    var result = t.shape
    result[a] *= count
    return broadcast(t.reshaped(s), to: wide).reshaped(result)
}

/// The elements shifted by `shift` along `axis`, those past the end coming round to the start
/// (NumPy's `roll`); without an axis, of the flattened tensor, in its shape.
public func roll(_ t: Tensor, _ shift: Int, axis: Int? = nil, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let axis else { return roll(flatten(t), shift, axis: 0, file: file, line: line).reshaped(t.shape) }
    guard let a = t.normalized(axis, "roll", file, line) else { return t }
    let n = t.shape[a]
    guard n > 0, ((shift % n) + n) % n != 0 else { return t }
    let k = ((shift % n) + n) % n
    let tail = Tensor.apply(.slice(axis: a, start: n - k, end: n), [t]), head = Tensor.apply(.slice(axis: a, start: 0, end: n - k), [t])
    return concatenate([tail, head], axis: a)
}

/// The elements in reverse order along `axis`, or along every axis without one.
public func flip(_ t: Tensor, axis: Int? = nil, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let axis else { return (0..<t.rank).reduce(t) { flip($0, axis: $1) } }
    guard let a = t.normalized(axis, "flip", file, line) else { return t }
    let n = t.shape[a]
    return Tensor.apply(.slice(axis: a, start: n - 1, end: -1, step: -1), [t], location: "\(file):\(line)")
}

/// `t` padded with `value` along each axis: `widths[i]` is `(before, after)` for axis i, or one
/// pair for every axis (NumPy's `pad` with `constant_values`).
public func pad(_ t: Tensor, _ widths: [(Int, Int)], value: Double = 0, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard widths.count == t.rank || widths.count == 1 else {
        return t.failing("pad", "\(widths.count) pairs of widths for rank \(t.rank)", file, line)
    }
    guard widths.allSatisfy({ $0.0 >= 0 && $0.1 >= 0 }) else { return t.failing("pad", "negative widths", file, line) }
    var result = t
    for axis in 0..<t.rank {
        let (before, after) = widths.count == 1 ? widths[0] : widths[axis]
        if value == 0 {
            result = Tensor.apply(.pad(axis: axis, before: before, after: after), [result])
            continue
        }
        func block(_ n: Int) -> Tensor {
            var s = result.shape
            s[axis] = n
            return broadcast(Tensor(value), to: s)
        }
        let parts = [before > 0 ? block(before) : nil, result, after > 0 ? block(after) : nil].compactMap { $0 }
        result = concatenate(parts, axis: axis)
    }
    return result
}

/// `t` cut along `axis` into `parts` pieces of equal extent, which must divide the axis.
public func split(_ t: Tensor, _ parts: Int, axis: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> [Tensor] {
    guard let a = t.normalized(axis, "split", file, line) else { return [t] }
    let n = t.shape[a]
    guard parts > 0, n % parts == 0 else {
        return [t.failing("split", "axis \(axis) of extent \(n) does not split into \(parts) equal parts", file, line)]
    }
    return split(t, (1..<parts).map { $0 * n / parts }, axis: a, file: file, line: line)
}

/// `t` cut along `axis` before each of `indices` (NumPy's `split` with split points; points
/// past the end give empty pieces, as NumPy's).
public func split(_ t: Tensor, _ indices: [Int], axis: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> [Tensor] {
    guard let a = t.normalized(axis, "split", file, line) else { return [t] }
    let n = t.shape[a]
    let points = indices.map { Swift.min(Swift.max($0 < 0 ? $0 + n : $0, 0), n) }
    let bounds = [0] + points + [n]
    return (0..<(bounds.count - 1)).map { k in
        let start = bounds[k], end = Swift.max(bounds[k], bounds[k + 1])
        return Tensor.apply(.slice(axis: a, start: start, end: end), [t], location: "\(file):\(line)")
    }
}
