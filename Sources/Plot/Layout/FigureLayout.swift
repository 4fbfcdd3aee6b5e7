/// Where everything of a figure lands on the canvas, in points (1/72 inch,
/// origin top-left), as computed before drawing.
///
/// Golden tests read it to check that the layout is sound: every box inside
/// the canvas, no two tick labels overlapping, the legend inside its plot.
///
/// ```swift
/// let layout = try figure.layout()
/// let canvas = layout.canvas
/// for panel in layout.panels { assert(canvas.contains(panel.plotArea)) }
/// ```
public struct FigureLayout: Sendable {
    /// The whole canvas: width × 72 by height × 72 points.
    public var canvas: Rect
    /// The figure title, if any.
    public var title: Rect?
    /// One per panel, in the order of `Figure.panels`.
    public var panels: [PanelLayout]

    /// Every text box in the figure.
    public var textBoxes: [Rect] {
        (title.map { [$0] } ?? []) + panels.flatMap(\.textBoxes)
    }
}

/// One tick: its value, its label and where both landed.
public struct TickLayout: Sendable {
    public var value: Double
    /// The label text, with `^{}` markup; empty when labels are hidden.
    public var label: String
    /// Canvas coordinate along the axis (x for a horizontal axis, y for a vertical one).
    public var position: Double
    /// Box of the drawn label, `nil` when labels are hidden.
    public var labelBox: Rect?
    /// Whether the label reads upwards (long category names on an x axis).
    public var rotated = false
}

/// The boxes of one panel.
public struct PanelLayout: Sendable {
    /// Where data is drawn (inside the frame).
    public var plotArea: Rect
    public var title: Rect?
    public var xLabel: Rect?
    public var yLabel: Rect?
    public var xTicks: [TickLayout] = []
    public var yTicks: [TickLayout] = []
    /// The legend frame, if a legend is shown.
    public var legend: Rect?
    /// The colour bar itself (without its labels), if shown.
    public var colorBar: Rect?
    public var colorBarTicks: [TickLayout] = []
    public var colorBarLabel: Rect?

    /// Every text box of the panel (titles, labels, tick labels, legend).
    public var textBoxes: [Rect] {
        var boxes = [title, xLabel, yLabel, legend, colorBarLabel].compactMap { $0 }
        boxes += (xTicks + yTicks + colorBarTicks).compactMap(\.labelBox)
        return boxes
    }
}
