/// Splits expression text into tokens, working on UTF-8 bytes.
///
/// The language itself is ASCII, so bytes are the natural unit: every token's range is a byte
/// range, and any non-ASCII character can only be an error, reported with its code point so
/// that invisible characters (NUL, a no-break space, a bidi override) are named, not echoed.
struct ExpressionLexer {
    private let bytes: [UInt8]
    private var position = 0
    private var tokens: [ExpressionToken] = []

    /// Tokenizes `text`, ending the list with an ``ExpressionToken/Kind/end`` token.
    static func tokenize(_ text: String) throws(ExpressionError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(bytes: Array(text.utf8))
        do {
            try lexer.run()
        } catch let failure {
            throw ExpressionError(failure.message, range: failure.range, source: text)
        }
        return lexer.tokens
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// A lexer error before the source text is attached.
    struct Failure: Error {
        let message: String
        let range: Range<Int>
    }

    private mutating func run() throws(Failure) {
        while position < bytes.count {
            let byte = bytes[position]
            if Self.isSpace(byte) {
                position += 1
            } else if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && Self.isDigit(peek(1))) {
                try lexNumber()
            } else if Self.isNameStart(byte) {
                lexName()
            } else {
                try lexSymbol()
            }
        }
        tokens.append(ExpressionToken(kind: .end, range: bytes.count..<bytes.count))
    }

    private func peek(_ offset: Int) -> UInt8 {
        position + offset < bytes.count ? bytes[position + offset] : 0
    }

    private mutating func emit(_ kind: ExpressionToken.Kind, length: Int) {
        tokens.append(ExpressionToken(kind: kind, range: position..<position + length))
        position += length
    }

    private mutating func lexName() {
        var end = position
        while end < bytes.count, Self.isNameStart(bytes[end]) || Self.isDigit(bytes[end]) { end += 1 }
        // A module path (`linalg.inv`): the language has no other use for a dot after a name.
        while end + 1 < bytes.count, bytes[end] == UInt8(ascii: "."), Self.isNameStart(bytes[end + 1]) {
            end += 1
            while end < bytes.count, Self.isNameStart(bytes[end]) || Self.isDigit(bytes[end]) { end += 1 }
        }
        let name = String(decoding: bytes[position..<end], as: UTF8.self)
        emit(.name(name), length: end - position)
    }

