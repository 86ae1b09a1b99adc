import Glibc

/// Axis ticks at "nice" numbers (1, 2 or 5 times a power of ten), as Heckbert's
/// "Nice numbers for graph labels" chooses them, and their labels.
struct Ticks {
    let values: [Double]
    /// Digits after the decimal point that every label needs.
    let decimals: Int
    let step: Double

    /// The most ticks an axis gets, whatever it is asked for.
    static let maximumCount = 50

    /// About `target` ticks inside `lo...hi`: at most ``maximumCount``, and none closer together
    /// than the numbers there can be told apart. An empty or non-finite range gets one tick at
    /// `lo` if it is finite, else none.
    init(_ lo: Double, _ hi: Double, target: Int = 8) {
        guard let (step, decimals) = Ticks.niceStep(lo, hi, target: target) else {
            values = lo.isFinite ? [lo] : []
            decimals = 0
            step = 1
            return
        }
        self.step = step
        self.decimals = decimals
        values = Ticks.multiples(of: step, from: lo, to: hi)
    }

    /// 1, 2 or 5 times a power of ten near (hi - lo) / target, and the decimals its labels need.
    private static func niceStep(_ lo: Double, _ hi: Double, target: Int) -> (Double, decimals: Int)? {
        let span = hi - lo
        guard span > 0, span.isFinite else { return nil }
        // A step below twice the spacing of doubles at the ends would give ticks that round to
        // the same number, and tick indices past 2⁵³, where counting by one no longer advances.
        let resolution = 2 * Swift.max(lo.magnitude.ulp, hi.magnitude.ulp)
        let rough = Swift.max(span / Double(Swift.min(Swift.max(target, 1), maximumCount)), resolution)
        let exponent = floor(log10(rough))
        let magnitude = pow(10, exponent)
        let residual = rough / magnitude
        let nice: Double = residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10
        let step = nice * magnitude
        guard step.isFinite, step > 0 else { return nil }
        return (step, Swift.max(0, -Int(exponent) - (nice == 10 ? 1 : 0)))
    }

    /// The multiples of `step` in `lo...hi` (with a little slack at the ends for rounding).
    private static func multiples(of step: Double, from lo: Double, to hi: Double) -> [Double] {
        let first = ceil(lo / step - 1e-9), last = floor(hi / step + 1e-9)
        let gaps = last - first
        guard gaps >= 0, gaps < Double(maximumCount) else { return [] }
        return (0...Int(gaps)).map { i in
            let value = (first + Double(i)) * step
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }

    /// For very large or small numbers, labels are multiples of 10^scaleExponent, which the
    /// axis states once (`×10¹²`), as plotting libraries do.
    var scaleExponent: Int? {
        let largest = values.map(abs).max() ?? 0
        guard step >= 1e5 || step < 1e-4 || largest >= 1e7 else { return nil }
        return Int(floor(log10(step)))
    }

    /// The factor text for ``scaleExponent``: `×10¹²`, `×10⁻⁷`.
    var scaleText: String? {
        guard let exponent = scaleExponent else { return nil }
        let superscripts: [Character: Character] = ["-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴",
                                                    "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"]
        return "×10" + String(String(exponent).compactMap { superscripts[$0] })
    }

    /// A tick's label: fixed-point with the ticks' common number of decimals and a true minus sign.
    func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        let sign = value < 0 ? "\u{2212}" : ""
        guard let exponent = scaleExponent else { return sign + Ticks.fixed(abs(value), decimals: decimals) }
        let scaled = abs(value) / pow(10, Double(exponent))
        let digits = max(0, -Int(floor(log10(step / pow(10, Double(exponent))) + 1e-9)))
        return sign + Ticks.fixed(scaled, decimals: digits)
    }

    /// A non-negative number with exactly `decimals` digits after the point, trailing zeros of a
    /// mantissa kept so the labels of one axis line up.
    static func fixed(_ magnitude: Double, decimals: Int) -> String {
        let scaled = (magnitude * pow(10, Double(decimals))).rounded()
        guard scaled < 9e15 else { return "\(magnitude)" }
        var digits = String(Int(scaled))
        guard decimals > 0 else { return digits }
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -decimals)
        return String(digits[..<point]) + "." + String(digits[point...])
    }

    /// Ticks for an axis `length` units long whose labels must not touch: fewer when they are wide.
    static func fitting(_ lo: Double, _ hi: Double, length: Double, target: Int, characterWidth: Double) -> Ticks {
        var target = target
        while true {
            let ticks = Ticks(lo, hi, target: target)
            let widest = ticks.values.map { Double(ticks.label($0).count) * characterWidth + 14 }.max() ?? 0
            if target <= 2 || widest * Double(ticks.values.count) <= length { return ticks }
            target -= 1
        }
    }
}
