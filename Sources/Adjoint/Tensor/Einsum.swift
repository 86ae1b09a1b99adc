/// `einsum`: NumPy's subscripts, parsed into labelled axes (Einsum+Subscripts.swift) and lowered
/// to the ops everything else uses. Each operand first gives up its repeated letters (a diagonal)
/// and the letters nobody else has (a sum); then the operands are contracted pairwise, left to
/// right: the letters both share and that are needed later are batch axes, those needed no more
/// are summed by one `matmul` (a `batched_matmul` with batch letters), and a pair with nothing to
/// sum is a broadcast product. `einsum("ij,jk->ik", a, b)` is the very graph of `matmul(a, b)`.

/// Einstein summation with NumPy's subscripts: `"ij,jk->ik"` is a matrix product, `"ii->"` the
/// trace, `"ii->i"` the diagonal, `"bij,bjk->bik"` a batched product, `"i,j->ij"` an outer
/// product. Without `->` the output is the letters that appear once, in alphabetical order.
/// `...` stands for axes that broadcast (NumPy's ellipsis); it leads an implicit output.
/// Letters are ASCII letters (case matters); a letter has one length in every operand (or 1,
/// which broadcasts, as NumPy's).
public func einsum(_ subscripts: String, _ operands: Tensor..., file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    einsum(subscripts, operands: operands, file: file, line: line)
}

/// `einsum` over an array of operands (labelled, so that a nested literal is never read as a
/// list of operands: `einsum("ii", [[1, 2], [3, 4]])` is the trace of one matrix).
public func einsum(_ subscripts: String, operands: [Tensor], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    let parsed: EinsumSubscripts
    do {
        parsed = try EinsumSubscripts(subscripts, shapes: operands.map(\.shape))
    } catch {
        let error = ShapeError("einsum", operands.map(\.shape), "subscripts \"\(subscripts)\": \(error.reason)", location: location)
        return ShapeErrors.report(error, fallback: [])
    }
    return parsed.evaluate(operands, location: location)
}

/// A tensor whose axes are named by einsum labels.
struct Labelled {
    var tensor: Tensor
    var labels: [Int]

    /// The repeated labels merged into one axis each (the diagonal), that axis last.
    func diagonals() -> Labelled {
        var x = self
        while let q = x.labels.indices.first(where: { i in x.labels[..<i].contains(x.labels[i]) }) {
            let p = x.labels.firstIndex(of: x.labels[q])!
            let others = x.labels.indices.filter { $0 != p && $0 != q }
            x = Labelled(tensor: diagonal(x.tensor.permuted(others + [p, q])), labels: others.map { x.labels[$0] } + [x.labels[p]])
        }
        return x
    }

    /// The axes with these labels summed away.
    func summing(_ gone: Set<Int>) -> Labelled {
        let axes = labels.indices.filter { gone.contains(labels[$0]) }
        guard !axes.isEmpty else { return self }
        return Labelled(tensor: Tensor.apply(.reduce(.sum, axes), [tensor]), labels: labels.filter { !gone.contains($0) })
    }

    /// The axes in the order of `order` (a permutation of the labels).
    func arranged(_ order: [Int]) -> Tensor {
        tensor.permuted(order.map { labels.firstIndex(of: $0)! })
    }

    /// The extents of the axes labelled `order`.
    func extents(_ order: [Int]) -> [Int] {
        order.map { tensor.shape[labels.firstIndex(of: $0)!] }
    }
}

/// The diagonal of the last two axes (of one extent n), as a last axis: the n² elements with n
/// zeros after them read as n rows of n + 1, whose first column is the diagonal. Reshapes, a pad
/// and a slice, so O(size) work (a mask of the identity would be n times more).
private func diagonal(_ t: Tensor) -> Tensor {
    let n = t.shape[t.rank - 1], lead = Array(t.shape.dropLast(2))
    let flat = t.shaped(lead + [n * n])
    let padded = Tensor.apply(.pad(axis: lead.count, before: 0, after: n), [flat])
    let rows = padded.shaped(lead + [n, n + 1])
    return Tensor.apply(.slice(axis: lead.count + 1, start: 0, end: 1), [rows]).shaped(lead + [n])
}

extension EinsumSubscripts {
    /// The result: operands prepared one by one, contracted pairwise from the left.
    func evaluate(_ operands: [Tensor], location: String) -> Tensor {
        let prepared = operands.indices.map { k in prepare(operands[k], k) }
        var result = prepared[0]
        for k in prepared.indices.dropFirst() {
            let later = Set(inputs[(k + 1)...].joined()).union(output)
            result = contract(result, prepared[k], keeping: later, location: location)
        }
        let final = result.diagonals().summing(Set(result.labels).subtracting(output))
        return final.arranged(output)
    }

    /// Operand k with its broadcast axes of extent 1 dropped (the other operands' extent stands),
    /// its diagonals taken, and the labels no other operand and not the output has summed.
    private func prepare(_ t: Tensor, _ k: Int) -> Labelled {
        let kept = inputs[k].indices.filter { t.shape[$0] == extents[inputs[k][$0]] || t.shape[$0] != 1 }
        let squeezed = Labelled(tensor: t.shaped(kept.map { t.shape[$0] }), labels: kept.map { inputs[k][$0] })
        var elsewhere = Set(output)
        for j in inputs.indices where j != k { elsewhere.formUnion(inputs[j]) }
        let x = squeezed.diagonals()
        return x.summing(Set(x.labels).subtracting(elsewhere))
    }

    /// `x` and `y` contracted: labels in both that `keep` holds are batch axes, the other shared
    /// ones are summed; the rest are kept (`x`'s, then `y`'s).
    private func contract(_ x: Labelled, _ y: Labelled, keeping keep: Set<Int>, location: String) -> Labelled {
        let x = x.summing(Set(x.labels).subtracting(keep).subtracting(y.labels))
        let y = y.summing(Set(y.labels).subtracting(keep).subtracting(x.labels))
        let batch = x.labels.filter { y.labels.contains($0) && keep.contains($0) }
        let summed = x.labels.filter { y.labels.contains($0) && !keep.contains($0) }
        let freeX = x.labels.filter { !y.labels.contains($0) }, freeY = y.labels.filter { !x.labels.contains($0) }
        let labels = batch + freeX + freeY
        let (eb, ex, ey) = (x.extents(batch), x.extents(freeX), y.extents(freeY))
        if summed.isEmpty {
            let ones = { (n: Int) in [Int](repeating: 1, count: n) }
            let a = x.arranged(batch + freeX).shaped(eb + ex + ones(freeY.count))
            let b = y.arranged(batch + freeY).shaped(eb + ones(freeX.count) + ey)
            return Labelled(tensor: a * b, labels: labels)
        }
        let (m, k, n) = (Shape.count(ex), Shape.count(x.extents(summed)), Shape.count(ey))
        let stack = batch.isEmpty ? [] : [Shape.count(eb)]
        let a = x.arranged(batch + freeX + summed).shaped(stack + [m, k])
        let b = y.arranged(batch + summed + freeY).shaped(stack + [k, n])
        let product = batch.isEmpty ? Tensor.apply(.matmul, [a, b], location: location)
                                    : Tensor.apply(.batchedMatmul, [a, b], location: location)
        return Labelled(tensor: product.shaped(eb + ex + ey), labels: labels)
    }
}
