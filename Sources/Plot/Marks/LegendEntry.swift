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
