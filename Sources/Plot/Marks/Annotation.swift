/// Text placed near a data point, with an arrow pointing at it.
///
/// The text sits `offset` points away from the point (x right, y up, as a
/// reader thinks of "up and to the right"), aligned away from it so it never
/// covers the point; the arrow runs from the text's edge to the point. Not
/// clipped to the plot area, so keep offsets modest near the edges.
///
/// ```swift
/// axes.add(Annotation("outlier sets the scale", at: (x: 9.5, y: 1), offset: (dx: -40, dy: 30)))
/// axes.add(Annotation("6.02 dB/bit", at: (x: 8, y: 49.9), arrow: false))
/// ```
public struct Annotation: Mark {
    public var text: String
    public var x: Double
    public var y: Double
    /// Displacement of the text from the point, in points (dy > 0 is up).
    public var dx: Double
    public var dy: Double
    public var arrow: Bool
    public var color: Color?
    /// Font size in points; `nil` uses the theme's.
    public var size: Double?

    /// `offset` defaults to 30 pt up and right with an arrow, and to the
    /// point itself (text centred on it) without.
    public init(_ text: String, at point: (x: Double, y: Double), offset: (dx: Double, dy: Double)? = nil,
                arrow: Bool = true, color: Color? = nil, size: Double? = nil) {
        self.text = text
        x = point.x
        y = point.y
        let shift = offset ?? (arrow ? (30, 30) : (0, 0))
        dx = shift.dx
        dy = shift.dy
        self.arrow = arrow
        self.color = color
        self.size = size
    }

    public var paletteSlots: Int { 0 }
    public var clipsToPlotArea: Bool { false }

    public func extent() -> Extent { Extent(x: [x], y: [y]) }

    /// Anchor and alignment of the text for a target at `p`.
    private func placement(_ p: Point) -> (Point, HorizontalAlignment, VerticalAlignment) {
        let anchor = Point(x: p.x + dx, y: p.y - dy)
        let h: HorizontalAlignment = dx > 1 ? .left : (dx < -1 ? .right : .center)
        let v: VerticalAlignment = dy > 1 ? .bottom : (dy < -1 ? .top : .center)
        return (anchor, h, v)
    }

    public func draw(in context: PlotContext) {
        let canvas = context.canvas
        let ink = color ?? context.theme.textColor
        let size = self.size ?? context.theme.fontSize
        let target = context.point(x, y)
        guard target.x.isFinite, target.y.isFinite else { return }
        let (anchor, h, v) = placement(target)
        let box = canvas.drawText(text, at: anchor, size: size, color: ink, horizontal: h, vertical: v)
        guard arrow else { return }
        // From the point of the text box nearest the target, 3 pt out.
        var start = Point(x: min(max(target.x, box.minX), box.maxX), y: min(max(target.y, box.minY), box.maxY))
        let gx = target.x - start.x, gy = target.y - start.y
        let length = (gx * gx + gy * gy).squareRoot()
        guard length > 8 else { return }
        let ux = gx / length, uy = gy / length
        start = Point(x: start.x + 3 * ux, y: start.y + 3 * uy)
        let tip = Point(x: target.x - 2 * ux, y: target.y - 2 * uy)
        let head = 7.0, halfWidth = 3.0
        let base = Point(x: tip.x - head * ux, y: tip.y - head * uy)
        canvas.strokeLine(from: start, to: base, color: ink, width: 1)
        canvas.setColor(ink)
        canvas.move(to: tip)
        canvas.line(to: Point(x: base.x - halfWidth * uy, y: base.y + halfWidth * ux))
        canvas.line(to: Point(x: base.x + halfWidth * uy, y: base.y - halfWidth * ux))
        canvas.closePath()
        canvas.fill()
    }

    public func obstacles(in context: PlotContext) -> [Point] {
        let p = context.point(x, y)
        return [p, Point(x: p.x + dx, y: p.y - dy)]
    }
}
