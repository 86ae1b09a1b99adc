/// The subscripts of `einsum`, parsed and checked against the operands' shapes.
///
/// Every axis gets a label: a letter is its ASCII code; the axes an ellipsis stands for are
/// `ellipsisBase + i`, numbered so that they align from the right across operands, as
/// broadcasting does (an operand with fewer of them has the last ones).
struct EinsumSubscripts {
    /// Each operand's labels, axis by axis.
    var inputs: [[Int]]
    /// The result's labels, axis by axis.
    var output: [Int]
    /// Each label's extent: the broadcast of the operands' extents (NumPy lets 1 stand for any).
    var extents: [Int: Int]

    /// Why the subscripts do not fit (the caller adds the op, the subscripts and the shapes).
    struct Failure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    static let ellipsisBase = 256

    private enum Token: Equatable {
        case letter(Int)
        case ellipsis
    }

    init(_ text: String, shapes: [[Int]]) throws(Failure) {
        let sides = text.split(separator: "->", omittingEmptySubsequences: false)
        guard sides.count <= 2 else { throw Failure("'->' appears more than once") }
        let terms = try sides[0].split(separator: ",", omittingEmptySubsequences: false).map { term throws(Failure) in
            try Self.tokens(term)
        }
        guard !shapes.isEmpty else { throw Failure("einsum needs at least one operand") }
        guard terms.count == shapes.count else {
            throw Failure("they name \(terms.count) operand\(terms.count == 1 ? "" : "s"), but \(shapes.count) \(shapes.count == 1 ? "is" : "are") given")
        }
        // How many axes each ellipsis stands for.
        var spans: [Int] = []
        for (k, term) in terms.enumerated() {
            let letters = term.filter { $0 != .ellipsis }.count
            let rank = shapes[k].count
            if term.contains(.ellipsis) ? rank < letters : rank != letters {
                throw Failure("operand \(k) has rank \(rank), but its subscripts \"\(Self.text(term))\" name \(letters) ax\(letters == 1 ? "is" : "es")")
            }
            spans.append(rank - letters)
        }
        let span = spans.max() ?? 0
        inputs = terms.indices.map { k in Self.labels(terms[k], span: span, own: spans[k]) }
        extents = try Self.extents(inputs, shapes)
        output = try sides.count == 2 ? Self.explicitOutput(sides[1], inputs, span: span) : Self.implicitOutput(inputs, span: span)
    }

    /// A term's labels, its ellipsis standing for the last `own` of `span` ellipsis axes.
    private static func labels(_ term: [Token], span: Int, own: Int) -> [Int] {
        term.flatMap { token -> [Int] in
            guard case .letter(let code) = token else { return (span - own..<span).map { ellipsisBase + $0 } }
            return [code]
        }
    }

    /// The output after `->`: letters that appear in an operand, each once, and `...` when the
    /// operands have one.
    private static func explicitOutput(_ text: Substring, _ inputs: [[Int]], span: Int) throws(Failure) -> [Int] {
        let term = try tokens(text)
        let used = inputs.joined()
        var seen = Set<Int>()
        for case .letter(let code) in term {
            guard seen.insert(code).inserted else { throw Failure("letter \(name(code)) appears twice in the output") }
            guard used.contains(code) else { throw Failure("output letter \(name(code)) appears in no operand") }
        }
        guard span == 0 || term.contains(.ellipsis) else {
            throw Failure("the operands' '...' stands for \(span) ax\(span == 1 ? "is" : "es"), but the output has no '...'")
        }
        return labels(term, span: span, own: span)
    }

    /// NumPy's output without `->`: the ellipsis axes, then the letters that appear once, by code.
    private static func implicitOutput(_ inputs: [[Int]], span: Int) -> [Int] {
        var counts: [Int: Int] = [:]
        for label in inputs.joined() where label < ellipsisBase { counts[label, default: 0] += 1 }
        return (0..<span).map { ellipsisBase + $0 } + counts.filter { $0.value == 1 }.keys.sorted()
    }

    /// The letters and ellipses of one term; spaces are ignored.
    private static func tokens(_ term: Substring) throws(Failure) -> [Token] {
        var result: [Token] = []
        var dots = 0
        for scalar in term.unicodeScalars where scalar != " " {
            if scalar == "." {
                dots += 1
                if dots == 3 {
                    guard !result.contains(.ellipsis) else { throw Failure("'...' appears twice in \"\(term)\"") }
                    result.append(.ellipsis)
                    dots = 0
                }
                continue
            }
            guard dots == 0 else { throw Failure("a '.' that is not part of '...' in \"\(term)\"") }
            guard scalar.isASCII, scalar.properties.isAlphabetic else {
                throw Failure("'\(scalar)' is not a subscript (letters a-z and A-Z, '...', ',' and '->')")
            }
            result.append(.letter(Int(scalar.value)))
        }
        guard dots == 0 else { throw Failure("a '.' that is not part of '...' in \"\(term)\"") }
        return result
    }

    /// Every label's extent: one length, or 1 that broadcasts (as NumPy's).
    private static func extents(_ inputs: [[Int]], _ shapes: [[Int]]) throws(Failure) -> [Int: Int] {
        var extents: [Int: Int] = [:]
        var setBy: [Int: Int] = [:]
        for (k, labels) in inputs.enumerated() {
            for (axis, label) in labels.enumerated() {
                let n = shapes[k][axis]
                if let first = labels[..<axis].firstIndex(of: label), shapes[k][first] != n {
                    throw Failure("letter \(name(label)) is repeated in operand \(k) with lengths \(shapes[k][first]) and \(n) (a diagonal needs one)")
                }
                guard let known = extents[label] else {
                    extents[label] = n
                    setBy[label] = k
                    continue
                }
                if known == n || n == 1 { continue }
                guard known == 1 else {
                    guard label >= ellipsisBase else {
                        throw Failure("letter \(name(label)) has length \(known) in operand \(setBy[label]!) and \(n) in operand \(k)")
                    }
                    throw Failure("the axes that '...' stands for do not broadcast")
                }
                extents[label] = n
                setBy[label] = k
            }
        }
        return extents
    }

    private static func name(_ code: Int) -> String { "'" + String(UnicodeScalar(UInt8(code))) + "'" }

    private static func text(_ term: [Token]) -> String {
        term.map { token in
            guard case .letter(let code) = token else { return "..." }
            return String(UnicodeScalar(UInt8(code)))
        }.joined()
    }
}
