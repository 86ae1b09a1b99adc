/// Calls of `.general` functions (`triu(x, k=1)`, `roll(x, 2, axis=0)`, `outer(a, b)`): the
/// arguments bound to the signature by position or by name, integers checked to be literals,
/// and the shape found by applying the function to zeros of the operands' shapes, with the
/// library's own shape errors turned into messages at the call.
extension ExpressionChecker {
    /// The largest result a call's shape is worked out for by applying it: 2²⁴ elements.
    static let largestCheckedResult = 1 << 24

    func generalShape(_ function: ExpressionFunction, _ arguments: [ExpressionNode.Argument],
                      at range: Range<Int>) throws(ExpressionError) -> [Int] {
        let bound = try bind(arguments, to: function, at: range)
        var tensors: [Tensor] = [], integers: [Int?] = [], strings: [String] = []
        for (parameter, argument) in zip(function.signature, bound) {
            if parameter.isInteger {
                integers.append(try argument.map { argument throws(ExpressionError) in try integer(argument, parameter, function) } ?? nil)
            } else if parameter.isString {
                if argument == nil && parameter.isOptional {
                    strings.append("")
                    continue
                }
                guard let argument, case .string(let text) = expression[argument.value].kind else {
                    throw error("the \(parameter.name) of '\(function.rawValue)' must be a quoted string such as 'ij,jk->ik'",
                                at: argument?.range ?? range)
                }
                strings.append(text)
            } else if let argument {
                if case .string = expression[argument.value].kind {
                    throw error("the \(parameter.name) of '\(function.rawValue)' is a tensor, not a string", at: argument.range)
                }
                tensors.append(Tensor.zeros(shapes[argument.value.index]))
            }
        }
        let counts = tensors.map { Swift.max(1, $0.count) }
        let largest = counts.max() ?? 1
        let estimate = function.grows
            ? counts.reduce(largest) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            : largest
        guard estimate <= Self.largestCheckedResult else {
            throw error("'\(function.rawValue)' of these operands may be too large (more than \(Self.largestCheckedResult) elements)", at: range)
        }
        do {
            let call = function.general!
            return try Tensor.checkingShapes { call(tensors, integers, strings) }.shape
        } catch var shapeError as ShapeError {
            shapeError.location = nil
            throw error(shapeError.description, at: range)
        } catch {
            throw self.error("'\(function.rawValue)': \(error)", at: range)
        }
    }

    /// The argument of each parameter (nil: an optional one left out), by position, then by name.
    func bind(_ arguments: [ExpressionNode.Argument], to function: ExpressionFunction,
              at range: Range<Int>) throws(ExpressionError) -> [ExpressionNode.Argument?] {
        let signature = function.signature
        guard function.argumentCounts.contains(arguments.count) || arguments.contains(where: { $0.label != nil }) else {
            throw error("\(function.signatureDescription), got \(arguments.count)", at: range)
        }
        var bound = [ExpressionNode.Argument?](repeating: nil, count: signature.count)
        var named = false
        for (position, argument) in arguments.enumerated() {
            var slot = position
            if let label = argument.label {
                named = true
                guard let index = signature.firstIndex(where: { $0.name == label }) else {
                    let hint = ExpressionSuggestion.closest(to: label, among: signature.map(\.name)).map { "; did you mean '\($0)'?" }
                    throw error("'\(function.rawValue)' has no argument '\(ExpressionError.abbreviated(label))'\(hint ?? "")",
                                at: argument.range)
                }
                slot = index
            } else if named {
                throw error("a positional argument after a named one in '\(function.rawValue)'", at: argument.range)
            }
            guard slot < signature.count else { throw error("\(function.signatureDescription), got \(arguments.count)", at: range) }
            guard bound[slot] == nil else {
                throw error("'\(function.rawValue)' got two values for '\(signature[slot].name)'", at: argument.range)
            }
            bound[slot] = argument
        }
        if let missing = zip(signature, bound).first(where: { !$0.0.isOptional && $0.1 == nil }) {
            throw error("'\(function.rawValue)' needs its argument '\(missing.0.name)' (\(function.signatureDescription))", at: range)
        }
        return bound
    }

    private func integer(_ argument: ExpressionNode.Argument, _ parameter: ExpressionFunction.Parameter,
                         _ function: ExpressionFunction) throws(ExpressionError) -> Int {
        switch expression.integerLiteral(argument.value) {
        case .value(let value): return value
        case .tooLarge: throw error("the \(parameter.name) of '\(function.rawValue)' is out of range", at: argument.range)
        case .notInteger:
            throw error("the \(parameter.name) of '\(function.rawValue)' must be an integer literal such as 0 or -1", at: argument.range)
        }
    }
}
