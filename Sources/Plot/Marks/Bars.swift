import Foundation

/// Bars over named categories: one series or several, side by side
/// (grouped) or on top of each other (stacked), vertical or horizontal,
/// optionally with their values printed on them.
///
/// The category axis shows the category names at 0, 1, 2, …; bars start at
/// zero, which stays exactly at the edge of the plot (no margin below).
/// Horizontal bars list the first category at the top, as a table would.
///
/// ```swift
/// // Accuracy per bit-width, two methods side by side, values printed.
/// axes.add(Bars(categories: ["8", "6", "4", "3"],
///               series: [.init(label: "PTQ", values: ptq), .init(label: "QAT", values: qat)],
///               valueLabels: .percent(places: 1)))
/// ```
public struct Bars: Mark {
    public struct Series: Sendable {
        public var label: String?
        public var values: [Double]
        /// `nil` takes the next palette colour.
        public var color: Color?

        public init<VS: Sequence>(label: String? = nil, values: VS, color: Color? = nil) where VS.Element: PlottableValue {
            self.label = label
            self.values = values.plotValues
            self.color = color
        }
    }

    public enum Arrangement: Sendable, Hashable { case grouped, stacked }
    public enum Orientation: Sendable, Hashable { case vertical, horizontal }

    public var categories: [String]
    public var series: [Series]
    public var arrangement: Arrangement
    public var orientation: Orientation
    /// Width of a category's bars, as a fraction of the distance between categories.
    public var width: Double
    /// How to print each bar's value on it; `nil` prints none.
    public var valueLabels: TickFormat?
    public var opacity: Double

    public init(categories: [String], series: [Series], arrangement: Arrangement = .grouped,
                orientation: Orientation = .vertical, width: Double = 0.8, valueLabels: TickFormat? = nil, opacity: Double = 1) {
        self.categories = categories
        self.series = series
        self.arrangement = arrangement
        self.orientation = orientation
        self.width = width
        self.valueLabels = valueLabels
        self.opacity = opacity
    }

    /// One series of bars.
    public init<VS: Sequence>(categories: [String], values: VS, label: String? = nil, color: Color? = nil,
                              orientation: Orientation = .vertical, width: Double = 0.8, valueLabels: TickFormat? = nil,
                              opacity: Double = 1) where VS.Element: PlottableValue {
        self.init(categories: categories, series: [Series(label: label, values: values, color: color)],
                  orientation: orientation, width: width, valueLabels: valueLabels, opacity: opacity)
    }

    /// One palette colour per series without its own colour.
    public var paletteSlots: Int { series.filter { $0.color == nil }.count }

    public func validate() throws {
        for (k, s) in series.enumerated() where s.values.count != categories.count {
            throw PlotError.invalidData(mark: "Bars series \(s.label.map { "'\($0)'" } ?? "#\(k)")",
                                        reason: "\(s.values.count) values for \(categories.count) categories; give one value per category")
        }
    }

    /// One drawn bar in data units: category position, offset along the
    /// category axis, value range.
    struct Segment {
        var series: Int
        var category: Int
        var center: Double
        var thickness: Double
        var from: Double
        var to: Double
    }

    func segments() -> [Segment] {
        let n = max(1, series.count)
        var out: [Segment] = []
        var positive = [Double](repeating: 0, count: categories.count)
        var negative = [Double](repeating: 0, count: categories.count)
        for (k, s) in series.enumerated() {
            for i in 0..<min(categories.count, s.values.count) {
                let v = s.values[i]
                guard v.isFinite else { continue }
                switch arrangement {
                case .grouped:
                    let thickness = width / Double(n)
                    let center = Double(i) - width / 2 + (Double(k) + 0.5) * thickness
                    out.append(Segment(series: k, category: i, center: center, thickness: thickness, from: 0, to: v))
                case .stacked:
                    let base = v >= 0 ? positive[i] : negative[i]
                    out.append(Segment(series: k, category: i, center: Double(i), thickness: width, from: base, to: base + v))
                    if v >= 0 { positive[i] += v } else { negative[i] += v }
                }
            }
        }
        return out
    }

