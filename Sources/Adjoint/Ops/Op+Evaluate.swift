#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The evaluation of every primitive on concrete arrays. The interpreter and eager tensors both use
/// it, so it is the numerical truth that compiled kernels are checked against; the scalar formulas
/// here and the C lowering must stay the same expressions.
extension Op {
    /// Evaluates a non-leaf op on concrete operands; `shape` is the node's result shape.
    package func evaluate(_ x: [Value], shape: [Int]) -> [Double] {
        switch self {
        case .input, .capture, .constant, .data:
            preconditionFailure("leaves are bound by the caller, not evaluated")
        case .neg: return x[0].scalars.map { -$0 }
        case .exp: return x[0].scalars.map { Glibc.exp($0) }
        case .log: return x[0].scalars.map { Glibc.log($0) }
        case .sin: return x[0].scalars.map { Glibc.sin($0) }
        case .cos: return x[0].scalars.map { Glibc.cos($0) }
        case .tan: return x[0].scalars.map { Glibc.tan($0) }
        case .tanh: return x[0].scalars.map { Glibc.tanh($0) }
        case .sqrt: return x[0].scalars.map { Glibc.sqrt($0) }
        case .abs: return x[0].scalars.map { Glibc.fabs($0) }
        case .sign: return x[0].scalars.map(Op.sign)
        case .log1p: return x[0].scalars.map { Glibc.log1p($0) }
        case .expm1: return x[0].scalars.map { Glibc.expm1($0) }
        case .softplus: return x[0].scalars.map(Op.softplus)
        case .add: return Op.zip(x[0], x[1], shape) { $0 + $1 }
        case .sub: return Op.zip(x[0], x[1], shape) { $0 - $1 }
        case .mul: return Op.zip(x[0], x[1], shape) { $0 * $1 }
        case .div: return Op.zip(x[0], x[1], shape) { $0 / $1 }
        case .pow: return Op.zip(x[0], x[1], shape) { Glibc.pow($0, $1) }
        case .less: return Op.zip(x[0], x[1], shape) { $0 < $1 ? 1 : 0 }
        case .lessEqual: return Op.zip(x[0], x[1], shape) { $0 <= $1 ? 1 : 0 }
        case .greater: return Op.zip(x[0], x[1], shape) { $0 > $1 ? 1 : 0 }
        case .greaterEqual: return Op.zip(x[0], x[1], shape) { $0 >= $1 ? 1 : 0 }
        case .equal: return Op.zip(x[0], x[1], shape) { $0 == $1 ? 1 : 0 }
        case .notEqual: return Op.zip(x[0], x[1], shape) { $0 != $1 ? 1 : 0 }
        case .select:
            let c = Op.broadcast(x[0], to: shape), a = Op.broadcast(x[1], to: shape), b = Op.broadcast(x[2], to: shape)
            return (0..<c.count).map { c[$0] != 0 ? a[$0] : b[$0] }
        case .reshape: return x[0].scalars
        case .broadcast: return Op.broadcast(x[0], to: shape)
        case .transpose(let perm):
            let strides = Shape.strides(x[0].shape)
            return Layout.gatherOffsets(shape, strides: perm.map { strides[$0] }).map { x[0].scalars[$0] }
        case .sum(let axes): return Op.reduce(x[0], axes: axes, shape: shape, initial: 0) { $0 + $1 }
        case .max(let axes): return Op.reduce(x[0], axes: axes, shape: shape, initial: -.infinity) { $1 > $0 || $1.isNaN ? $1 : $0 }
        case .matmul: return Op.matmul(x[0], x[1])
        case .slice(let axis, let start, _):
            let (outer, length, inner) = Layout.around(x[0].shape, axis: axis)
            let n = shape[axis]
            var r = [Double]()
            r.reserveCapacity(Shape.count(shape))
            for o in 0..<outer {
                let base = (o * length + start) * inner
                r.append(contentsOf: x[0].scalars[base..<(base + n * inner)])
            }
            return r
        case .pad(let axis, let before, let after):
            let (outer, length, inner) = Layout.around(x[0].shape, axis: axis)
            var r = [Double]()
            r.reserveCapacity(Shape.count(shape))
            for o in 0..<outer {
                r.append(contentsOf: repeatElement(0, count: before * inner))
                r.append(contentsOf: x[0].scalars[(o * length * inner)..<((o + 1) * length * inner)])
                r.append(contentsOf: repeatElement(0, count: after * inner))
            }
            return r
        case .concat(let axis):
            let (outer, la, inner) = Layout.around(x[0].shape, axis: axis)
            let lb = x[1].shape[axis]
            var r = [Double]()
            r.reserveCapacity(Shape.count(shape))
            for o in 0..<outer {
                r.append(contentsOf: x[0].scalars[(o * la * inner)..<((o + 1) * la * inner)])
                r.append(contentsOf: x[1].scalars[(o * lb * inner)..<((o + 1) * lb * inner)])
            }
            return r
        }
    }

