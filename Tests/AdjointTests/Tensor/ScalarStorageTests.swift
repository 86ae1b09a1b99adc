import Testing
@testable import Adjoint
#if canImport(Glibc)
import Glibc
#endif

/// A rank-0 tensor holds its number inline (`Storage.scalar`), and the shape lives in the storage:
/// the same values and shapes as before, in a `Tensor` small enough to travel in registers.
@Suite struct ScalarStorageTests {
    @Test func aScalarHoldsItsValueInline() {
        let a = Tensor(2.5)
        guard case .scalar(let v) = a.storage else { Issue.record("not inline: \(a.storage)"); return }
        #expect(v == 2.5)
        #expect(a.shape == [])
        #expect(a.rank == 0)
        #expect(a.count == 1)
        #expect(a.scalars == [2.5])
        #expect(a.scalar == 2.5)
        #expect(a.description == "2.5")
        let literal: Tensor = 3
        #expect(literal.shape == [] && literal.scalar == 3)
        #expect(Tensor(shape: [], scalars: [4]).storage.isScalar)
    }

    @Test func oneElementOfHigherRankKeepsItsShape() {
        let v = Tensor(shape: [1], scalars: [3])
        let m = Tensor(shape: [1, 1], scalars: [3])
        #expect(!v.storage.isScalar && !m.storage.isScalar)
        #expect(v.shape == [1] && m.shape == [1, 1])
        #expect(v.scalar == 3 && m.scalar == 3 && v.count == 1)
        #expect(v != Tensor(3))
        #expect(m != v)
        #expect((v + 1).shape == [1] && (v + 1).scalar == 4)
        #expect((Tensor(3) + v).shape == [1])
        #expect(Tensor(shape: [0], scalars: []).count == 0)
    }

    @Test func arithmeticOnScalarsGivesScalars() {
        let a = Tensor(1.5), b = Tensor(-2)
        for r in [a + b, a * b, a - b, a / b, exp(a), -a, a * 2, 2 * a] {
            #expect(r.storage.isScalar)
            #expect(r.shape == [])
        }
        #expect((a * b).scalar == -3)
        #expect(exp(a).scalar == Glibc.exp(1.5))
        #expect((Tensor([1, 2]) * a).scalars == [1.5, 3])
    }

    @Test func equalityAndCopies() {
        let a = Tensor(0.25)
        var b = a
        #expect(a == b)
        b = b + 1
        #expect(a.scalar == 0.25 && b.scalar == 1.25)
        #expect(a != b)
        #expect(a == Tensor(shape: [], scalars: [0.25]))
        #expect(a.detached == a)
        #expect(Tensor.zeros([]).storage.isScalar && Tensor.ones([]).scalar == 1)
        #expect(Tensor(repeating: 7, shape: []).scalar == 7)
    }

    /// Four words at most: Swift passes and returns such a struct in registers, and a caller's
    /// module copies and destroys it inline (a larger one went through its value witnesses).
    @Test func aTensorFitsInFourWords() {
        #expect(MemoryLayout<Tensor>.size <= 32)
        #expect(MemoryLayout<Tensor.Storage>.size == 16)
    }

    /// Nested transforms leave deferred results in a trace: their shapes are known at once, their
    /// values when first looked at.
    @Test func deferredResultsHaveShapesAndValues() {
        let f: (Tensor) -> Tensor = { x in sum(grad { y in sum(y * y * y) }(x) * x) }
        let x = Tensor([1, 2, 3])
        #expect(f(x).scalar == 3 * (1 + 8 + 27))
        #expect(grad(f)(x).scalars == [9, 36, 81])
        #expect(compile(grad(f))(x).scalars == [9, 36, 81])
        #expect(compile { (x: Tensor) in grad { y in y * y }(x) }(Tensor(3)).scalar == 6)
    }
}

extension Tensor.Storage {
    var isScalar: Bool { if case .scalar = self { true } else { false } }
}
