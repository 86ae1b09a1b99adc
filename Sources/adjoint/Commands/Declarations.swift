import Adjoint

/// The largest number of elements any value may have: declared variables, every intermediate
/// value of EXPR, gradients and hessians. It keeps a typo such as `--var x:100000x100000` from
/// exhausting memory; 2^24 doubles are 128 MiB.
let maximumElements = 1 << 24

/// A variable declared with `--var NAME[:SHAPE]`.
struct Variable: Equatable {
    let name: String
    let shape: [Int]

    var count: Int { shape.reduce(1, *) }

    /// Parses `x`, `x:3`, `W:4x3`.
    init(spec: String) throws(UsageError) {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        let context = "--var \(quoted(spec))"
        guard !name.isEmpty else { throw UsageError("\(context): the variable's name is missing before ':'") }
        guard Variable.isName(name) else {
            throw UsageError("\(context): \(quoted(name)) is not a name (letters, digits and '_', not starting with a digit)")
        }
        guard name != "pi" else { throw UsageError("\(context): 'pi' is the constant π; choose another name") }
        self.name = name
        self.shape = parts.count == 2 ? try Variable.shape(String(parts[1]), context: context) : []
    }

    init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return text.utf8.allSatisfy { ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    /// `3`, `4x3`, `2x3x4`: extents of at least 1, at most `maximumElements` in all.
    private static func shape(_ text: String, context: String) throws(UsageError) -> [Int] {
        let usage = "SHAPE is whole numbers joined by 'x', such as 3 or 4x3 (leave it out for a scalar)"
        guard !text.isEmpty else { throw UsageError("\(context): the shape after ':' is missing; \(usage)") }
        var shape: [Int] = []
        var elements = 1
        for part in text.split(separator: "x", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                throw UsageError("\(context): \(quoted(String(part))) is not an extent; \(usage)")
            }
            guard let extent = Int(part), extent <= maximumElements else {
                throw UsageError("\(context): the shape is too large (at most \(maximumElements) elements)")
            }
            guard extent >= 1 else { throw UsageError("\(context): every extent must be at least 1") }
            elements *= extent
            guard elements <= maximumElements else {
                throw UsageError("\(context): the shape is too large (at most \(maximumElements) elements)")
            }
            shape.append(extent)
        }
        return shape
    }

    /// Parses every spec and refuses a name declared twice.
    static func parse(_ specs: [String]) throws(UsageError) -> [Variable] {
        var variables: [Variable] = []
        for spec in specs {
            let variable = try Variable(spec: spec)
            if variables.contains(where: { $0.name == variable.name }) {
                throw UsageError("--var \(quoted(spec)): variable '\(variable.name)' is declared twice")
            }
            variables.append(variable)
        }
        return variables
    }
}

/// Shapes and counts as the messages print them.
func describe(_ shape: [Int]) -> String {
    shape.isEmpty ? "a scalar" : "shape " + shape.map(String.init).joined(separator: "x")
}

func elements(_ n: Int) -> String { n == 1 ? "1 value" : "\(n) values" }

/// `--at NAME=VALUES`: the values of every declared variable.
enum Assignments {
    /// One tensor per variable, in declaration order.
    static func parse(_ specs: [String], for variables: [Variable]) throws(UsageError) -> [Tensor] {
        var values: [String: [Double]] = [:]
        for spec in specs {
            let context = "--at \(quoted(spec))"
            guard let equals = spec.firstIndex(of: "=") else {
                throw UsageError("\(context): expected NAME=VALUES, such as x=1,2,3")
            }
            let name = String(spec[..<equals])
            guard let variable = variables.first(where: { $0.name == name }) else {
                throw UsageError("\(context): \(undeclared(name, among: variables))")
            }
            guard values[name] == nil else { throw UsageError("\(context): '\(name)' is given a value twice") }
            let numbers = try parseNumbers(spec[spec.index(after: equals)...], context: context)
            guard numbers.count == variable.count else {
                throw UsageError("\(context): '\(name)' has \(describe(variable.shape)) and takes "
                                 + "\(elements(variable.count)), but \(numbers.count) "
                                 + (numbers.count == 1 ? "is" : "are") + " given")
            }
            values[name] = numbers
        }
        return try variables.map { variable throws(UsageError) in
            guard let scalars = values[variable.name] else {
                let name = variable.name
                if variable.shape.isEmpty {
                    throw UsageError("no value for '\(name)': add --at \(name)=VALUE (\(name) is a scalar)")
                }
                let example = Array(repeating: "0", count: min(variable.count, 3)).joined(separator: ",")
                throw UsageError("no value for '\(name)': add --at \(name)=\(example)" + (variable.count > 3 ? ",..." : "")
                                 + " (\(describe(variable.shape)): \(variable.count) numbers separated by commas, row-major)")
            }
            return Tensor(shape: variable.shape, scalars: scalars)
        }
    }

    /// `1,2.5,-3e-2`: numbers separated by commas (spaces around them are fine).
    static func parseNumbers(_ text: Substring, context: String) throws(UsageError) -> [Double] {
        guard text.contains(where: { $0 != " " }) else { throw UsageError("\(context): no values after '='") }
        var numbers: [Double] = []
        for (k, part) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let trimmed = part.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()
            guard let number = Number.parse(String(trimmed)) else {
                throw UsageError("\(context): value \(k + 1), \(quoted(String(part))), is not a number (or is out of range)")
            }
            numbers.append(number)
            guard numbers.count <= maximumElements else { throw UsageError("\(context): too many values") }
        }
        return numbers
    }

    /// The message for a name that no --var declares.
    static func undeclared(_ name: String, among variables: [Variable]) -> String {
        let known = variables.isEmpty ? "no variables are declared"
            : "declared: " + variables.map(\.name).joined(separator: ", ")
        return "\(quoted(name)) is not a declared variable (\(known)); declare it with --var"
    }
}

/// Numbers as the command line reads them: decimal, with an optional exponent, `inf` and `nan`.
enum Number {
    static func parse(_ text: String) -> Double? {
        let lower = text.lowercased()
        switch lower {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        // Swift's Double(String) also reads hexadecimal and "infinity" spellings; keep to decimals.
        let allowed = "0123456789+-.e".utf8
        guard !lower.isEmpty, lower.utf8.allSatisfy({ allowed.contains($0) }),
              lower.utf8.contains(where: { (0x30...0x39).contains($0) }) else { return nil }
        guard let value = Double(lower), value.isFinite else { return nil }
        return value
    }
}
