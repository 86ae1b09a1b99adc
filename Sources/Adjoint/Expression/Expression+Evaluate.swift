/// Evaluation: the expression rebuilt from `Tensor` operations.
///
/// Because it only calls the public Tensor operations, the same code computes a value eagerly
/// and, inside `grad`, `jacobian` or `compile`, records a graph: the command line
/// differentiates an expression by tracing `evaluate`.
extension Expression {
    /// The expression's value when each variable has the given tensor.
    ///
    /// - Precondition: the expression checks against the bindings' shapes (call
    ///   ``check(shapes:)`` first, with the same shapes). Evaluating an expression that does not
    ///   check is a programming error and traps, like any Tensor operation on bad shapes.
    public func evaluate(_ bindings: [String: Tensor]) -> Tensor {
        let needed = tensorValuedNodes()
        var values = [Tensor?](repeating: nil, count: nodes.count)
        for (index, node) in nodes.enumerated() where needed[index] {
            values[index] = value(of: node, values: values, bindings: bindings)
        }
        guard let result = values[nodes.count - 1] else { preconditionFailure("the root has no value") }
        return result
    }

    /// Which nodes become tensors. Axes, indices and slice bounds are literals read by the
    /// evaluator itself; building them as tensors would only leave dead constants in a trace.
    private func tensorValuedNodes() -> [Bool] {
        var needed = [Bool](repeating: false, count: nodes.count)
        needed[nodes.count - 1] = true
        for index in nodes.indices.reversed() where needed[index] {
            switch nodes[index].kind {
            case .number, .pi, .string, .variable:
                break
            case .unary(_, let operand):
                needed[operand.index] = true
            case .binary(_, let lhs, let rhs):
                needed[lhs.index] = true
                needed[rhs.index] = true
            case .call(let name, let arguments):
                let function = ExpressionFunction(rawValue: name)
                if let function, function.family == .general {
                    for (parameter, argument) in zip(function.signature, Self.bound(arguments, to: function))
                    where !parameter.isInteger && !parameter.isString {
                        if let argument { needed[argument.value.index] = true }
                    }
                    continue
                }
                for argument in function?.family == .reduction ? Array(arguments.prefix(1)) : arguments {
                    needed[argument.value.index] = true
                }
            case .subscripted(let base, _):
                needed[base.index] = true
            }
        }
        return needed
    }

    private func value(of node: ExpressionNode, values: [Tensor?], bindings: [String: Tensor]) -> Tensor {
        func operand(_ id: ExpressionNode.ID) -> Tensor {
            guard let value = values[id.index] else { preconditionFailure("operand evaluated out of order") }
            return value
        }
        switch node.kind {
        case .number(let number):
            return Tensor(number)
        case .pi:
            return Tensor(Double.pi)
        case .string:
            preconditionFailure("a string is read by its call, never evaluated")
        case .variable(let name):
            guard let bound = bindings[name] else { preconditionFailure("no tensor bound to variable '\(name)'") }
            return bound
        case .unary(let op, let id):
            return op == .negate ? -operand(id) : operand(id)
        case .binary(let op, let lhs, let rhs):
            return Self.apply(op, operand(lhs), operand(rhs))
        case .call(let name, let arguments):
            guard let function = ExpressionFunction(rawValue: name) else {
                preconditionFailure("unknown function '\(name)': check the expression first")
            }
            if function.family == .general {
                var tensors: [Tensor] = [], integers: [Int?] = [], strings: [String] = []
                for (parameter, argument) in zip(function.signature, Self.bound(arguments, to: function)) {
                    if parameter.isInteger {
                        integers.append(argument.map { literal($0.value) })
                    } else if parameter.isString {
                        if let argument, case .string(let text) = self[argument.value].kind { strings.append(text) } else { strings.append("") }
                    } else if let argument {
                        tensors.append(operand(argument.value))
                    }
                }
                return function.general!(tensors, integers, strings)
            }
            guard function.family == .reduction else {
                return call(function, arguments.map { operand($0.value) }, axis: nil)
            }
            return call(function, [operand(arguments[0].value)], axis: arguments.count > 1 ? arguments[1].value : nil)
        case .subscripted(let base, let items):
            return subscripted(operand(base), items)
        }
    }

    /// The argument of each parameter of a checked `.general` call (nil: left out), by position, then by name.
    static func bound(_ arguments: [ExpressionNode.Argument], to function: ExpressionFunction) -> [ExpressionNode.Argument?] {
        var bound = [ExpressionNode.Argument?](repeating: nil, count: function.signature.count)
        for (position, argument) in arguments.enumerated() {
            let slot = argument.label.flatMap { label in function.signature.firstIndex { $0.name == label } } ?? position
            if slot < bound.count { bound[slot] = argument }
        }
        return bound
    }

    private static func apply(_ op: ExpressionNode.BinaryOperator, _ a: Tensor, _ b: Tensor) -> Tensor {
        switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .remainder: mod(a, b)
        case .power: pow(a, b)
        case .matmul: matmul(a, b)
        case .less: a .< b
        case .lessEqual: a .<= b
        case .greater: a .> b
        case .greaterEqual: a .>= b
        }
    }

    private func call(_ function: ExpressionFunction, _ x: [Tensor], axis: ExpressionNode.ID?) -> Tensor {
        function.apply(x, axis.map { normalized(literal($0), count: x[0].shape.count) })
    }

    /// `x[i]`, `x[i, j]` (and more indices, two at a time), or `x[a:b]`.
    private func subscripted(_ base: Tensor, _ items: [ExpressionNode.Subscript]) -> Tensor {
        let shape = base.shape
        if items.count == 1, case .slice(let lower, let upper, _) = items[0] {
            let start = lower.map { normalized(literal($0), count: shape[0]) } ?? 0
            let end = upper.map { normalized(literal($0), count: shape[0]) } ?? shape[0]
            return base[start..<end]
        }
        var indices: [Int] = []
        for (axis, item) in items.enumerated() {
            guard case .index(let id) = item else { preconditionFailure("a slice among indices") }
            indices.append(normalized(literal(id), count: shape[axis]))
        }
        var result = base
        var rest = indices[...]
        while !rest.isEmpty {
            if rest.count >= 2 {
                result = result[rest[rest.startIndex], rest[rest.startIndex + 1]]
                rest = rest.dropFirst(2)
            } else {
                result = result[rest[rest.startIndex]]
                rest = rest.dropFirst()
            }
        }
        return result
    }

    private func literal(_ id: ExpressionNode.ID) -> Int {
        guard case .value(let value) = integerLiteral(id) else {
            preconditionFailure("a non-literal axis or index: check the expression first")
        }
        return value
    }

    /// Python's negative positions: `-1` is the last of `count`.
    private func normalized(_ position: Int, count: Int) -> Int {
        position < 0 ? position + count : position
    }
}
