/// A line chart of several curves over one x axis, as a standalone SVG document: a frame with
/// grid lines and ticks at nice numbers, the axes through zero, a title, and a legend.
///
/// Non-finite values break a curve into pieces (a pole of 1/x leaves a gap, not a wild line),
/// and the y range ignores far outliers so that one huge value cannot flatten the rest.
struct SVGPlot {
    struct Curve {
        var label: String
        var ys: [Double]
    }

    var title: String
    var xLabel: String
    var xs: [Double]
    var curves: [Curve]

    // The layout, in SVG user units (pixels at 100%).
    static let width = 840.0, height = 500.0
    static let left = 72.0, right = 680.0, top = 52.0, bottom = 440.0

    /// Colors that stay distinct for color-blind readers (Okabe and Ito), then a few more.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                          "#000000", "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF"]

    func render() -> String {
        let (xLo, xHi) = (xs.first ?? 0, xs.last ?? 1)
        let (yLo, yHi) = yRange()
        let xTicks = Ticks.fitting(xLo, xHi, length: SVGPlot.right - SVGPlot.left, target: 8, characterWidth: 8)
        let yTicks = Ticks.fitting(yLo, yHi, length: SVGPlot.bottom - SVGPlot.top, target: 7, characterWidth: 3)
        let px = { (x: Double) in SVGPlot.left + (x - xLo) / (xHi - xLo) * (SVGPlot.right - SVGPlot.left) }
        let py = { (y: Double) in SVGPlot.bottom - (y - yLo) / (yHi - yLo) * (SVGPlot.bottom - SVGPlot.top) }
        var svg = SVGWriter(width: SVGPlot.width, height: SVGPlot.height)
        svg.raw("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        svg.raw("<defs><clipPath id=\"plot-area\"><rect x=\"\(f(SVGPlot.left))\" y=\"\(f(SVGPlot.top))\" "
                + "width=\"\(f(SVGPlot.right - SVGPlot.left))\" height=\"\(f(SVGPlot.bottom - SVGPlot.top))\"/></clipPath></defs>")
        // Grid and tick labels.
        for x in xTicks.values {
            svg.line(px(x), SVGPlot.top, px(x), SVGPlot.bottom, stroke: "#e6e6e6")
            svg.line(px(x), SVGPlot.bottom, px(x), SVGPlot.bottom + 5, stroke: "#333")
            svg.text(xTicks.label(x), x: px(x), y: SVGPlot.bottom + 20, anchor: "middle", size: 13)
        }
        for y in yTicks.values {
            svg.line(SVGPlot.left, py(y), SVGPlot.right, py(y), stroke: "#e6e6e6")
            svg.line(SVGPlot.left - 5, py(y), SVGPlot.left, py(y), stroke: "#333")
            svg.text(yTicks.label(y), x: SVGPlot.left - 9, y: py(y) + 4.5, anchor: "end", size: 13)
        }
        if let scale = xTicks.scaleText { svg.text(scale, x: SVGPlot.right, y: SVGPlot.bottom + 44, anchor: "end", size: 13) }
        if let scale = yTicks.scaleText { svg.text(scale, x: SVGPlot.left, y: SVGPlot.top - 8, anchor: "start", size: 13) }
        // The axes through zero, when zero is in view.
        if xLo < 0 && xHi > 0 { svg.line(px(0), SVGPlot.top, px(0), SVGPlot.bottom, stroke: "#999") }
        if yLo < 0 && yHi > 0 { svg.line(SVGPlot.left, py(0), SVGPlot.right, py(0), stroke: "#999") }
        for (k, curve) in curves.enumerated() {
            let path = SVGPlot.path(xs: xs.map(px), ys: curve.ys.map { $0.isFinite ? py($0) : .nan })
            if path.isEmpty { continue }
            svg.raw("<path d=\"\(path)\" fill=\"none\" stroke=\"\(SVGPlot.color(k))\" stroke-width=\"2\" "
                    + "stroke-linejoin=\"round\" stroke-linecap=\"round\" clip-path=\"url(#plot-area)\"/>")
        }
        svg.raw("<rect x=\"\(f(SVGPlot.left))\" y=\"\(f(SVGPlot.top))\" width=\"\(f(SVGPlot.right - SVGPlot.left))\" "
                + "height=\"\(f(SVGPlot.bottom - SVGPlot.top))\" fill=\"none\" stroke=\"#333\"/>")
        svg.text(title, x: (SVGPlot.left + SVGPlot.right) / 2, y: 30, anchor: "middle", size: 17)
        svg.text(xLabel, x: (SVGPlot.left + SVGPlot.right) / 2, y: SVGPlot.bottom + 44, anchor: "middle", size: 14, italic: true)
        legend(&svg)
        if curves.allSatisfy({ $0.ys.allSatisfy { !$0.isFinite } }) {
            svg.text("no finite values in this range", x: (SVGPlot.left + SVGPlot.right) / 2,
                     y: SVGPlot.top + 40, anchor: "middle", size: 15)
        }
        return svg.finish()
    }

