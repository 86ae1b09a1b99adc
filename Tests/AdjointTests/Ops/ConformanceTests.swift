import Testing
import TestSupport

@testable import Adjoint

/// The op table's conformance suite: every row of `Rule.catalog`, on the samples
/// `ConformanceSamples` gives it, is checked the three ways of DESIGN.md. Derivatives against
/// central differences in reverse and forward mode, at first and second order (every pairing of
/// modes); the dot-product test; compiled kernels against the interpreter; libtcc's code
/// against the optimized tier, bit for bit.
///
/// Each sample is seen through one flat parameter vector `p`: the operands are slices of it, so
/// one gradient covers every operand, and `f(p) = Σₖ sum(wₖ · resultₖ)` weighs every result element.
@Suite struct ConformanceTests {
    typealias Sample = ConformanceSamples.Sample

    /// A sample at a random point: the flat point, the weights, and the function built on them.
    struct Case {
        let sample: Sample
        let p: Tensor
        let shapes: [[Int]]
        let weights: [Tensor]
        /// The operands the sample holds constant (`Sample.held`), by position.
        let held: [Int: Tensor]

        init(_ sample: Sample) {
            self.sample = sample
            var rng = SplitMix64(seed: sample.testDescription.utf8.reduce(1469598103934665603) { ($0 ^ UInt64($1)) &* 1099511628211 })
            var operands = sample.shapes.indices.map { k in rng.tensor(sample.shapes[k], in: sample.domain(k)) }
            if let prepare = sample.prepare { operands = prepare(operands) }
            if !sample.zeros.isEmpty {
                var scalars = operands[0].scalars
                for i in sample.zeros { scalars[i] = 0 }
                operands[0] = Tensor(shape: operands[0].shape, scalars: scalars)
            }
            shapes = sample.shapes
            held = Dictionary(uniqueKeysWithValues: sample.held.map { ($0, operands[$0]) })
            let free = operands.indices.filter { sample.held.contains($0) == false }.map { operands[$0] }
            p = Tensor(shape: [free.reduce(0) { $0 + $1.count }], scalars: free.flatMap(\.scalars))
            let results = ConformanceTests.results(sample, operands)
            weights = results.map { rng.tensor($0.shape) }
        }

        /// The operands as slices of `p` (and the held ones).
        func operands(_ p: Tensor) -> [Tensor] {
            var offset = 0
            return shapes.indices.map { k in
                if let constant = held[k] { return constant }
                let shape = shapes[k], n = shape.reduce(1, *)
                defer { offset += n }
                return p[offset..<(offset + n)].reshaped(shape)
            }
        }

        /// The scalar function the derivative checks differentiate.
        func f(_ p: Tensor) -> Tensor {
            zip(ConformanceTests.results(sample, operands(p)), weights).map { sum($0 * $1) }.reduce(Tensor(0), +)
        }

        /// Every result element, flattened and joined (for the dot-product test).
        func all(_ p: Tensor) -> Tensor {
            let flat = ConformanceTests.results(sample, operands(p)).map { $0.reshaped([$0.count]) }
            return flat.dropFirst().reduce(flat[0]) { concatenate([$0, $1], axis: 0) }
        }
    }

    static func results(_ s: Sample, _ operands: [Tensor]) -> [Tensor] {
        s.op.rule.results > 1 ? Tensor.applyResults(s.op, operands) : [Tensor.apply(s.op, operands, target: s.target)]
    }

    /// The central difference of `f` along `v`, or 0 for a sample whose derivative is zero by definition.
    static func centralDifference(_ f: (Tensor) -> Tensor, at p: Tensor, along v: Tensor, _ sample: Sample) -> Double {
        sample.frozen ? 0 : centralDifference(f, at: p, along: v)
    }

    static func centralDifference(_ f: (Tensor) -> Tensor, at p: Tensor, along v: Tensor) -> Double {
        let h = 1e-5
        return (f(p + h * v).scalar - f(p - h * v).scalar) / (2 * h)
    }

