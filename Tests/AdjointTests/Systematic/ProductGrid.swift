import Testing

@testable import Adjoint

/// The products: `matmul` and `dot` at every rank (batch axes that broadcast, vectors promoted),
/// `outer`, `inner`, `tensordot`, `kron`, `cross` and `einsum` with one, two and three operands.
enum ProductGrid {
    static func pair(_ function: String, _ a: [Int], _ b: [Int], note: String = "",
                     _ f: @escaping @Sendable (Tensor, Tensor) -> Tensor) -> GridCase {
        GridCase(function, [a, b], [-2...2], note: note) { f($0[0], $0[1]) }
    }

    static let matmul: [GridCase] = [
        ([3, 4], [4, 2]), ([4], [4, 2]), ([3, 4], [4]), ([4], [4]),
        ([2, 3, 4], [2, 4, 2]), ([2, 3, 4], [4, 2]), ([3, 4], [2, 4, 2]), ([2, 1, 3, 4], [3, 4, 2]),
        ([2, 1, 2, 3], [1, 3, 3, 2]), ([4], [2, 4, 3]), ([2, 3, 4], [4]),
    ].map { pair("matmul", $0.0, $0.1) { Adjoint.matmul($0, $1) } }

    static let dot: [GridCase] = [
        pair("dot", [3], [3]) { Adjoint.dot($0, $1) },
        pair("dot", [], [2, 3]) { Adjoint.dot($0, $1) },
        pair("dot", [2, 3], [3, 2]) { Adjoint.dot($0, $1) },
        pair("dot", [2, 2, 3], [3, 2]) { Adjoint.dot($0, $1) },
        pair("dot", [2, 3], [2, 3, 2]) { Adjoint.dot($0, $1) },
        pair("dot", [2, 2, 3], [3]) { Adjoint.dot($0, $1) },
    ]

    static let others: [GridCase] = [
        pair("outer", [3], [2]) { outer($0, $1) },
        pair("outer", [2, 2], [3]) { outer($0, $1) },
        pair("outer", [], [2]) { outer($0, $1) },
        pair("inner", [3], [3]) { inner($0, $1) },
        pair("inner", [2, 3], [4, 3]) { inner($0, $1) },
        pair("inner", [2, 1, 3], [3]) { inner($0, $1) },
        pair("inner", [], [2, 3]) { inner($0, $1) },
        pair("tensordot", [2, 3, 4], [3, 4, 2], note: "axes: 2") { tensordot($0, $1) },
        pair("tensordot", [2, 3], [3, 2], note: "axes: 1") { tensordot($0, $1, axes: 1) },
        pair("tensordot", [2], [3], note: "axes: 0") { tensordot($0, $1, axes: 0) },
        pair("tensordot", [2, 3, 4], [4, 2, 3], note: "axes: ([1, -1], [2, 0])") { tensordot($0, $1, axes: ([1, -1], [2, 0])) },
        pair("tensordot", [3, 2], [3, 2], note: "axes: ([0], [0])") { tensordot($0, $1, axes: ([0], [0])) },
        pair("kron", [2, 2], [2, 3]) { kron($0, $1) },
        pair("kron", [3], [2, 2]) { kron($0, $1) },
        pair("kron", [], [2]) { kron($0, $1) },
        pair("cross", [3], [3]) { cross($0, $1) },
        pair("cross", [2, 3], [3]) { cross($0, $1) },
        pair("cross", [2, 1, 3], [3, 3]) { cross($0, $1) },
        pair("cross", [2], [2]) { cross($0, $1) },
        pair("cross", [2, 2], [3]) { cross($0, $1) },
    ]

    static let einsum: [GridCase] = [
        ("ij,jk->ik", [[2, 3], [3, 2]]), ("i,i->", [[3], [3]]), ("ii->", [[3, 3]]), ("ii->i", [[3, 3]]),
        ("bij,bjk->bik", [[2, 2, 3], [2, 3, 2]]), ("ij->ji", [[2, 3]]), ("ij,ij->ij", [[2, 3], [2, 3]]),
        ("i,j->ij", [[2], [3]]), ("ijk,kl,lm->im", [[2, 2, 3], [3, 2], [2, 2]]), ("ij,jk", [[2, 3], [3, 2]]),
        ("iij->j", [[2, 2, 3]]), ("...ij,...jk->...ik", [[2, 2, 3], [3, 2]]), ("bi,bi->b", [[3, 2], [1, 2]]),
    ].map { subscripts, shapes in
        GridCase("einsum", shapes, [-2...2], note: "\"\(subscripts)\"") { Adjoint.einsum(subscripts, operands: $0) }
    }
}

@Suite struct ProductGridTests {
    @Test(arguments: ProductGrid.matmul) func matmul(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: ProductGrid.dot) func dot(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: ProductGrid.others) func others(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: ProductGrid.einsum) func einsum(_ c: GridCase) { SystematicCheck.check(c) }
}
