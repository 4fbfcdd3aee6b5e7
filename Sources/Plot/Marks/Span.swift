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