    /// An elementwise op on single elements: the fast path for scalar code while tracing.
    package func scalar(_ a: Double, _ b: Double, _ c: Double) -> Double {
        switch self {
        case .neg: -a
        case .exp: Glibc.exp(a)
        case .log: Glibc.log(a)
        case .sin: Glibc.sin(a)
        case .cos: Glibc.cos(a)
        case .tan: Glibc.tan(a)
        case .tanh: Glibc.tanh(a)
        case .sqrt: Glibc.sqrt(a)
        case .abs: Glibc.fabs(a)
        case .sign: Op.sign(a)
        case .log1p: Glibc.log1p(a)
        case .expm1: Glibc.expm1(a)
        case .softplus: Op.softplus(a)
        case .add: a + b
        case .sub: a - b
        case .mul: a * b
        case .div: a / b
        case .pow: Glibc.pow(a, b)
        case .less: a < b ? 1 : 0
        case .lessEqual: a <= b ? 1 : 0
        case .greater: a > b ? 1 : 0
        case .greaterEqual: a >= b ? 1 : 0
        case .equal: a == b ? 1 : 0
        case .notEqual: a != b ? 1 : 0
        case .select: a != 0 ? b : c
        default: preconditionFailure("\(name) is not elementwise")
        }
    }

    /// `softplus(x) = log(1 + eˣ)` without overflow; the C lowering uses the same expression.
    package static func softplus(_ x: Double) -> Double {
        x > 0 ? x + Glibc.log1p(Glibc.exp(-x)) : Glibc.log1p(Glibc.exp(x))
    }

    /// -1, 0 or 1 (NaN stays NaN).
    package static func sign(_ x: Double) -> Double {
        x > 0 ? 1 : x < 0 ? -1 : x
    }

    /// Elementwise binary op with NumPy broadcasting; equal shapes and scalar operands take fast paths.
    @inline(__always)
    static func zip(_ a: Value, _ b: Value, _ shape: [Int], _ f: (Double, Double) -> Double) -> [Double] {
        let n = Shape.count(shape)
        if a.shape == b.shape {
            return (0..<n).map { f(a.scalars[$0], b.scalars[$0]) }
        }
        if a.scalars.count == 1 && b.scalars.count == n {
            let s = a.scalars[0]
            return b.scalars.map { f(s, $0) }
        }
        if b.scalars.count == 1 && a.scalars.count == n {
            let s = b.scalars[0]
            return a.scalars.map { f($0, s) }
        }
        let ia = Layout.broadcastOffsets(a.shape, to: shape), ib = Layout.broadcastOffsets(b.shape, to: shape)
        return (0..<n).map { f(a.scalars[ia[$0]], b.scalars[ib[$0]]) }
    }

    static func broadcast(_ a: Value, to shape: [Int]) -> [Double] {
        if a.shape == shape { return a.scalars }
        if a.scalars.count == 1 { return [Double](repeating: a.scalars[0], count: Shape.count(shape)) }
        return Layout.broadcastOffsets(a.shape, to: shape).map { a.scalars[$0] }
    }

    /// Folds the elements of `a` over `axes` in row-major order (the order the C lowering uses too).
    static func reduce(_ a: Value, axes: [Int], shape: [Int], initial: Double?,
                       _ f: (Double, Double) -> Double) -> [Double] {
        // Offsets into the result for each operand element: kept axes carry the result's strides.
        let resultStrides = Shape.strides(shape)
        var strides = [Int](repeating: 0, count: a.shape.count)
        var k = 0
        for axis in a.shape.indices where !axes.contains(axis) {
            strides[axis] = resultStrides[k]
            k += 1
        }
        let targets = Layout.gatherOffsets(a.shape, strides: strides)
        var result = [Double](repeating: initial ?? 0, count: Shape.count(shape))
        var seen = [Bool](repeating: initial != nil, count: result.count)
        for (i, t) in targets.enumerated() {
            if seen[t] { result[t] = f(result[t], a.scalars[i]) } else { result[t] = a.scalars[i]; seen[t] = true }
        }
        return result
    }

    /// Plain i-p-j matrix product: each result element sums over p in increasing order.
    static func matmul(_ a: Value, _ b: Value) -> [Double] {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for p in 0..<k {
                let aip = a.scalars[i * k + p]
                for j in 0..<n { c[i * n + j] += aip * b.scalars[p * n + j] }
            }
        }
        return c
    }
}
