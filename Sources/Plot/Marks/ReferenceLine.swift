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

/// A shaded band across the whole plot between two values, such as the
/// clipping range of a quantizer or a region of interest.
///
/// ```swift
/// axes.add(Span.vertical(from: -clip, to: clip, label: "clipping range"))
/// ```
public struct Span: Mark {
    public var from: Double
    public var to: Double
    public var orientation: ReferenceLine.Orientation
    public var label: String?
    public var color: Color

    public init(from: Double, to: Double, orientation: ReferenceLine.Orientation, label: String? = nil,
                color: Color = Color(hex: 0x777777, alpha: 0.15)) {
        self.from = from
        self.to = to
        self.orientation = orientation
        self.label = label
        self.color = color
    }

    /// A band between heights `from` and `to`.
    public static func horizontal(from: Double, to: Double, label: String? = nil,
                                  color: Color = Color(hex: 0x777777, alpha: 0.15)) -> Span {
        Span(from: from, to: to, orientation: .horizontal, label: label, color: color)
    }

    /// A band between positions `from` and `to`.
    public static func vertical(from: Double, to: Double, label: String? = nil,
                                color: Color = Color(hex: 0x777777, alpha: 0.15)) -> Span {
        Span(from: from, to: to, orientation: .vertical, label: label, color: color)
    }

    public var paletteSlots: Int { 0 }

    public func extent() -> Extent {
        let range = DataRange([from, to])
        return orientation == .horizontal ? Extent(x: nil, y: range) : Extent(x: range, y: nil)
    }

    public func draw(in context: PlotContext) {
        let area = context.plotArea
        let rect: Rect
        if orientation == .horizontal {
            let a = context.y.position(from), b = context.y.position(to)
            rect = Rect(x: area.minX, y: min(a, b), width: area.width, height: abs(b - a))
        } else {
            let a = context.x.position(from), b = context.x.position(to)
            rect = Rect(x: min(a, b), y: area.minY, width: abs(b - a), height: area.height)
        }
        context.canvas.fill(rect, color: color)
    }

    public func legendEntries(theme: Theme, colors: [Color]) -> [LegendEntry] {
        label.map { [LegendEntry(label: $0, key: .patch(fill: color, edge: nil))] } ?? []
    }
}
