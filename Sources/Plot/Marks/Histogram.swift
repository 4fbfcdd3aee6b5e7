import Foundation

/// A histogram of values: counts (or density) per bin, drawn as adjoining bars.
///
/// Bins are half-open `[a, b)` except the last, which includes its right
/// edge, as in NumPy; values outside the edges and non-finite values are not
/// counted. Automatic bins follow NumPy's `"auto"`: the narrower of the
/// Freedman–Diaconis width `2·IQR·n^(−1/3)` and Sturges' `range/(log2 n + 1)`.
/// Density scales counts by `1/(n·width)` so the bars' area is 1; overlay
/// several histograms with `opacity` below 1 to compare distributions.
///
/// ```swift
/// axes.add(Histogram(weights, bins: .count(60), label: "FP32", opacity: 0.5))
/// axes.add(Histogram(dequantized, bins: .count(60), label: "int4", opacity: 0.5))
/// ```
public struct Histogram: Mark {
    public enum Bins: Sendable, Hashable {
        /// NumPy's "auto" rule.
        case automatic
        /// This many equal bins over the data range (or `range`).
        case count(Int)
        /// These edges, increasing; n + 1 edges make n bins.
        case edges([Double])
    }

    public enum Normalization: Sendable, Hashable {
        /// Number of values per bin.
        case count
        /// Count / (total · bin width): a probability density, area 1.
        case density
        /// Count / total: the share of values in each bin.
        case fraction
    }

    public var values: [Double] { didSet { bin() } }
    public var bins: Bins { didSet { bin() } }
    /// Range the equal bins span; `nil` uses the data's min…max.
    public var range: ClosedRange<Double>? { didSet { bin() } }
    public var normalization: Normalization { didSet { bin() } }
    public var label: String?
    public var color: Color?
    public var opacity: Double

    public init<VS: Sequence>(_ values: VS, bins: Bins = .automatic, range: ClosedRange<Double>? = nil,
                              normalization: Normalization = .count, label: String? = nil, color: Color? = nil,
                              opacity: Double = 1) where VS.Element: PlottableValue {
        self.values = values.plotValues
        self.bins = bins
        self.range = range
        self.normalization = normalization
        self.label = label
        self.color = color
        self.opacity = opacity
        bin()
    }

    /// Bin edges and bar heights, computed once per change of the data or
    /// binning (limits, drawing and legend placement all need them, and
    /// automatic bins sort the data).
    private var cachedBins: (edges: [Double], heights: [Double]) = ([], [])

    private mutating func bin() {
        cachedBins = computeBins()
    }

    /// More bins than a figure has pixels across is never useful.
    static let maxBins = 100_000

    /// A series with its own colour leaves the palette to the others.
    public var paletteSlots: Int { color == nil ? 1 : 0 }

    public func validate() throws {
        let name = "Histogram\(label.map { " '\($0)'" } ?? "")"
        switch bins {
        case .count(let n) where n < 1 || n > Self.maxBins:
            throw PlotError.invalidData(mark: name, reason: "\(n) bins; use 1 to \(Self.maxBins)")
        case .edges(let e) where e.count < 2 || zip(e, e.dropFirst()).contains { !($0 < $1) }:
            throw PlotError.invalidData(mark: name, reason: "bin edges must be at least 2 increasing finite values")
        default:
            break
        }
        if let range, !(range.lowerBound.isFinite && range.upperBound.isFinite) {
            throw PlotError.invalidData(mark: name, reason: "range \(range) is not finite")
        }
    }

    /// The bin edges and the height of each bar (after normalization).
    public func binned() -> (edges: [Double], heights: [Double]) {
        cachedBins
    }

    private func computeBins() -> (edges: [Double], heights: [Double]) {
        let finite = values.filter(\.isFinite)
        let edges = binEdges(finite)
        guard edges.count >= 2 else { return (edges, []) }
        var counts = [Double](repeating: 0, count: edges.count - 1)
        let lo = edges[0], hi = edges[edges.count - 1]
        // Invalid binning (reported by `validate`) draws nothing rather than trapping here.
        guard lo.isFinite, hi.isFinite, lo < hi else { return ([], []) }
        let uniform: Bool
        if case .edges = bins { uniform = false } else { uniform = true }
        let n = counts.count
        for v in finite where v >= lo && v <= hi {
            var i: Int
            if uniform {
                i = Int((v - lo) / (hi - lo) * Double(n))
                i = min(max(i, 0), n - 1)
                // Guard the floating-point boundary against the exact edges.
                if v < edges[i] { i -= 1 } else if i + 1 < n, v >= edges[i + 1] { i += 1 }
            } else {
                var a = 0, b = n  // last edge ≤ v, by binary search
                while b - a > 1 {
                    let m = (a + b) / 2
                    if edges[m] <= v { a = m } else { b = m }
                }
                i = a
            }
            counts[i] += 1
        }
        let total = counts.reduce(0, +)
        switch normalization {
        case .count: break
        case .fraction: if total > 0 { counts = counts.map { $0 / total } }
        case .density:
            if total > 0 { counts = counts.indices.map { counts[$0] / (total * (edges[$0 + 1] - edges[$0])) } }
        }
        return (edges, counts)
    }