    /// Numbers follow Python: `12`, `1.5`, `1.`, `.5`, `1e-3`, `2.5E+4`.
    ///
    /// Anything glued to a number (`1.2.3`, `1e`, `2x`) is one malformed number rather than two
    /// tokens, so the error names the whole run instead of complaining about a stray `.3`.
    private mutating func lexNumber() throws(Failure) {
        let start = position
        var end = skipDigits(from: start)
        if end < bytes.count, bytes[end] == UInt8(ascii: ".") { end = skipDigits(from: end + 1) }
        var danglingExponent = false
        if end < bytes.count, bytes[end] | 0x20 == UInt8(ascii: "e") {
            var digits = end + 1
            if digits < bytes.count, bytes[digits] == UInt8(ascii: "+") || bytes[digits] == UInt8(ascii: "-") {
                digits += 1
            }
            if digits < bytes.count, Self.isDigit(bytes[digits]) {
                end = skipDigits(from: digits)
            } else {
                danglingExponent = true
            }
        }
        if danglingExponent || (end < bytes.count && Self.isNumberTail(bytes[end])) {
            try malformedNumber(start: start, validEnd: end, danglingExponent: danglingExponent)
        }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw Failure(message: "number \(ExpressionError.abbreviated(text)) is out of range",
                          range: start..<end)
        }
        emit(.number(value), length: end - start)
    }

    private func malformedNumber(start: Int, validEnd: Int, danglingExponent: Bool) throws(Failure) {
        var end = validEnd
        while end < bytes.count, Self.isNumberTail(bytes[end]) { end += 1 }
        let text = ExpressionError.abbreviated(String(decoding: bytes[start..<end], as: UTF8.self))
        let gluedName = !danglingExponent && (0x61...0x7A).contains(bytes[validEnd] | 0x20)
        let hint = gluedName ? " (there is no implicit multiplication: write 2*x, not 2x)" : ""
        throw Failure(message: "malformed number '\(text)'\(hint)", range: start..<end)
    }

    private func skipDigits(from index: Int) -> Int {
        var end = index
        while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
        return end
    }

    private mutating func lexSymbol() throws(Failure) {
        let byte = bytes[position], next = peek(1)
        switch byte {
        case UInt8(ascii: "+"): emit(.plus, length: 1)
        case UInt8(ascii: "-"): emit(.minus, length: 1)
        case UInt8(ascii: "*"): next == UInt8(ascii: "*") ? emit(.power, length: 2) : emit(.star, length: 1)
        case UInt8(ascii: "/"): emit(.slash, length: 1)
        case UInt8(ascii: "%"): emit(.percent, length: 1)
        case UInt8(ascii: "'"), UInt8(ascii: "\""): try lexString(quote: byte)
        case UInt8(ascii: "^"): emit(.power, length: 1)
        case UInt8(ascii: "@"): emit(.at, length: 1)
        case UInt8(ascii: "("): emit(.leftParen, length: 1)
        case UInt8(ascii: ")"): emit(.rightParen, length: 1)
        case UInt8(ascii: "["): emit(.leftBracket, length: 1)
        case UInt8(ascii: "]"): emit(.rightBracket, length: 1)
        case UInt8(ascii: ","): emit(.comma, length: 1)
        case UInt8(ascii: ":"): emit(.colon, length: 1)
        case UInt8(ascii: "<"): next == UInt8(ascii: "=") ? emit(.lessEqual, length: 2) : emit(.less, length: 1)
        case UInt8(ascii: ">"): next == UInt8(ascii: "=") ? emit(.greaterEqual, length: 2) : emit(.greater, length: 1)
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "=") { try unsupported("==", length: 2) }
            emit(.equals, length: 1)
        case UInt8(ascii: "!") where next == UInt8(ascii: "="): try unsupported("!=", length: 2)
        default: try unexpectedCharacter()
        }
    }

    /// A quoted string of printable ASCII on one line, without escapes (einsum's subscripts).
    private mutating func lexString(quote: UInt8) throws(Failure) {
        var end = position + 1
        while end < bytes.count, bytes[end] != quote {
            guard (0x20...0x7E).contains(bytes[end]) else {
                throw Failure(message: "a string may hold only printable ASCII characters", range: end..<end + Self.scalarLength(leadByte: bytes[end]))
            }
            end += 1
        }
        guard end < bytes.count else {
            throw Failure(message: "this string is never closed (with \(quote == UInt8(ascii: "'") ? "'" : "\""))", range: position..<position + 1)
        }
        emit(.string(String(decoding: bytes[(position + 1)..<end], as: UTF8.self)), length: end + 1 - position)
    }

    private func unsupported(_ spelling: String, length: Int) throws(Failure) {
        throw Failure(message: "'\(spelling)' is not supported; the comparisons are < <= > >=",
                      range: position..<position + length)
    }

    private func unexpectedCharacter() throws(Failure) {
        let length = Self.scalarLength(leadByte: bytes[position])
        let end = min(position + length, bytes.count)
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        let scalar = text.unicodeScalars.first ?? "\u{FFFD}"
        throw Failure(message: "unexpected character " + Self.describe(scalar), range: position..<end)
    }

    /// Names a character in a message: printable ones quoted, all with their code point,
    /// plus a hint for look-alikes of operators that people paste from typeset math.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let hints: [Unicode.Scalar: String] = [
            "\u{2212}": "-", "\u{00D7}": "*", "\u{22C5}": "*", "\u{00B7}": "*", "\u{00F7}": "/",
            "\u{03C0}": "pi", "\u{2264}": "<=", "\u{2265}": ">=", "\u{00B2}": "**2",
        ]
        let printable = scalar.isASCII ? (0x21...0x7E).contains(scalar.value)
            : !scalar.properties.generalCategory.isInvisible
        var text = printable ? "'\(Character(scalar))' (\(code))" : code
        if let hint = hints[scalar] { text += "; did you mean '\(hint)'?" }
        return text
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte | 0x20) || byte == UInt8(ascii: "_")
    }

    private static func isNumberTail(_ byte: UInt8) -> Bool {
        isDigit(byte) || isNameStart(byte) || byte == UInt8(ascii: ".")
    }

    private static func scalarLength(leadByte: UInt8) -> Int {
        switch leadByte {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}

extension Unicode.GeneralCategory {
    /// Controls, formats, separators and unassigned code points: things a terminal shows badly.
    var isInvisible: Bool {
        switch self {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator,
             .surrogate, .privateUse, .unassigned, .nonspacingMark, .enclosingMark:
            true
        default:
            false
        }
    }
}
