import Adjoint

/// EXPR parsed and checked against the declared variables, with every size bounded: after
/// `init` nothing the user typed can make building or differentiating it fail.
struct CheckedExpression {
    let expression: Adjoint.Expression
    let variables: [Variable]
    /// The shape of EXPR's value.
    let shape: [Int]

    init(_ text: String, variables: [Variable]) throws(UsageError) {
        self.variables = variables
        do throws(ExpressionError) {
            expression = try Adjoint.Expression(parsing: text)
            let declared = Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0.shape) })
            let shapes = try expression.nodeShapes(declared)
            for (index, shape) in shapes.enumerated() where !CheckedExpression.fits(shape) {
                throw ExpressionError("this value would have \(CheckedExpression.size(shape)) elements "
                                      + "(\(describe(shape))); the command line handles at most \(maximumElements)",
                                      range: expression.nodes[index].range, source: text)
            }
            try CheckedExpression.checkBudget(expression, shapes)
            shape = shapes[shapes.count - 1]
        } catch {
            throw UsageError(error.description)
        }
    }

    /// Tracing computes every value (at zeros, for `c`), so the memory of all values together
    /// and the work of the matrix products are bounded too: a typo in a shape should get a
    /// message, not minutes of work or an out-of-memory kill.
    static let maximumTotalElements = 4 * maximumElements
    static let maximumProductWork = 1_000_000_000

    private static func checkBudget(_ expression: Adjoint.Expression, _ shapes: [[Int]]) throws(ExpressionError) {
        var elements = 0, work = 0
        for (index, node) in expression.nodes.enumerated() {
            elements += shapes[index].reduce(1, *)  // each at most maximumElements: no overflow
            guard elements <= maximumTotalElements else {
                throw ExpressionError("the values of this expression would take more than \(maximumTotalElements) "
                                      + "elements in all; the command line handles no more",
                                      range: expression.root.range, source: expression.text)
            }
            let operands: [ExpressionNode.ID]
            switch node.kind {
            case .binary(.matmul, let lhs, let rhs): operands = [lhs, rhs]
            case .call(let name, let arguments) where (name == "matmul" || name == "dot") && arguments.count == 2:
                operands = arguments.map(\.value)
            default: continue
            }
            let inner = shapes[operands[0].index].last ?? 1
            work += shapes[index].reduce(1, *) * inner
            guard work <= maximumProductWork else {
                throw ExpressionError("the matrix products up to here would take more than \(maximumProductWork) "
                                      + "multiply-adds; the command line handles no more", range: node.range, source: expression.text)
            }
        }
    }

    private static func fits(_ shape: [Int]) -> Bool {
        var n = 1
        for extent in shape {
            let (product, overflow) = n.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= maximumElements else { return false }
            n = product
        }
        return true
    }

    private static func size(_ shape: [Int]) -> String {
        var n = 1.0
        for extent in shape { n *= Double(extent) }
        return n < 1e18 ? String(Int(n)) : "about \(n)"
    }

    /// The error for a derivative of a value that is not one number, with a caret under EXPR.
    private func needsScalar(_ option: String) -> UsageError {
        let text = expression.text
        let suggestion = text.utf8.count <= 40 ? "sum(\(text))" : "sum(...)"
        let error = ExpressionError("\(option) needs a scalar expression, but this has \(describe(shape)); "
                                    + "reduce it first, e.g. \(suggestion)",
                                    range: expression.root.range, source: text)
        return UsageError(error.description)
    }

    /// The position of a variable named by `option`, or the reason it cannot be used.
    private func index(of name: String, option: String) throws(UsageError) -> Int {
        guard let index = variables.firstIndex(where: { $0.name == name }) else {
            throw UsageError("\(option) \(quoted(name)): \(Assignments.undeclared(name, among: variables))")
        }
        guard shape.reduce(1, *) == 1 else { throw needsScalar(option) }
        return index
    }

    /// The variables that `--grad` names, in order.
    func gradientIndices(_ names: [String]) throws(UsageError) -> [Int] {
        var indices: [Int] = []
        for name in names {
            let i = try index(of: name, option: "--grad")
            guard !indices.contains(i) else { throw UsageError("--grad '\(name)' is given twice") }
            indices.append(i)
        }
        return indices
    }

    /// Hessians are computed one gradient component at a time (see `hessian`), so their size is
    /// bounded more tightly than other values.
    static let maximumHessianInputs = 1024

    /// The variable that `--hessian` names.
    func hessianIndex(_ name: String?) throws(UsageError) -> Int? {
        guard let name else { return nil }
        let i = try index(of: name, option: "--hessian")
        let n = variables[i].count
        guard n <= CheckedExpression.maximumHessianInputs else {
            throw UsageError("--hessian '\(name)': '\(name)' has \(n) elements; the command line computes "
                             + "hessians of at most \(CheckedExpression.maximumHessianInputs)")
        }
        return i
    }

    /// EXPR as a function of the variables, in declaration order.
    func scalarFunction() -> ([Tensor]) -> Tensor {
        let expression = self.expression
        let names = variables.map(\.name)
        return { xs in expression.evaluate(Dictionary(uniqueKeysWithValues: zip(names, xs))) }
    }

    /// The function the commands compile: its results are EXPR's value, then the gradient with
    /// respect to each of `gradients`, then the hessian with respect to `hessian`, if any,
    /// all from one trace (one kernel).
    func function(gradients: [Int], hessian index: Int?) -> ([Tensor]) -> [Tensor] {
        let f = scalarFunction()
        return { xs in
            var results: [Tensor]
            if gradients.isEmpty {
                results = [f(xs)]
            } else {
                let r = Gradient.valueAndGradients(f, at: xs, wrt: gradients)
                results = [r.value] + r.gradients
            }
            if let index {
                let partial: (Tensor) -> Tensor = { x in
                    var arguments = xs
                    arguments[index] = x
                    return f(arguments)
                }
                results.append(hessian(partial)(xs[index]))
            }
            return results
        }
    }

    /// What each result of `function` is, for messages, headers and JSON.
    func resultNames(gradients: [Int], hessian: Int?) -> [String] {
        ["value"] + gradients.map { "gradient \(variables[$0].name)" } + (hessian.map { ["hessian \(variables[$0].name)"] } ?? [])
    }
}

/// Runs a function on tensors, turning a shape error that the checker could not foresee (one
/// that depends on values, as `take` of non-integral indices) into a message instead of a trap.
/// The error's Swift location is the library's own, which means nothing to a user of EXPR.
func checkingShapes<T>(_ body: () -> T) throws(UsageError) -> T {
    do {
        return try Tensor.checkingShapes(body)
    } catch var error as ShapeError {
        error.location = nil
        throw UsageError("\(error)")
    } catch {
        throw UsageError("\(error)")
    }
}
