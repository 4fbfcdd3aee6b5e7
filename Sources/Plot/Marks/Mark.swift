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