    public func extent() -> Extent {
        let values: [Double] = segments().flatMap { [$0.from, $0.to] } + [0]
        let slots = [-0.5, Double(categories.count) - 0.5]
        var e: Extent
        if orientation == .vertical {
            e = Extent(x: slots, y: values)
            e.xCategories = categories
            e.stickyX = slots
            e.stickyY = [0]
            e.yHeadroom = valueLabels == nil ? 0 : 0.1
        } else {
            e = Extent(x: values, y: slots)
            e.yCategories = categories
            e.stickyY = slots
            e.stickyX = [0]
            e.xHeadroom = valueLabels == nil ? 0 : 0.15
            e.invertsY = true
        }
        return e
    }

    private func rect(_ s: Segment, _ context: PlotContext) -> Rect {
        let (a, b): (Point, Point)
        if orientation == .vertical {
            a = context.point(s.center - s.thickness / 2, s.from)
            b = context.point(s.center + s.thickness / 2, s.to)
        } else {
            a = context.point(s.from, s.center - s.thickness / 2)
            b = context.point(s.to, s.center + s.thickness / 2)
        }
        return Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y))
    }

    private func color(_ k: Int, _ colors: [Color], _ theme: Theme) -> Color {
        // Series without a colour take the assigned palette colours in order.
        let slot = series[..<k].filter { $0.color == nil }.count
        let c = series[k].color ?? (slot < colors.count ? colors[slot] : theme.seriesColor(slot))
        return c.opacity(c.alpha * opacity)
    }

    public func draw(in context: PlotContext) {
        let canvas = context.canvas
        let all = segments()
        for s in all {
            canvas.fill(canvas.alignedToPixels(rect(s, context)), color: color(s.series, context.colors, context.theme))
        }
        guard let format = valueLabels else { return }
        let size = context.theme.valueLabelSize
        let gap = 2.0
        for s in all {
            let r = rect(s, context)
            let value = s.to - s.from
            let text = format.label(value, step: 0, scale: .linear)
            if arrangement == .stacked {
                let fill = color(s.series, context.colors, context.theme)
                let ink: Color = fill.luminance > 0.4 ? context.theme.textColor : .white
                let m = canvas.measure(text, size: size)
                guard m.width + 2 <= r.width, m.height <= r.height else { continue }
                canvas.drawText(text, at: Point(x: r.midX, y: r.midY), size: size, color: ink, horizontal: .center, vertical: .center)
            } else {
                let anchor: Point, h: HorizontalAlignment, v: VerticalAlignment
                if orientation == .vertical {
                    let up = (value >= 0) != (context.y.start < context.y.end)
                    (anchor, h, v) = (Point(x: r.midX, y: up ? r.minY - gap : r.maxY + gap), .center, up ? .bottom : .top)
                } else {
                    let right = (value >= 0) == (context.x.start < context.x.end)
                    (anchor, h, v) = (Point(x: right ? r.maxX + gap : r.minX - gap, y: r.midY), right ? .left : .right, .center)
                }
                // A light backing keeps the number readable over grid and reference lines.
                let box = canvas.textBox(text, at: anchor, size: size, horizontal: h, vertical: v)
                canvas.fill(box.insetBy(-0.5), color: context.theme.background.opacity(0.8))
                canvas.drawText(text, at: anchor, size: size, color: context.theme.textColor, horizontal: h, vertical: v)
            }
        }
    }

    public func legendEntries(theme: Theme, colors: [Color]) -> [LegendEntry] {
        series.indices.compactMap { k in
            series[k].label.map { LegendEntry(label: $0, key: .patch(fill: color(k, colors, theme), edge: nil)) }
        }
    }

    /// Every bar, filled with points a few points apart (a legend box is
    /// taller than that, so it cannot sit on a bar between two of them),
    /// and the printed values above or beside the bars.
    public func obstacles(in context: PlotContext) -> [Point] {
        let bars = segments().map { rect($0, context) }
        var labels: [Rect] = []
        if let format = valueLabels, arrangement == .grouped {
            let size = context.theme.valueLabelSize
            for (s, r) in zip(segments(), bars) {
                let text = format.label(s.to - s.from, step: 0, scale: .linear)
                let m = context.canvas.measure(text, size: size)
                labels.append(orientation == .vertical
                    ? Rect(x: r.midX - m.width / 2, y: r.minY - 2 - m.height, width: m.width, height: r.height + m.height + 2)
                    : Rect(x: r.minX, y: r.midY - m.height / 2, width: r.width + m.width + 2, height: m.height))
            }
        }
        return (bars + labels).flatMap { $0.gridPoints(spacing: Self.obstacleSpacing) }
    }

    /// Distance between the points that stand for a bar, in points.
    static let obstacleSpacing = 4.0
}
