/// Something drawn inside an `Axes`: a line, bars, a heatmap, an annotation.
///
/// Marks are values that describe data; the figure asks each one how much
/// room it needs (`extent`), which palette colours it takes, what it puts in
/// the legend, and finally to draw itself through a `PlotContext`. New kinds
/// of marks plug in by conforming to this protocol; nothing else changes.
///
/// ```swift
/// struct Diagonal: Mark {
///     func extent() -> Extent { Extent(x: [0, 1], y: [0, 1]) }
///     func draw(in context: PlotContext) {
///         context.canvas.strokeLine(from: context.point(0, 0), to: context.point(1, 1),
///                                   color: .gray, width: 1, dash: .dashed)
///     }
/// }
/// axes.add(Diagonal())
/// ```
public protocol Mark: Sendable {
    /// Palette colours this mark takes, one per series it shows; 0 for
    /// decorations (reference lines, annotations) that should not shift the
    /// colours of the series after them. Default 1.
    var paletteSlots: Int { get }

    /// Throws `PlotError.invalidData` when the data cannot be drawn
    /// (mismatched lengths, no values). Default: nothing to check.
    func validate() throws

    /// The data region the mark needs visible, for automatic limits.
    func extent() -> Extent

    /// Draws the mark. Called with the canvas clipped to the plot area
    /// unless `clipsToPlotArea` is false.
    func draw(in context: PlotContext)

    /// The legend rows of this mark; empty when it has no label. `colors` are
    /// the `paletteSlots` palette colours assigned to it.
    func legendEntries(theme: Theme, colors: [Color]) -> [LegendEntry]

    /// Canvas points the mark covers, which a `.best` legend avoids.
    func obstacles(in context: PlotContext) -> [Point]

    /// The colour scale to show beside the axes, if the mark maps values to colours.
    var colorBar: ColorBar? { get }

    /// Whether drawing is clipped to the plot area (annotations are not).
    var clipsToPlotArea: Bool { get }
}

extension Mark {
    public var paletteSlots: Int { 1 }
    public func validate() throws {}
    public func legendEntries(theme: Theme, colors: [Color]) -> [LegendEntry] { [] }
    public func obstacles(in context: PlotContext) -> [Point] { [] }
    public var colorBar: ColorBar? { nil }
    public var clipsToPlotArea: Bool { true }
}

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

/// One row of a legend: a label and the small key drawn beside it.
///
/// ```swift
/// LegendEntry(label: "Gaussian", key: .line(color: .black, width: 1.5, dash: .solid, marker: .circle))
/// ```
public struct LegendEntry: Sendable {
    public enum Key: Sendable {
        /// A short line segment, optionally with a marker in its middle.
        case line(color: Color, width: Double, dash: Dash, marker: Marker)
        /// A filled square, for bars, areas, histograms and spans.
        case patch(fill: Color, edge: Color?)
        /// A lone marker, for scatter plots.
        case marker(Marker, color: Color)
    }

    public var label: String
    public var key: Key

    public init(label: String, key: Key) {
        self.label = label
        self.key = key
    }
}

/// A colour scale shown beside an axes: which colormap maps which range.
///
/// Heatmaps and images return one from `Mark.colorBar`; the axes lays out a
/// bar with ticks to the right of the plot.
///
/// ```swift
/// var colorBar: ColorBar? { ColorBar(colormap: .viridis, range: 0...1, label: "probability") }
/// ```
public struct ColorBar: Sendable {
    public var colormap: Colormap
    public var range: ClosedRange<Double>
    public var label: String?
    public var format: TickFormat

    public init(colormap: Colormap, range: ClosedRange<Double>, label: String? = nil, format: TickFormat = .automatic) {
        self.colormap = colormap
        self.range = range
        self.label = label
        self.format = format
    }
}