    private func legend(_ svg: inout SVGWriter) {
        let x = SVGPlot.right + 24
        for (k, curve) in curves.enumerated() {
            let y = SVGPlot.top + 14 + Double(k) * 26
            svg.raw("<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 28))\" y2=\"\(f(y))\" stroke=\"\(SVGPlot.color(k))\" "
                    + "stroke-width=\"2.5\" stroke-linecap=\"round\"/>")
            svg.text(curve.label, x: x + 38, y: y + 5, anchor: "start", size: 15)
        }
    }

    static func color(_ k: Int) -> String { palette[k % palette.count] }

    /// The y range: every finite value, unless a few outliers (near a pole) would squash the
    /// rest, in which case the 5th to 95th percentiles with room around them; then 5% of padding.
    func yRange() -> (Double, Double) {
        var values = curves.flatMap(\.ys).filter(\.isFinite)
        guard !values.isEmpty else { return (-1, 1) }
        values.sort()
        var (lo, hi) = (values[0], values[values.count - 1])
        let q5 = values[values.count / 20], q95 = values[values.count - 1 - values.count / 20]
        if q95 > q5, hi - lo > 12 * (q95 - q5) {
            lo = max(lo, q5 - 0.5 * (q95 - q5))
            hi = min(hi, q95 + 0.5 * (q95 - q5))
        }
        if !(hi - lo > 1e-12 * max(abs(lo), abs(hi))) || !(hi - lo).isFinite {
            let pad = lo == 0 || !lo.isFinite ? 1 : abs(lo) * 0.1
            return (lo - pad, hi + pad)
        }
        let pad = 0.05 * (hi - lo)
        return (lo - pad, hi + pad)
    }

    /// SVG path data through the points, broken where y is NaN; far-off points are clamped so
    /// that renderers never see huge coordinates (the clip path hides them anyway).
    static func path(xs: [Double], ys: [Double]) -> String {
        var d = ""
        var drawing = false
        for (x, y) in zip(xs, ys) {
            guard !y.isNaN else {
                drawing = false
                continue
            }
            let clamped = min(max(y, -2 * height), 3 * height)
            d += (drawing ? "L" : (d.isEmpty ? "M" : " M")) + f(x) + "," + f(clamped)
            drawing = true
        }
        return d
    }
}

/// Coordinates with two decimals at most: `12.5`, `300`, `-4.25`.
func f(_ value: Double) -> String {
    let scaled = (value * 100).rounded()
    guard scaled.isFinite, abs(scaled) < 1e15 else { return "0" }
    let n = Int(scaled)
    let sign = n < 0 ? "-" : ""
    let (whole, cents) = (abs(n) / 100, abs(n) % 100)
    if cents == 0 { return sign + String(whole) }
    return sign + String(whole) + "." + (cents % 10 == 0 ? String(cents / 10) : (cents < 10 ? "0" : "") + String(cents))
}

/// Accumulates SVG elements.
struct SVGWriter {
    private var text: String

    init(width: Double, height: Double) {
        text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
    }

    mutating func raw(_ element: String) { text += element + "\n" }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String) {
        raw("<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\"/>")
    }

    mutating func text(_ content: String, x: Double, y: Double, anchor: String, size: Double, italic: Bool = false) {
        let style = italic ? " font-style=\"italic\"" : ""
        raw("<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\" font-size=\"\(f(size))\"\(style) fill=\"#222\">"
            + SVGWriter.escaped(content) + "</text>")
    }

    func finish() -> String { text + "</svg>\n" }

    /// XML text: markup characters escaped, characters XML forbids (controls) dropped.
    static func escaped(_ content: String) -> String {
        var out = ""
        for scalar in content.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out += " "
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) || (0x7F...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
