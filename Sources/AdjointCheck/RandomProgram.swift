import Adjoint
import ExampleSupport

/// A random program over tensors, for checking that every path through the library computes the
/// same numbers (see `ProgramCheck`). It is a list of instructions over registers: the function's
/// input x, a flat vector of 10, is split into a scalar, a vector of 3 and a 2×3 matrix (slices and
/// a reshape), and each instruction appends one register computed from earlier ones. The function's
/// outputs are the last two registers, flattened and joined.
///
/// Every instruction is valid whatever registers it meets: one whose operands do not fit (a
/// product of mismatched shapes, a slice of a scalar) falls back to a simpler op that does, so
/// deleting instructions (shrinking) always leaves a program that runs.
public struct RandomProgram: Sendable, Hashable, CustomStringConvertible {
    public struct Instruction: Sendable, Hashable {
        /// What to do (see `Opcode`), and operand registers, counted back from the newest (0 is
        /// the last register), so that an instruction means the same after an earlier one is deleted.
        public var opcode: Opcode
        public var a: Int
        public var b: Int
        /// A small number the op reads (an axis, a threshold, a constant's seed).
        public var parameter: Int

        public init(opcode: Opcode, a: Int, b: Int, parameter: Int) {
            (self.opcode, self.a, self.b, self.parameter) = (opcode, a, b, parameter)
        }
    }

    public enum Opcode: Int, Sendable, Hashable, CaseIterable {
        case add, sub, mul, safeDiv, sin, cos, tanh, expTanh, tanTanh, logOnePlusSquare, sqrtOnePlusSquare
        case sigmoid, softplus, relu, abs, sign, powPositive, log1pSquare, expm1Tanh, neg
        case maximum, minimum, select, scaleShift
        case sum, mean, max, min, sumAxis, maxAxis, meanAxis
        case index, lastIndex, sliceTail, sliceHead, stackSelf, stackPair, stackScalars, concatSelf, concatPair
        case flatten, transpose, matmul, dot, tensorConstant, splatTensor, guardBranch
        // Ops that joined with the op table (issue 13): a libm function, a reduction whose
        // derivative must be right at zeros, a Runtime routine, and a node with two results.
        case atan, prod, prodAxis, prodWithZero, solveTriangular, sinCos
        // Issue 14's elementwise functions: guarded derivatives (asin, cbrt, hypot, a masked
        // sqrt), special functions whose derivatives are each other, and where-built composites.
        case asinTanh, erf, lgamma, polygamma, atan2, hypot, logaddexp, clip, cbrt, maskedSqrt, sinh
        // Reductions and scans of issue 14: a Runtime routine of one pass and composites over it.
        case cumsumAxis, cumprodAxis, logsumexpAxis, softmaxAxis
        // Issue 15's linear algebra: LU (a solve and a log-determinant over one factorization)
        // and Cholesky, on well-conditioned matrices made from a register.
        case solveLU, logDeterminant, choleskyFactor
        // Issue 17: a Swift loop of 1, 2, 3 or 100 steps around a body drawn from the elementwise
        // opcodes, traced as repeated statements that lowering rerolls into a C loop.
        case loop
    }

    public var instructions: [Instruction]

    public init(instructions: [Instruction]) { self.instructions = instructions }

    /// A program of `length` random instructions.
    public static func random(length: Int, using rng: inout SeededGenerator) -> RandomProgram {
        RandomProgram(instructions: (0..<length).map { _ in
            Instruction(opcode: Opcode.allCases.randomElement(using: &rng)!,
                        a: Int.random(in: 0..<4, using: &rng), b: Int.random(in: 0..<6, using: &rng),
                        parameter: Int.random(in: 0..<6, using: &rng))
        })
    }

    /// Number of elements of the input.
    public static let inputCount = 10

    /// The program as a function of its flat input: the last two registers, flattened and joined.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var registers = [x[0], x[1..<4], x[4..<10].reshaped([2, 3])]
        for instruction in instructions { registers.append(Self.execute(instruction, registers)) }
        let outputs = registers.suffix(2).map { $0.reshaped([-1]) }
        return concatenate(outputs)
    }

    public var description: String {
        var lines = ["r0 = x[0]", "r1 = x[1..<4]", "r2 = x[4..<10].reshaped([2, 3])"]
        for (k, i) in instructions.enumerated() {
            let n = k + 3
            let a = n - 1 - i.a % n, b = n - 1 - i.b % n
            lines.append("r\(n) = \(i.opcode)(r\(a), r\(b), \(i.parameter))")
        }
        lines.append("output: concatenate(r\(instructions.count + 1), r\(instructions.count + 2)) flattened")
        return lines.joined(separator: "\n")
    }
}