    func binEdges(_ finite: [Double]) -> [Double] {
        if case .edges(let e) = bins { return e }
        var lo = range?.lowerBound ?? finite.min() ?? 0
        var hi = range?.upperBound ?? finite.max() ?? 1
        if lo == hi { (lo, hi) = (lo - 0.5, hi + 0.5) }
        let count: Int
        switch bins {
        case .count(let n): count = min(max(1, n), Self.maxBins)
        case .automatic: count = Self.automaticCount(finite.filter { $0 >= lo && $0 <= hi }, span: hi - lo)
        case .edges: count = 1
        }
        return (0...count).map { lo + (hi - lo) * Double($0) / Double(count) }
    }

    /// NumPy's "auto": the narrower of Freedman–Diaconis and Sturges.
    static func automaticCount(_ values: [Double], span: Double) -> Int {
        let n = values.count
        guard n > 1, span > 0 else { return 1 }
        let sturges = span / (Foundation.log2(Double(n)) + 1)
        let sorted = values.sorted()
        func quantile(_ q: Double) -> Double {
            let pos = q * Double(n - 1)
            let i = Int(pos)
            return i + 1 < n ? sorted[i] + (sorted[i + 1] - sorted[i]) * (pos - Double(i)) : sorted[i]
        }
        let iqr = quantile(0.75) - quantile(0.25)
        let fd = 2 * iqr / Foundation.cbrt(Double(n))
        let width = fd > 0 ? min(fd, sturges) : sturges
        return max(1, min(10_000, Int((span / width).rounded(.up))))
    }

    public func extent() -> Extent {
        let (edges, heights) = binned()
        var e = Extent(x: edges, y: heights + [0])
        e.stickyY = [0]
        return e
    }

    private func fill(_ colors: [Color], _ theme: Theme) -> Color {
        let c = color ?? colors.first ?? theme.seriesColor(0)
        return c.opacity(c.alpha * opacity)
    }

    /// The outline of the bars as one step path from the baseline and back,
    /// so adjoining bins are filled without antialiasing seams between them.
    private func outline(_ edges: [Double], _ heights: [Double], _ context: PlotContext) -> [Point] {
        var points: [Point] = [context.point(edges[0], 0)]
        points.reserveCapacity(2 * heights.count + 2)
        for (i, h) in heights.enumerated() {
            points.append(context.point(edges[i], h))
            points.append(context.point(edges[i + 1], h))
        }
        points.append(context.point(edges[edges.count - 1], 0))
        return points
    }

    public func draw(in context: PlotContext) {
        let (edges, heights) = binned()
        guard !heights.isEmpty else { return }
        let canvas = context.canvas
        let c = fill(context.colors, context.theme)
        let path = outline(edges, heights, context)
        canvas.setColor(c)
        canvas.polyline(path)
        canvas.closePath()
        canvas.fill()
        if opacity < 1 {
            // A crisp outline keeps overlaid translucent histograms apart.
            canvas.setColor(c.opacity(1))
            canvas.setLineWidth(1)
            canvas.polyline(path)
            canvas.stroke()
        }
    }

    public func legendEntries(theme: Theme, colors: [Color]) -> [LegendEntry] {
        guard let label else { return [] }
        let c = fill(colors, theme)
        return [LegendEntry(label: label, key: .patch(fill: c, edge: opacity < 1 ? c.opacity(1) : nil))]
    }

    /// Every bin from the bottom of the plot up to its height, filled with
    /// points a few points apart (on a log axis too, where a height of 0
    /// has no position), so a legend cannot sit on a bin between samples.
    public func obstacles(in context: PlotContext) -> [Point] {
        let (edges, heights) = binned()
        return heights.indices.flatMap { i -> [Point] in
            guard heights[i] > 0 else { return [] }
            let a = context.point(edges[i], heights[i]), b = context.point(edges[i + 1], heights[i])
            guard a.x.isFinite, b.x.isFinite, a.y.isFinite else { return [] }
            let top = max(min(a.y, context.plotArea.maxY), context.plotArea.minY)
            let bin = Rect(x: min(a.x, b.x), y: top, width: abs(b.x - a.x), height: context.plotArea.maxY - top)
            return bin.gridPoints(spacing: Bars.obstacleSpacing)
        }
    }
}
