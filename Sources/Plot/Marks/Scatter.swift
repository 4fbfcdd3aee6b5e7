/// Unconnected markers at (x, y) points.
///
/// ```swift
/// axes.add(Scatter(x: weights, y: quantized, label: "weights", marker: .circle, size: 3, opacity: 0.5))
/// ```
public struct Scatter: Mark {
    public var x: [Double]
    public var y: [Double]
    public var label: String?
    public var color: Color?
    public var marker: MarkerShape
    /// Marker diameter in points; `nil` uses the theme's marker size.
    public var size: Double?
    public var opacity: Double

    public init<XS: Sequence, YS: Sequence>(
        x: XS, y: YS, label: String? = nil, color: Color? = nil, marker: MarkerShape = .circle,
        size: Double? = nil, opacity: Double = 0.85
    ) where XS.Element: PlottableValue, YS.Element: PlottableValue {
        self.x = x.plotValues
        self.y = y.plotValues
        self.label = label
        self.color = color
        self.marker = marker
        self.size = size
        self.opacity = opacity
    }

    /// A series with its own colour leaves the palette to the others.
    public var paletteSlots: Int { color == nil ? 1 : 0 }

    public func validate() throws {
        guard x.count == y.count else {
            throw PlotError.invalidData(mark: "Scatter\(label.map { " '\($0)'" } ?? "")",
                                        reason: "x has \(x.count) values but y has \(y.count); give one y per x")
        }
    }

    public func extent() -> Extent { Extent(x: x, y: y) }

    public func draw(in context: PlotContext) {
        let base = color ?? context.color
        let fill = base.opacity(base.alpha * opacity)
        let size = self.size ?? context.theme.markerSize
        for i in 0..<min(x.count, y.count) {
            let p = context.point(x[i], y[i])
            guard p.x.isFinite, p.y.isFinite else { continue }
            context.canvas.drawMarker(marker, at: p, size: size, fill: fill)
        }
    }

    public func legendEntries(theme: Theme, colors: [Color]) -> [LegendEntry] {
        guard let label else { return [] }
        let base = color ?? colors.first ?? theme.textColor
        return [LegendEntry(label: label, key: .marker(Marker(marker, size: size), color: base.opacity(base.alpha * opacity)))]
    }

    public func obstacles(in context: PlotContext) -> [Point] {
        (0..<min(x.count, y.count)).map { context.point(x[$0], y[$0]) }
    }
}
