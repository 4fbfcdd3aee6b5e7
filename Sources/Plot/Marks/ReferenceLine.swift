/// A horizontal or vertical line across the whole plot at a fixed value,
/// such as the FP32 accuracy that quantized models are compared to.
///
/// It takes no palette colour (the series keep theirs) and is dashed grey
/// unless told otherwise; with a label it appears in the legend.
///
/// ```swift
/// axes.add(ReferenceLine.horizontal(y: 0.989, label: "FP32 (98.9%)"))
/// axes.add(ReferenceLine.vertical(x: 8, color: .gray, dash: .dotted))
/// ```
public struct ReferenceLine: Mark {
    public enum Orientation: Sendable, Hashable { case horizontal, vertical }

    public var value: Double
    public var orientation: Orientation
    public var label: String?
    public var color: Color
    public var width: Double
    public var dash: Dash

    public init(value: Double, orientation: Orientation, label: String? = nil,
                color: Color = Color(hex: 0x555555), width: Double = 1.2, dash: Dash = .dashed) {
        self.value = value
        self.orientation = orientation
        self.label = label
        self.color = color
        self.width = width
        self.dash = dash
    }

    /// A line at height `y`.
    public static func horizontal(y: Double, label: String? = nil, color: Color = Color(hex: 0x555555),
                                  width: Double = 1.2, dash: Dash = .dashed) -> ReferenceLine {
        ReferenceLine(value: y, orientation: .horizontal, label: label, color: color, width: width, dash: dash)
    }

    /// A line at position `x`.
    public static func vertical(x: Double, label: String? = nil, color: Color = Color(hex: 0x555555),
                                width: Double = 1.2, dash: Dash = .dashed) -> ReferenceLine {
        ReferenceLine(value: x, orientation: .vertical, label: label, color: color, width: width, dash: dash)
    }

    public var paletteSlots: Int { 0 }

    public func extent() -> Extent {
        orientation == .horizontal ? Extent(x: nil, y: DataRange([value])) : Extent(x: DataRange([value]), y: nil)
    }

    public func draw(in context: PlotContext) {
        let area = context.plotArea
        let (a, b): (Point, Point)
        if orientation == .horizontal {
            let y = context.y.position(value)
            (a, b) = (Point(x: area.minX, y: y), Point(x: area.maxX, y: y))
        } else {
            let x = context.x.position(value)
            (a, b) = (Point(x: x, y: area.minY), Point(x: x, y: area.maxY))
        }
        context.canvas.strokeLine(from: a, to: b, color: color, width: width, dash: dash)
    }

    public func legendEntries(theme: Theme, colors: [Color]) -> [LegendEntry] {
        label.map { [LegendEntry(label: $0, key: .line(color: color, width: width, dash: dash, marker: .none))] } ?? []
    }

    public func obstacles(in context: PlotContext) -> [Point] {
        let area = context.plotArea
        return (0...20).map { k in
            let t = Double(k) / 20
            return orientation == .horizontal
                ? Point(x: area.minX + t * area.width, y: context.y.position(value))
                : Point(x: context.x.position(value), y: area.minY + t * area.height)
        }
    }
}
