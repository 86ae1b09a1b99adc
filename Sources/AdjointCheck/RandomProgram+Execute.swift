import Adjoint

extension RandomProgram {
    /// The largest register an instruction may make; bigger results are summed to a scalar.
    static let maxCount = 24

    /// One instruction on `registers`: always a valid op, whatever their shapes.
    static func execute(_ i: Instruction, _ registers: [Tensor]) -> Tensor {
        let n = registers.count
        let a = registers[n - 1 - i.a % n], b = registers[n - 1 - i.b % n]
        let result = structural(i, a, b) ?? elementwise(i, a, b) ?? reduction(i, a)!
        return result.count > maxCount ? sum(result) : result
    }

    /// `b` made to broadcast against `a`: itself when it does, else its sum (a scalar).
    static func fit(_ b: Tensor, to a: Tensor) -> Tensor {
        let (sa, sb) = (a.shape, b.shape)
        let k = Swift.min(sa.count, sb.count)
        let fits = zip(sa.suffix(k), sb.suffix(k)).allSatisfy { $0 == $1 || $0 == 1 || $1 == 1 }
        return fits ? b : sum(b)
    }

    static func elementwise(_ i: Instruction, _ a: Tensor, _ b0: Tensor) -> Tensor? {
        let b = fit(b0, to: a)
        switch i.opcode {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .safeDiv: return a / (1 + b * b)
        case .sin: return sin(a)
        case .cos: return cos(a)
        case .tanh: return tanh(a)
        case .expTanh: return exp(tanh(a))
        case .tanTanh: return tan(tanh(a))
        case .logOnePlusSquare: return log(1 + a * a)
        case .sqrtOnePlusSquare: return sqrt(1 + a * a)
        case .sigmoid: return sigmoid(a)
        case .softplus: return softplus(a)
        case .relu: return relu(a)
        case .abs: return abs(a)
        case .sign: return sign(a) * b
        case .powPositive: return pow(1 + a * a, tanh(b))
        case .log1pSquare: return log1p(a * a)
        case .expm1Tanh: return expm1(tanh(a))
        case .neg: return -a
        case .atan: return atan(a * 2) * b
        case .sinCos:
            let (s, c) = sincos(a)
            return s * b + c
        case .asinTanh: return asin(tanh(a) * 0.9)
        case .erf: return erf(a) * b
        case .lgamma: return lgamma(1.5 + a * a)
        case .polygamma: return polygamma(1, 1 + a * a) + digamma(2 + b * b)
        case .atan2: return atan2(a, 1 + b * b)
        case .hypot: return hypot(a, b)
        case .logaddexp: return logaddexp(a, b)
        case .clip: return clip(a, -0.5, 0.5 + b * b)
        case .cbrt: return cbrt(1 + a * a)
        case .maskedSqrt: return `where`(a .> 0, sqrt(a), 0) * b
        case .sinh: return sinh(tanh(a)) + cosh(b * 0.5)
        case .maximum: return maximum(a, b)
        case .minimum: return minimum(a, b)
        case .select: return `where`(a .> b, a, b * 0.5)
        case .scaleShift: return a * (0.5 + Double(i.parameter)) - Double(i.parameter) / 4
        default: return nil
        }
    }

    static func reduction(_ i: Instruction, _ a: Tensor) -> Tensor? {
        let axis = a.rank == 0 ? 0 : i.parameter % a.rank - (i.parameter.isMultiple(of: 2) ? 0 : a.rank)
        switch i.opcode {
        case .sum: return sum(a)
        case .mean: return mean(a)
        case .max: return max(a)
        case .min: return min(a)
        case .sumAxis: return a.rank == 0 ? sum(a) : sum(a, axis: axis)
        case .maxAxis: return a.rank == 0 ? max(a) : max(a, axis: axis)
        case .meanAxis: return a.rank == 0 ? mean(a) : mean(a, axis: axis)
        // Factors near 1, so that products of many stay of moderate size.
        case .prod: return prod(1 + 0.5 * tanh(a))
        case .prodAxis: return a.rank == 0 ? prod(a) : prod(1 + 0.5 * tanh(a), axis: axis)
        case .prodWithZero:
            // An exact zero among the factors: where the derivative is the product of the others.
            let mask = Tensor(shape: a.shape, scalars: (0..<a.count).map { $0 == i.parameter % Swift.max(a.count, 1) ? 0 : 1 })
            return a.rank == 0 ? prod(a) : prod(a * mask, axis: 0)
        case .cumsumAxis: return a.rank == 0 ? cumsum(a) : cumsum(a, axis: axis)
        case .cumprodAxis: return a.rank == 0 ? cumprod(a) : cumprod(1 + 0.5 * tanh(a), axis: axis)
        case .logsumexpAxis: return a.rank == 0 ? logsumexp(a) : logsumexp(a, axis: axis, keepDims: i.parameter > 2)
        case .softmaxAxis: return a.rank == 0 ? exp(a) : softmax(a, axis: axis)
        default: return nil
        }
    }

