/// Everything a mark needs to draw: the canvas, the data-to-canvas
/// transforms, the plot area, the theme and its palette colours.
///
/// ```swift
/// func draw(in context: PlotContext) {
///     context.canvas.setColor(context.color)
///     context.canvas.circle(center: context.point(x, y), radius: 3)
///     context.canvas.fill()
/// }
/// ```
public struct PlotContext {
    public let canvas: Canvas
    public let theme: Theme
    /// The plot area on the canvas, in points.
    public let plotArea: Rect
    public let x: AxisTransform
    public let y: AxisTransform
    /// The palette colours assigned to this mark (`paletteSlots` of them).
    public let colors: [Color]

    /// The first assigned colour, or the text colour for marks with no slot.
    public var color: Color { colors.first ?? theme.textColor }

    /// The canvas point of data coordinates (`x`, `y`).
    public func point(_ x: Double, _ y: Double) -> Point {
        Point(x: self.x.position(x), y: self.y.position(y))
    }
}
