/// Every row of the op table, family by family. The families whose ops carry no payload are
/// listed from their enums (`CaseIterable`), so a new elementwise op or reduction joins by
/// having a case; the others list their rows in their own file beside the rows themselves.
/// What is derived from the table (the C prelude's declarations and helpers, libtcc's symbols,
/// the command line's function names, the conformance suite) reads this.
extension Rule {
    package static let catalog: [Rule] =
        Leaves.rows
        + UnaryFunction.allCases.map(\.rule)
        + BinaryFunction.allCases.map(\.rule)
        + Comparison.allCases.map(\.rule) + [Comparisons.select]
        + Reducer.allCases.map(\.rule) + Scans.rows
        + Structure.rows + Indexing.rows + MatrixProducts.rows + LinearAlgebra.rows + Factorizations.rows
        + Decompositions.rows + Convolution.rows + Tuples.rows + [Custom.rule]

    /// The libm functions the rows call, each once, in catalog order.
    package static let libmFunctions: [CFunction] = {
        var seen = Set<String>()
        return catalog.compactMap { rule -> CFunction? in
            guard case .libm(let function) = rule.elementwise?.c, seen.insert(function.name).inserted else { return nil }
            return function
        }
    }()

    /// The static C helpers the rows call (name and one-line definition), each once.
    package static let helpers: [(name: String, definition: String)] = catalog.compactMap { rule in
        guard case .helper(let name, let definition) = rule.elementwise?.c else { return nil }
        return ("\(name)", "\(definition)")
    }
}
