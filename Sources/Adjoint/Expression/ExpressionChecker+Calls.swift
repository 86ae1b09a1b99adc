/// Function calls: name resolution, argument counts and labels, and each family's shape rule.
extension ExpressionChecker {
    func callShape(_ name: String, _ arguments: [ExpressionNode.Argument],
                   at range: Range<Int>) throws(ExpressionError) -> [Int] {
        let nameRange = range.lowerBound..<range.lowerBound + name.utf8.count
        guard let function = ExpressionFunction(rawValue: name) else {
            throw unknownFunction(name, at: nameRange)
        }
        if function.family == .general { return try generalShape(function, arguments, at: range) }
        try checkArguments(arguments, of: function, at: range)
        let values = arguments.map(\.value)
        switch function.family {
        case .general:
            preconditionFailure("handled above")
        case .elementwise:
            return shapes[values[0].index]
        case .transpose:
            return shapes[values[0].index].reversed()
        case .power:
            return try broadcast(values, name: "'\(name)'", at: range)
        case .select:
            return try broadcast(values, name: "'\(name)'", at: range)
        case .matrixProduct:
            if function.rawValue == "dot", shapes[values[0].index].isEmpty || shapes[values[1].index].isEmpty {
                return try broadcast(values, name: "'dot'", at: range)  // NumPy: a scalar scales
            }
            return try matrixProductShape(values[0], values[1], name: "'\(name)'", at: range)
        case .reduction:
            return try reductionShape(function, operand: values[0],
                                      axis: arguments.count > 1 ? arguments[1] : nil, at: range)
        }
    }

    private func unknownFunction(_ name: String, at range: Range<Int>) -> ExpressionError {
        if name == "pi" { return error("'pi' is a constant, not a function", at: range) }
        if declared[name] != nil {
            return error("'\(name)' is a variable, not a function; there is no implicit multiplication "
                         + "(write \(name) * (...))", at: range)
        }
        var message = "unknown function '\(ExpressionError.abbreviated(name))'"
        let names = ExpressionFunction.allCases.map(\.rawValue)
        if let guess = ExpressionSuggestion.closest(to: name, among: names) {
            message += "; did you mean '\(guess)'?"
        }
        return error(message, at: range)
    }

    /// Counts, then labels: only a reduction's second argument may be labelled, as `axis=`.
    private func checkArguments(_ arguments: [ExpressionNode.Argument], of function: ExpressionFunction,
                                at range: Range<Int>) throws(ExpressionError) {
        guard function.argumentCounts.contains(arguments.count) else {
            throw error("\(function.signatureDescription), got \(arguments.count)", at: range)
        }
        for (position, argument) in arguments.enumerated() {
            guard let label = argument.label else { continue }
            let quoted = ExpressionError.abbreviated(label)
            guard function.family == .reduction else {
                throw error("'\(function.rawValue)' takes no keyword arguments", at: argument.range)
            }
            guard label == "axis" else {
                let hint = ExpressionSuggestion.closest(to: label, among: ["axis"]).map { "; did you mean '\($0)'?" }
                throw error("'\(function.rawValue)' has no argument '\(quoted)'\(hint ?? "")", at: argument.range)
            }
            if position == 0 {
                throw error("the first argument of '\(function.rawValue)' is the tensor, not the axis",
                            at: argument.range)
            }
        }
    }

    /// `sum(x)` is a scalar; `sum(x, axis)` drops that axis (negative axes count from the end).
    ///
    /// `max` and `min` refuse empty extents (they have no value there), and their errors
    /// carry a hint, since `max(x, 0)` is usually meant as an elementwise maximum.
    private func reductionShape(_ function: ExpressionFunction, operand: ID, axis: ExpressionNode.Argument?,
                                at range: Range<Int>) throws(ExpressionError) -> [Int] {
        var shape = shapes[operand.index]
        let name = "'\(function.rawValue)'"
        let isExtremum = function.isExtremum
        let hint = isExtremum ? Self.extremumHint(function) : ""
        guard let axis else {
            if isExtremum, shape.contains(0) {
                throw error("\(name) of an empty tensor (shape \(ExpressionFormat.shape(shape)))", at: range)
            }
            return []
        }
        let of = shape.isEmpty ? "a scalar" : "a tensor of shape \(ExpressionFormat.shape(shape))"
        let spelled = expression.excerpt(expression[axis.value].range)
        let outOfRange = error("axis \(spelled) is out of range for \(name) of \(of)\(hint)", at: axis.range)
        switch expression.integerLiteral(axis.value) {
        case .notInteger:
            throw error("the axis of \(name) must be an integer literal such as 0 or -1\(hint)", at: axis.range)
        case .tooLarge:
            throw outOfRange
        case .value(let value):
            guard (-shape.count..<shape.count).contains(value) else { throw outOfRange }
            let removed = shape.remove(at: value < 0 ? value + shape.count : value)
            if isExtremum, removed == 0 {
                throw error("\(name) along an empty axis (length 0)", at: axis.range)
            }
            return shape
        }
    }

    private static func extremumHint(_ function: ExpressionFunction) -> String {
        let (noun, op) = function.rawValue == "max" ? ("maximum", ">") : ("minimum", "<")
        return " (the second argument of '\(function.rawValue)' is an axis; for an elementwise \(noun) "
            + "write where(a \(op) b, a, b))"
    }
}
