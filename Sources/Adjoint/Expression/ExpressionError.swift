/// A problem with an expression's text or with the shapes it is checked against.
///
/// Every error names the problem in ``message`` and points at its place with ``range``, so that
/// the CLI can print one clear message and exit, whatever the user typed. ``description``
/// draws the caret:
///
/// ```text
/// cannot broadcast shapes [3] and [4] for '+'
///   x + y
///   ^~~~~
/// ```
public struct ExpressionError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, in one sentence, without the source line.
    public let message: String

    /// The offending span of ``source``, as UTF-8 byte offsets (empty at the point where
    /// something is missing, such as the end of the text).
    public let range: Range<Int>

    /// The full expression text the range refers to.
    public let source: String

    /// An error with `message` about the span `range` of `source`.
    public init(_ message: String, range: Range<Int>, source: String) {
        self.message = message
        self.range = range
        self.source = source
    }

    /// The message, then the expression line indented by two spaces, then a caret line
    /// (`^~~~`) under the span.
    ///
    /// Columns count grapheme clusters, with East Asian wide characters and emoji as two,
    /// which is what a terminal shows. Control and invisible characters are drawn as `?` (tabs
    /// and newlines as a space) so that the line keeps its width and cannot disturb the
    /// terminal. A long line is cut to a window around the span, marked with `...`.
    public var description: String {
        let excerpt = ExpressionExcerpt(source: source, range: range)
        return message + "\n  " + excerpt.line + "\n  " + excerpt.caret
    }

    /// Shortens user text quoted in a message, so a one-megabyte name cannot flood it.
    static func abbreviated(_ text: String, limit: Int = 40) -> String {
        guard text.utf8.count > limit else { return text }
        return String(text.prefix(limit)) + "..."
    }
}

/// The part of the expression line shown under an error message, with the caret under it.
struct ExpressionExcerpt {
    /// The visible slice of the line, sanitized.
    private(set) var line = ""
    /// Spaces, then `^` and `~`s under the span.
    private(set) var caret = ""

    /// How many columns of the line a message shows at most.
    static let maximumWidth = 100
    /// How many columns of context to keep before the span when the line is cut.
    static let leadingContext = 30
    /// Bytes decoded on each side of the span; generous enough for `maximumWidth` columns.
    private static let byteWindow = 4 * maximumWidth * 4

    private struct Cell {
        var text: String
        var width: Int
        var bytes: Range<Int>
    }

    init(source: String, range: Range<Int>) {
        let bytes = Array(source.utf8)
        let lower = min(max(range.lowerBound, 0), bytes.count)
        let upper = min(max(range.upperBound, lower), bytes.count)
        var start = max(0, lower - Self.byteWindow)
        var end = min(bytes.count, lower + Self.byteWindow)
        while start > 0, start < bytes.count, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let cells = Self.cells(bytes[start..<end], offset: start)
        draw(cells, span: lower..<upper, cutBefore: start > 0, cutAfter: end < bytes.count)
    }

    private static func cells(_ bytes: ArraySlice<UInt8>, offset: Int) -> [Cell] {
        var cells: [Cell] = []
        var position = offset
        for character in String(decoding: bytes, as: UTF8.self) {
            let count = character.utf8.count
            let (text, width) = ExpressionExcerpt.display(character)
            cells.append(Cell(text: text, width: width, bytes: position..<position + count))
            position += count
        }
        return cells
    }

    private mutating func draw(_ cells: [Cell], span: Range<Int>, cutBefore: Bool, cutAfter: Bool) {
        // The span's first cell is the one containing its first byte (or the end, for a point).
        let first = cells.firstIndex { $0.bytes.upperBound > span.lowerBound } ?? cells.count
        let last = span.isEmpty ? first : (cells.lastIndex { $0.bytes.lowerBound < span.upperBound } ?? first)
        var from = 0, to = cells.count
        if cutBefore || cutAfter || cells.reduce(0, { $0 + $1.width }) > Self.maximumWidth {
            var width = 0
            from = first
            while from > 0, width + cells[from - 1].width <= Self.leadingContext {
                from -= 1
                width += cells[from].width
            }
            to = from
            width = 0
            while to < cells.count, width + cells[to].width <= Self.maximumWidth {
                width += cells[to].width
                to += 1
            }
        }
        let prefix = (from > 0 || cutBefore) ? "..." : ""
        let suffix = (to < cells.count || cutAfter) ? "..." : ""
        line = prefix + cells[from..<to].map(\.text).joined() + suffix
        let indent = prefix.count + cells[from..<min(first, to)].reduce(0) { $0 + $1.width }
        let spanWidth = first >= to ? 1 : max(1, cells[first...min(last, to - 1)].reduce(0) { $0 + $1.width })
        caret = String(repeating: " ", count: indent) + "^" + String(repeating: "~", count: spanWidth - 1)
    }

    /// How one character is drawn, and how many terminal columns it takes.
    static func display(_ character: Character) -> (String, Int) {
        guard let scalar = character.unicodeScalars.first else { return ("?", 1) }
        if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0B}" || scalar == "\u{0C}" {
            return (" ", 1)
        }
        if scalar.properties.generalCategory.isInvisible { return ("?", 1) }
        if character.unicodeScalars.contains("\u{FE0F}") || scalar.properties.isEmojiPresentation {
            return (String(character), 2)
        }
        return (String(character), isWide(scalar) ? 2 : 1)
    }

    /// East Asian Wide and Fullwidth blocks (Hangul, CJK, kana, fullwidth forms).
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            true
        default:
            false
        }
    }
}
