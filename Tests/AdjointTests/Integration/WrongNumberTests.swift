import Testing
import TestSupport

@testable import Adjoint

/// Reproductions of compiled results that once differed from the interpreter with no warning
/// (issue 12), each checked on both tiers and against the interpreter.
@Suite(.serialized) struct WrongNumberTests {
    /// Two values once shared a workspace slot: a one-element slice of `a_concat11`, folded into
    /// a later statement, was read after `a_concat9` had overwritten the same memory.
    @Test func foldedReadKeepsItsBufferAlive() throws {
        let f: ([Tensor]) -> Tensor = { v in
            sum(dot(stack([dot(v[1], v[2][0]), v[1][1]]), stack([v[1][1], v[0]])))
        }
        let xs: [Tensor] = [0.4, [0.3, -0.5, 0.9], [[0.1, 0.2, 0.3], [0.7, -0.2, 0.5]]]
        let compiled = compile(grad(f))
        let interpreted = grad(f)(xs)
        for (c, i) in zip(compiled(xs), interpreted) { #expect(relativeError(c, i) <= 1e-12) }
        try OptimizedTierTests.expectSameResults(compiled.specializations, { grad(f)($0) }, xs)
    }

    /// libtcc 0.9.27 computes `adj_data0[0] + adj_data0[1]` wrong when adj_data0 is an extern
    /// array (both loads go through the GOT): kernels read tensor constants through local pointers.
    static let readingConstants: [(String, @Sendable (Tensor) -> Tensor)] = [
        ("stack", { z in sum(stack([z, z]) * Tensor([2.0, 3.0])) }),
        ("concatenate", { z in sum(concatenate([z.reshaped([1]), z.reshaped([1])]) * Tensor([2.0, 3.0])) }),
        ("dot", { z in dot(stack([z, z]), Tensor([2.0, 3.0])) }),
        ("difference", { z in sum(z * Tensor([2.0, 7.0])) * (Tensor([2.0, 3.0])[1] - Tensor([5.0, 3.0])[0]) }),
    ]

    @Test func tensorConstantsReadRight() throws {
        for (name, f) in Self.readingConstants {
            let compiled = compile(grad(f))
            let expected = grad(f)(1.0)
            #expect(compiled(1.0).scalar == expected.scalar, "\(name)")
            #expect(compiled(1.0).scalar == expected.scalar, "\(name), second call")
            try OptimizedTierTests.expectSameResults(compiled.specializations, { [grad(f)($0[0])] }, [1.0])
        }
    }
}

extension WrongNumberTests {
    /// A trace once found concrete tensors by the address of their storage, and kept only the
    /// arrays it stored: a splat (stored as one number) was freed, and a later tensor of the same
    /// shape allocated at its address was taken for it. Results then depended on the allocator.
    @Test func constantsAreNotTakenForEarlierOnesAtTheSameAddress() {
        let f: (Tensor) -> Tensor = { x in
            var total = sum(x)
            for i in 0..<64 {
                let c = Tensor(shape: [3], scalars: i % 2 == 0 ? [1, 1, 1] : [1, 2, 3])
                total = total + sum(x * c)
            }
            return total
        }
        let expected: [Double] = [1 + 64, 1 + 32 * 3, 1 + 32 * 4]
        let x: Tensor = [0.5, -1, 2]
        #expect(grad(f)(x).scalars == expected)
        #expect(compile(grad(f))(x).scalars == expected)
    }
}

extension WrongNumberTests {
    /// A one-element value read once by a transpose or a slice (a statement that reads its
    /// operand's memory by name) was folded into it, leaving `double transpose54 = ;`: libtcc
    /// failed and the function ran interpreted (found by the random-program checker).
    @Test func oneElementStructuralReadersGetTheirOperandByName() throws {
        let functions: [(Tensor) -> Tensor] = [
            { x in sum(sin(x.reshaped([1, 1])).transposed() * 3) },
            { x in sum(matmul(cos(x.reshaped([1, 1])), x.reshaped([1, 1])).transposed() * x) },
            { x in sum(stack([tanh(x), x])[0..<1] * 2) },
        ]
        for f in functions {
            let compiled = compile(grad(f))
            #expect(compiled(0.3).scalar == grad(f)(0.3).scalar)
            #expect(compiled.fallbackReason == nil)
        }
    }
}
