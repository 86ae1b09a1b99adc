import Testing
import TestSupport

@testable import Adjoint

/// Lowering on its own: how many loops a fused chain becomes, how much workspace a program
/// needs, and that no two buffers live at once share memory (checked independently of the
/// memory plan, from the times at which each buffer is written and read).
@Suite struct LoweringTests {
    static func program(_ shapes: [[Int]], _ f: @escaping ([Tensor]) -> [Tensor]) -> LoopProgram {
        LoopProgram(tracing: f, at: shapes.map(Tensor.zeros))
    }

    /// For every buffer in the workspace: the elements it occupies and the times it is live
    /// (from the step that writes it to the last step that reads it, through aliases).
    static func liveRanges(_ p: LoopProgram) -> [(node: Int, memory: Range<Int>, time: ClosedRange<Int>)] {
        var lastRead = [Int](repeating: -1, count: p.graph.count)
        for index in 0..<p.graph.count where p.roles[index] != .dead {
            let id = NodeID(index)
            for operand in p.reads(id) {
                let root = p.root(operand).int
                lastRead[root] = Swift.max(lastRead[root], p.times[index])
            }
        }
        return (0..<p.graph.count).compactMap { index in
            guard case .buffer(let offset) = p.storage[index] else { return nil }
            let n = p.graph[NodeID(index)].count
            return (index, offset..<(offset + n), p.times[index]...Swift.max(p.times[index], lastRead[index]))
        }
    }

    static func expectNoOverlap(_ p: LoopProgram, sourceLocation: SourceLocation = #_sourceLocation) {
        let ranges = liveRanges(p)
        for (i, a) in ranges.enumerated() {
            for b in ranges[(i + 1)...] where a.memory.overlaps(b.memory) && a.time.overlaps(b.time) {
                Issue.record("buffers of %\(a.node) (\(a.memory), times \(a.time)) and %\(b.node) (\(b.memory), times \(b.time)) overlap",
                             sourceLocation: sourceLocation)
            }
            #expect(a.memory.upperBound <= p.workspaceCount, sourceLocation: sourceLocation)
        }
    }

    @Test func anElementwiseChainIsOneLoopWithNoWorkspace() {
        let p = Self.program([[100]]) { x in [exp(sin(x[0]) * 2 + 1) / (x[0] * x[0] + 1)] }
        #expect(p.loops.count == 1)
        #expect(p.workspaceCount == 0)
    }

    @Test func aReductionAccumulatesInsideItsOperandsLoop() {
        let p = Self.program([[100]]) { x in [sum(exp(sin(x[0]) * 2 + 1))] }
        #expect(p.loops.count == 1)
        #expect(p.workspaceCount == 0)
    }

    @Test func aChainOfMatrixProductsReusesWorkspace() {
        // Five products of 8×8 matrices, each tanh'ed: one buffer is read per step, so the
        // workspace needs about two matrices, not five.
        let p = Self.program([[8, 8], [8, 8]]) { x in
            var h = x[0]
            for _ in 0..<5 { h = tanh(matmul(h, x[1])) }
            return [sum(h)]
        }
        #expect(p.workspaceCount <= 3 * 64, "workspace \(p.workspaceCount)")
        Self.expectNoOverlap(p)
    }

    @Test func gradientsOfLayeredFunctionsKeepLiveBuffersApart() {
        let mlp: ([Tensor]) -> [Tensor] = { x in
            let h = tanh(matmul(x[0], x[1]))
            let o = matmul(h, x[2])
            return [sum(o * o) + prod(h[0]) + sum(solveTriangular(x[3], h.transposed()[0..<4].transposed()[0], lower: true))]
        }
        let p = Self.program([[4, 6], [6, 4], [4, 3], [4, 4]]) { x in grad { xs in mlp(xs)[0] }(x) }
        Self.expectNoOverlap(p)
        #expect(p.workspaceCount > 0)
    }

    /// A tuple's result that nothing reads still gets memory of its own: the routine writes it,
    /// and another call at the same time must not be given the same memory.
    @Test func anUnreadResultStillGetsItsOwnMemory() {
        let p = Self.program([[50]]) { x in [sincos(x[0] * 2).cos + sincos(x[0] * 3).cos] }
        let projections = p.projections.values.flatMap { $0 }
        #expect(projections.count == 4)
        Self.expectNoOverlap(p)
        let f: (Tensor) -> Tensor = { x in sincos(x * 2).cos + sincos(x * 3).cos }
        let x = Tensor(linspace: -3, 3, count: 50)
        #expect(relativeError(compile(f)(x), f(x)) == 0)
        #expect(relativeError(compile(grad { sum(f($0)) })(x), grad { sum(f($0)) }(x)) <= 1e-15)
    }

    /// A recurrence over vectors with slices of a weight row (an LSTM's shape): hundreds of
    /// buffers of two sizes, most read again by the reverse pass. The best fit reuses the
    /// workspace of those that die (a block split, its rest reused), and none of the live ones meet.
    @Test func manyBuffersOfMixedSizesKeepLiveBuffersApart() throws {
        let f: ([Tensor]) -> Tensor = { p in
            var (h, total) = (p[0], Tensor(0.0))
            for t in 0..<40 {
                let gate = 1 / (1 + exp(-(h * p[1][0..<6] + p[1][6..<12])))
                // Thue–Morse picks the function: no stretch of steps repeats, none is rerolled.
                let u = h + p[1][12..<18] * Double(t % 3)
                h = gate * (t.nonzeroBitCount % 2 == 0 ? tanh(u) : sin(u))
                total = total + log(sum(exp(h)))
            }
            return total
        }
        let x = [Tensor(shape: [6], scalars: (0..<6).map { 0.1 * Double($0) - 0.2 }),
                 Tensor(shape: [18], scalars: (0..<18).map { 0.05 * Double($0 % 7) - 0.1 })]
        let p = Self.program([[6], [18]]) { x in grad(f)(x) }
        let buffers = (0..<p.graph.count).filter { if case .buffer = p.storage[$0] { true } else { false } }
        #expect(buffers.count > 200)
        #expect(p.workspaceCount < buffers.reduce(0) { $0 + p.graph.nodes[$1].count }, "workspace \(p.workspaceCount)")
        Self.expectNoOverlap(p)
        let compiled = compile(grad(f))(x), interpreted = grad(f)(x)
        for (c, i) in zip(compiled, interpreted) { #expect(relativeError(c, i) <= 1e-12) }
    }

    /// A transpose read only where a routine reads operands transposed costs no loop.
    @Test func transposesFeedingRoutinesAreAbsorbed() {
        let p = Self.program([[5, 5], [5, 3]]) { x in [solveTriangular(x[0].transposed(), matmul(x[0].transposed(), x[1]), lower: false)] }
        #expect(p.absorbed.count == 1)
        #expect(p.loops.isEmpty)
    }
}