    static func expectClose(_ ad: Double, _ fd: Double, _ tolerance: Double, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Swift.abs(ad - fd) <= tolerance * max(1, Swift.abs(fd)), "\(what): \(ad) vs central difference \(fd)",
                sourceLocation: sourceLocation)
    }

    /// Every row has test data, and every sample is filed under its own row.
    /// Each row is an object of its own, so an op without a payload is its row: the stages that
    /// compare ops by row identity (`LoopProgram.rows`, the reroll finder) rely on it.
    @Test func everyRowIsItsOwnObject() {
        let rows = Rule.catalog.map(ObjectIdentifier.init)
        #expect(Set(rows).count == rows.count)
        for rule in Rule.catalog where rule.payloadHash == nil {
            #expect(Rule.catalog.filter { $0.name == rule.name }.count == 1, "\(rule.name)")
        }
    }

    @Test func everyRowHasTestData() {
        for rule in Rule.catalog {
            switch ConformanceSamples.entries[rule.name] {
            case .samples(let samples)?:
                #expect(!samples.isEmpty, "row '\(rule.name)' has an empty sample list")
                for sample in samples { #expect(sample.op.rule.name == rule.name, "a sample of '\(sample.op.name)' is filed under '\(rule.name)'") }
            case .covered?: break
            case nil: Issue.record("row '\(rule.name)' of the op table has no conformance data (Tests/AdjointTests/Ops/ConformanceSamples.swift)")
            }
        }
        let names = Set(Rule.catalog.map(\.name))
        #expect(names.count == Rule.catalog.count, "two rows share a name")
        for name in ConformanceSamples.entries.keys { #expect(names.contains(name), "conformance data for '\(name)', which is no row") }
    }

    /// First order: reverse and forward mode against central differences.
    @Test(arguments: ConformanceSamples.all)
    func firstOrder(_ sample: Sample) {
        let c = Case(sample)
        var rng = SplitMix64(seed: 7)
        let v = rng.tensor(c.p.shape)
        let fd = Self.centralDifference(c.f, at: c.p, along: v, sample)
        Self.expectClose(innerProduct(grad(c.f)(c.p), v), fd, sample.tolerance, "reverse mode")
        Self.expectClose(jvp(c.f, at: c.p, tangent: v).tangent.scalar, fd, sample.tolerance, "forward mode")
    }

    /// Second order, every pairing of modes: the derivative along `v` of `<∇f(p), w>`.
    @Test(arguments: ConformanceSamples.all)
    func secondOrder(_ sample: Sample) {
        let c = Case(sample)
        var rng = SplitMix64(seed: 11)
        let (v, w) = (rng.tensor(c.p.shape), rng.tensor(c.p.shape))
        let reverse: (Tensor) -> Tensor = { p in sum(grad(c.f)(p) * w) }
        let forward: (Tensor) -> Tensor = { p in jvp(c.f, at: p, tangent: w).tangent }
        let fd = Self.centralDifference(reverse, at: c.p, along: v, sample)
        let tolerance = 2 * sample.tolerance
        Self.expectClose(innerProduct(grad(reverse)(c.p), v), fd, tolerance, "reverse over reverse")
        Self.expectClose(jvp(reverse, at: c.p, tangent: v).tangent.scalar, fd, tolerance, "forward over reverse")
        Self.expectClose(innerProduct(grad(forward)(c.p), v), fd, tolerance, "reverse over forward")
        Self.expectClose(jvp(forward, at: c.p, tangent: v).tangent.scalar, fd, tolerance, "forward over forward")
    }

    /// The dot-product test: `<u, J v>` from forward mode equals `<Jᵀ u, v>` from reverse mode,
    /// and both equal the central difference of `<u, F>` along v.
    @Test(arguments: ConformanceSamples.all)
    func dotProduct(_ sample: Sample) {
        let c = Case(sample)
        var rng = SplitMix64(seed: 13)
        let out = c.all(c.p)
        let (u, v) = (rng.tensor(out.shape), rng.tensor(c.p.shape))
        let jv = jvp(c.all, at: c.p, tangent: v).tangent
        let jtu = vjp(c.all, at: c.p, cotangent: u).cotangent
        let (forward, reverse) = (innerProduct(u, jv), innerProduct(jtu, v))
        #expect(Swift.abs(forward - reverse) <= 1e-12 * max(1, Swift.abs(forward)), "<u, Jv> = \(forward), <Jᵀu, v> = \(reverse)")
        Self.expectClose(forward, Self.centralDifference({ sum(c.all($0) * u) }, at: c.p, along: v, sample), sample.tolerance, "<u, Jv>")
    }

    /// Compiled kernels agree with the interpreter: the op, its gradient, a second derivative.
    @Test(arguments: ConformanceSamples.all)
    func compiledAgreesWithInterpreted(_ sample: Sample) {
        let c = Case(sample)
        var rng = SplitMix64(seed: 17)
        let w = rng.tensor(c.p.shape)
        let second: (Tensor) -> Tensor = { p in grad { q in sum(grad(c.f)(q) * w) }(p) }
        #expect(relativeError(compile(c.all)(c.p), c.all(c.p)) <= 1e-12, "the op")
        #expect(relativeError(compile(grad(c.f))(c.p), grad(c.f)(c.p)) <= 1e-12, "its gradient")
        #expect(relativeError(compile(second)(c.p), second(c.p)) <= 1e-9, "a second derivative")
    }

    static var compilerFound: Bool {
        if case .success = SystemCompiler.found { return true }
        return false
    }

    /// libtcc's code and the optimized tier's give the same bits (the value and the gradient).
    @Test(.enabled(if: compilerFound, "no C compiler for the optimized tier"), arguments: ConformanceSamples.all)
    func tiersAgreeBitForBit(_ sample: Sample) throws {
        let c = Case(sample)
        try OptimizedTierTests.expectSameResults(compile(valueAndGrad(c.f)).specializations,
                                                 { [valueAndGrad(c.f)($0[0]).value, valueAndGrad(c.f)($0[0]).gradient] }, [c.p])
    }
}