    static func structural(_ i: Instruction, _ a: Tensor, _ b: Tensor) -> Tensor? {
        let extent = a.rank == 0 ? 0 : a.shape[0]
        switch i.opcode {
        case .index: return extent > 0 ? a[i.parameter % extent] : sin(a)
        case .lastIndex: return extent > 0 ? a[-1] : cos(a)
        case .sliceTail: return extent > 1 ? a[1...] : tanh(a)
        case .sliceHead: return extent > 1 ? a[..<(extent - 1)] : sigmoid(a)
        case .stackSelf: return stack([a, a], axis: i.parameter % (a.rank + 1))
        case .stackPair: return a.shape == b.shape ? stack([a, b]) : stack([a, a * 2])
        case .stackScalars:
            // One-element values joined and read back one by one: the shape of the program that
            // once had two live buffers share workspace (a folded read of one, after the other
            // was written over it).
            let (x, y) = (a.reshaped([-1]), b.reshaped([-1]))
            let joined = stack([dot(x, x), y[0]])
            return dot(joined, stack([y[0], x[x.count - 1]])) * joined[1]
        case .concatSelf: return a.rank > 0 ? concatenate([a, a], axis: i.parameter % a.rank) : stack([a, a])
        case .concatPair:
            guard a.rank > 0, b.rank == a.rank, a.shape.dropFirst() == b.shape.dropFirst() else { return concatenate([a.reshaped([-1]), b.reshaped([-1])]) }
            return concatenate([a, b])
        case .flatten: return a.reshaped([-1])
        case .transpose: return a.rank == 2 ? a.transposed() : a.reshaped([-1])
        case .matmul: return product(a, b)
        case .dot: return a.rank == 1 && b.shape == a.shape ? dot(a, b) : dot(a.reshaped([-1]), a.reshaped([-1]))
        case .tensorConstant:
            // Data that is no splat, of a's shape: a `.data` node in the graph.
            let c = Tensor(shape: a.shape, scalars: (0..<a.count).map { 0.25 + Double(($0 * 7 + i.parameter) % 5) / 4 })
            return a * c
        case .splatTensor:
            // A concrete tensor of equal elements, made and dropped while tracing (the graph
            // keeps one number for it, not its array), then another of the same shape: a trace
            // once took the second, allocated at the freed array's address, for the first.
            let scaled = a * Tensor(repeating: 0.5 + Double(i.parameter) / 4, shape: a.shape)
            let ramp = Tensor(shape: a.shape, scalars: (0..<a.count).map { 1 + Double($0) / 8 })
            return scaled + b.reshaped([-1])[0] * ramp
        case .solveTriangular:
            // A well-conditioned triangle made from a, solved against a row of b's.
            let (m, rhs) = system(a, b)
            return solveTriangular(m, rhs, lower: i.parameter.isMultiple(of: 2))
        case .solveLU:
            let (m, rhs) = system(a, b)
            return solve(i.parameter.isMultiple(of: 2) ? m : m.transposed() + 0.1 * tril(m), rhs)
        case .logDeterminant:
            let (m, _) = system(a, b)
            return slogdet(m).logAbsDet + 0.1 * det(m)
        case .choleskyFactor:
            return cholesky(system(a, b).matrix)
        case .loop:
            return loop(i, a, b)
        case .guardBranch:
            // Plain Swift control flow on a traced value: a guard in compiled code.
            return sum(a) > 0.25 * Double(i.parameter % 3) ? sin(a) * b.reshaped([-1])[0] : cos(a) + 1
        default: return nil
        }
    }

    /// The elementwise opcodes a loop's body is drawn from.
    static let loopBodies: [Opcode] = [.sin, .tanh, .sigmoid, .softplus, .atan, .sinCos, .erf, .logaddexp, .hypot, .mul,
                                       .safeDiv, .add, .clip, .logOnePlusSquare]

    /// x ← tanh(body(x, b))/2 + x/4, 1, 2, 3 or 100 times: a plain Swift loop whose steps read the
    /// previous step's result (and b, the same every step). The contraction keeps 100 steps finite.
    static func loop(_ i: Instruction, _ a: Tensor, _ b: Tensor) -> Tensor {
        let trips = [1, 2, 3, 100][i.parameter % 4]
        let body = Instruction(opcode: loopBodies[(i.parameter / 4 + i.a + i.b) % loopBodies.count], a: 0, b: 0,
                               parameter: i.parameter)
        var x = a
        for _ in 0..<trips { x = tanh(elementwise(body, x, b)!) * 0.5 + x * 0.25 }
        return x
    }

    /// A well-conditioned symmetric positive-definite matrix made from a, (1 + n/4)·I + tanh(a aᵀ)/4
    /// (diagonally dominant: a row's off-diagonal sum is below (n-1)/4), and a right-hand side
    /// from a and b.
    static func system(_ a: Tensor, _ b: Tensor) -> (matrix: Tensor, rhs: Tensor) {
        let square = a.rank == 2 ? matmul(a, a.transposed()) : matmul(a.reshaped([-1, 1]), a.reshaped([1, -1]))
        let n = square.shape[0]
        let eye = Tensor(shape: [n, n], scalars: (0..<(n * n)).map { $0 % (n + 1) == 0 ? 1 + Double(n) / 4 : 0 })
        return (eye + 0.25 * tanh(square), square[0] + b.reshaped([-1])[0])
    }

    /// A matrix product whose shapes fit, found from what a and b are.
    static func product(_ a: Tensor, _ b: Tensor) -> Tensor {
        switch (a.rank, b.rank) {
        case (2, 1) where a.shape[1] == b.shape[0], (2, 2) where a.shape[1] == b.shape[0], (1, 2) where a.shape[0] == b.shape[0]:
            return matmul(a, b)
        case (2, 2) where a.shape[1] == b.shape[1]: return matmul(a, b.transposed())
        case (2, _): return matmul(a, a.transposed())
        case (1, _): return matmul(a.reshaped([-1, 1]), a.reshaped([1, -1]))
        default: return a * a
        }
    }
}
