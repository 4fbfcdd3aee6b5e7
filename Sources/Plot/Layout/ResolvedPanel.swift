/// A panel with limits, ticks, colours and boxes fixed: everything the
/// renderer needs, computed by `LayoutEngine`.
struct ResolvedPanel {
    var axes: Axes
    var row: Int
    var column: Int
    var x: ResolvedAxis
    var y: ResolvedAxis
    /// Palette colours of each mark, in mark order.
    var colors: [[Color]]
    var legendEntries: [LegendEntry]
    var colorBar: ColorBar?
    var colorBarAxis: ResolvedAxis?
    var equalAspect: Bool
    var layout: PanelLayout
    var xTransform: AxisTransform
    var yTransform: AxisTransform

    var showsLegend: Bool { axes.legend != .hidden && !legendEntries.isEmpty }

    func context(canvas: Canvas, theme: Theme, markIndex: Int) -> PlotContext {
        PlotContext(canvas: canvas, theme: theme, plotArea: layout.plotArea,
                    x: xTransform, y: yTransform, colors: colors[markIndex])
    }
}

/// Blank space a panel needs around its plot area for its text.
struct Insets {
    var left = 0.0
    var right = 0.0
    var top = 0.0
    var bottom = 0.0
}
