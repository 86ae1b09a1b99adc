/// The shape rule of every primitive: the result shape, or a `ShapeError` naming the op and shapes.
extension Op {
    /// The shape of this op applied to operands of `shapes`. `target` is the requested shape of
    /// `.reshape` and `.broadcast`, ignored by the rest.
    package func resultShape(_ shapes: [[Int]], target: [Int]? = nil) throws(ShapeError) -> [Int] {
        switch self {
        case .input, .capture, .constant, .data:
            guard let target else { throw ShapeError(name, shapes, "a leaf needs its shape") }
            return target
        case .neg, .exp, .log, .sin, .cos, .tan, .tanh, .sqrt, .abs, .sign, .log1p, .expm1, .softplus:
            return shapes[0]
        case .add, .sub, .mul, .div, .pow, .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            guard let shape = Shape.broadcast(shapes[0], shapes[1]) else {
                throw ShapeError(name, shapes, "shapes do not broadcast")
            }
            return shape
        case .select:
            guard let ab = Shape.broadcast(shapes[1], shapes[2]), let all = Shape.broadcast(shapes[0], ab) else {
                throw ShapeError("where", shapes, "condition and branches do not broadcast")
            }
            return all
        case .reshape:
            let target = target ?? []
            guard Shape.count(target) == Shape.count(shapes[0]), target.allSatisfy({ $0 >= 0 }) else {
                throw ShapeError("reshaped", [shapes[0], target], "element counts differ")
            }
            return target
        case .broadcast:
            let target = target ?? []
            guard Shape.broadcast(shapes[0], target) == target else {
                throw ShapeError("broadcast", [shapes[0], target], "cannot broadcast to the target shape")
            }
            return target
        case .transpose(let perm):
            guard perm.count == shapes[0].count, perm.sorted() == Array(0..<perm.count) else {
                throw ShapeError("transposed", shapes, "permutation \(perm) does not fit")
            }
            return perm.map { shapes[0][$0] }
        case .sum(let axes), .max(let axes):
            let rank = shapes[0].count
            guard axes.allSatisfy({ (0..<rank).contains($0) }), Set(axes).count == axes.count else {
                throw ShapeError(name, shapes, "axes \(axes) out of range for rank \(rank)")
            }
            if case .max = self, axes.contains(where: { shapes[0][$0] == 0 }) {
                throw ShapeError(name, shapes, "maximum of an empty axis")
            }
            return shapes[0].enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        case .matmul:
            let (a, b) = (shapes[0], shapes[1])
            guard a.count == 2, b.count == 2 else {
                throw ShapeError("matmul", shapes, "operands must be matrices")
            }
            guard a[1] == b[0] else {
                throw ShapeError("matmul", shapes, "inner dimensions \(a[1]) and \(b[0]) differ")
            }
            return [a[0], b[1]]
        case .slice(let axis, let start, let end):
            let s = shapes[0]
            guard axis < s.count, 0 <= start, start <= end, end <= s[axis] else {
                throw ShapeError("slice", shapes, "range \(start)..<\(end) out of bounds on axis \(axis)")
            }
            var r = s
            r[axis] = end - start
            return r
        case .pad(let axis, let before, let after):
            guard axis < shapes[0].count, before >= 0, after >= 0 else {
                throw ShapeError("pad", shapes, "bad padding on axis \(axis)")
            }
            var r = shapes[0]
            r[axis] += before + after
            return r
        case .concat(let axis):
            let (a, b) = (shapes[0], shapes[1])
            guard a.count == b.count, axis < a.count,
                  a.indices.allSatisfy({ $0 == axis || a[$0] == b[$0] }) else {
                throw ShapeError("concatenate", shapes, "shapes differ off axis \(axis)")
            }
            var r = a
            r[axis] += b[axis]
            return r
        }
    }
}
