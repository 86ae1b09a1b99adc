/// The primitives. Everything else (`sigmoid`, `mean`, `relu`, `dot`, …) is a composite of these.
///
/// Each primitive's rules stand together, in one row of its family's file (`Elementwise.swift`,
/// `Arithmetic.swift`, `Comparisons.swift`, `Reductions.swift`, `Scans.swift`, `Structure.swift`,
/// `MatrixProducts.swift`, `LinearAlgebra.swift`, `Convolution.swift`, `Tuples.swift`, `Leaves.swift`): name, shape rule, evaluation,
/// derivative and C lowering (see `Rule`). The enum is closed and ``rule`` is the one `switch`
/// over it; every stage reads the rule, so the compiler names each place a new op must fill.
///
/// Elementwise functions and reductions are families of their own (`.unary(.atan)`,
/// `.reduce(.prod, axes)`), so that their rows can be listed (`CaseIterable`) by the code that
/// derives C declarations, libtcc's symbols, the command line's names and the conformance suite.
package enum Op: Hashable, Sendable {
    // Leaves (Leaves.swift)
    /// The i-th argument of the traced function.
    case input(Int)
    /// A tensor of an enclosing trace, constant as far as this graph is concerned.
    case capture(Int)
    /// Every element equal to `Double(bitPattern:)` of the payload (a "splat").
    case constant(UInt64)
    /// A tensor constant stored in `Graph.data`.
    case data(Int)

    /// An elementwise function of one operand (Elementwise.swift).
    case unary(UnaryFunction)
    /// Elementwise arithmetic with NumPy broadcasting (Arithmetic.swift).
    case binary(BinaryFunction)
    /// A comparison giving a 0/1 mask, with no derivative (Comparisons.swift).
    case compare(Comparison)
    /// `select(c, a, b)`: a where c ≠ 0, else b (three operands, broadcasting; Comparisons.swift).
    case select

    /// A reduction over the listed axes (sorted), which are removed (Reductions.swift).
    case reduce(Reducer, [Int])
    /// Running sums along `axis`, from the end when `reverse` (Scans.swift).
    case cumsum(axis: Int, reverse: Bool)

    // Structure (Structure.swift)
    /// Same elements, the node's shape.
    case reshape
    /// Broadcast to the node's shape (NumPy rules).
    case broadcast
    /// Permute axes: result axis i is operand axis `perm[i]`.
    case transpose([Int])
    /// Elements `stride(from: start, to: end, by: step)` along `axis` (a negative step reverses).
    ///
    /// Boxed (`indirect`), as `pad` and `convolution` are: their payloads are the largest, and
    /// inline they made every node 80 bytes instead of 64 (one cache line), in graphs of 100k nodes.
    indirect case slice(axis: Int, start: Int, end: Int, step: Int = 1)
    /// Zeros added before and after along `axis` (the adjoint of `slice`); with `step`, the
    /// elements `|step|` apart (in reverse order for a negative step), zeros between them.
    indirect case pad(axis: Int, before: Int, after: Int, step: Int = 1)
    /// Operands joined along `axis`.
    case concat(axis: Int)

    // Indexing (Indexing.swift)
    /// Operand 0 gathered along `axis` at the indices of operand 1 (no derivative), NumPy's
    /// `take_along_axis`: operand 1 has operand 0's rank and extents 1 or the result's off `axis`.
    case take(axis: Int)
    /// The adjoint of `take`: operand 0 added into zeros of extent `extent` along `axis` at the
    /// indices of operand 1 (of operand 0's shape); repeated indices accumulate.
    case scatterAdd(axis: Int, extent: Int)
    /// A stable sort along `axis` (NaN last, as NumPy): the sorted values and the permutation.
    case sort(axis: Int)

    /// Matrix product of two rank-2 operands (MatrixProducts.swift).
    case matmul
    /// Matrix products over leading batch axes, NumPy's broadcasting where it repeats a block of
    /// memory (MatrixProducts.swift).
    case batchedMatmul
    /// `x = a⁻¹ b` for a triangular matrix `a` (LinearAlgebra.swift).
    case solveTriangular(lower: Bool)
    /// `P·a = L·U`: the packed factors, the permutation and det(P) (Factorizations.swift).
    case lu
    /// `op(a)⁻¹ b` from `a`, its LU factors and permutation, and `b`; op(a) = aᵀ when `transposed`.
    case luSolve(transposed: Bool)
    /// `log|det a|` from `a`, its LU factors and permutation.
    case logAbsDet
    /// `L` with `L·Lᵀ = a`, from `a`'s lower triangle (Cholesky.swift).
    case cholesky
    /// A dilated, strided, padded cross-correlation over up to three spatial axes, XLA's
    /// `conv_general_dilated` (Convolution.swift).
    indirect case convolution(ConvolutionGeometry)
    /// Sine and cosine at once: the small multi-result op that tests nodes with several results.
    case sincos
    /// Eigenvalues and eigenvectors of the symmetric part of a stack of square matrices (Decompositions.swift).
    case eigh
    /// The reduced QR factorization of a stack of matrices (Decompositions.swift).
    case qr
    /// The reduced singular value decomposition of a stack of matrices (Decompositions.swift).
    case svd

    /// Result k of a node with several results (Tuples.swift).
    case result(Int)

    /// A function with a derivative rule of its own (`customDerivative`; Custom.swift): its value
    /// is operand 0, its derivative the traced rule the payload holds.
    case custom(CustomRule)

    /// The rules of this op: the one switch over `Op`.
    package var rule: Rule {
        switch self {
        case .input: Leaves.input
        case .capture: Leaves.capture
        case .constant: Leaves.constant
        case .data: Leaves.data
        case .result: Tuples.result
        case .unary(let f): f.rule
        case .binary(let f): f.rule
        case .compare(let c): c.rule
        case .select: Comparisons.select
        case .reduce(let r, _): r.rule
        case .cumsum: Scans.cumsum
        case .reshape: Structure.reshape
        case .broadcast: Structure.broadcast
        case .transpose: Structure.transpose
        case .slice: Structure.slice
        case .pad: Structure.pad
        case .concat: Structure.concat
        case .take: Indexing.take
        case .scatterAdd: Indexing.scatterAdd
        case .sort: Indexing.sort
        case .matmul: MatrixProducts.matmul
        case .batchedMatmul: MatrixProducts.batchedMatmul
        case .solveTriangular: LinearAlgebra.solveTriangular
        case .lu: Factorizations.lu
        case .luSolve: Factorizations.luSolve
        case .logAbsDet: Factorizations.logAbsDet
        case .cholesky: Factorizations.cholesky
        case .convolution: Convolution.convolution
        case .sincos: Tuples.sincos
        case .eigh: Decompositions.eigh
        case .qr: Decompositions.qr
        case .svd: Decompositions.svd
        case .custom: Custom.rule
        }
    }

    /// A splat constant holding `value`.
    package static func constant(_ value: Double) -> Op { .constant(value.bitPattern) }

    /// The op's name as a user knows it: in messages and in the names of C locals (a leaf's
    /// carries its index: `input0`, `data2`).
    package var name: String {
        switch leaf {
        case .input(let i): "input\(i)"
        case .capture(let i): "capture\(i)"
        case .data(let d): "data\(d)"
        case .constant, nil: rule.name
        }
    }

    /// True for ops computed element by element (with broadcasting): they fuse into one loop.
    package var isElementwise: Bool { rule.elementwise != nil }

    /// True for the comparisons, whose 0/1 result is constant almost everywhere.
    package var isComparison: Bool { rule.isComparison }

    /// True for ops with `f(a, b) == f(b, a)`: hash-consing orders their operands.
    package var isCommutative: Bool { rule.elementwise?.isCommutative ?? false }

    /// True for a splat constant.
    package var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    /// The splat value of a `.constant`, else nil.
    package var constantValue: Double? {
        if case .constant(let bits) = self { return Double(bitPattern: bits) }
        return nil
    }

    /// The leaf this op is, if it is one.
    package var leaf: Leaf? {
        if case .input(let i) = self { return .input(i) }
        if case .capture(let i) = self { return .capture(i) }
        if case .constant(let bits) = self { return .constant(Double(bitPattern: bits)) }
        if case .data(let d) = self { return .data(d) }
        return nil
    }

    /// An elementwise op on single elements: the fast path for scalar code while tracing, and
    /// the one Swift function of the op that evaluation also maps over arrays.
    @inline(__always)
    package func scalar(_ a: Double, _ b: Double, _ c: Double) -> Double {
        guard let elementwise = rule.elementwise else { preconditionFailure("\(name) is not elementwise") }
        return elementwise.scalar(a, b, c)
    }

    /// Evaluates a non-leaf op with one result on concrete operands; `shape` is the result shape.
    package func evaluate(_ x: [Value], shape: [Int]) -> [Double] {
        rule.evaluate(self, x, shape)
    }

    /// The shape of this op applied to operands of `shapes`. `target` is the requested shape of
    /// `.reshape` and `.broadcast` (and of leaves), ignored by the rest.
    package func resultShape(_ shapes: [[Int]], target: [Int]? = nil) throws(ShapeError) -> [Int] {
        try rule.shape(self, shapes, target)
    }

    /// The op and its payload, mixed into 64 bits (hash-consing).
    @inline(__always)
    package var fastHash: UInt64 {
        let rule = self.rule
        return rule.payloadHash?(self, rule.code) ?? rule.code
    }
}

/// What a leaf stands for.
package enum Leaf: Sendable, Equatable {
    case input(Int)
    case capture(Int)
    case constant(Double)
    case data(Int)
}
