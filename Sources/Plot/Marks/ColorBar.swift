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
