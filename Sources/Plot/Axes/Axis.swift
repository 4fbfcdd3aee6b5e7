/// One axis of an `Axes`: its label, scale, limits, ticks and their format.
///
/// Limits left `nil` come from the data, widened by `margin` (a fraction of
/// the span, on the scale's own terms: a log axis gets equal ratios), except
/// at a "sticky" edge such as the zero under bars, which stays exact.
///
/// ```swift
/// axes.x.label = "bit-width"
/// axes.x.ticks = [2, 4, 8, 16]
/// axes.y.scale = .log10
/// axes.y.min = 1e-5          // fix one end, let the other follow the data
/// axes.y.inverted = true
/// ```
public struct Axis: Sendable {
    public var label: String?
    public var scale: Scale = .linear
    /// Fixed lower limit; `nil` follows the data.
    public var min: Double?
    /// Fixed upper limit; `nil` follows the data.
    public var max: Double?
    /// Draws values decreasing along the axis (right to left, top to bottom).
    public var inverted = false
    public var format: TickFormat = .automatic
    /// Explicit major tick positions; `nil` chooses them.
    public var ticks: [Double]?
    /// Labels for explicit `ticks`, one per tick.
    public var tickLabels: [String]?
    /// Text labels for the positions 0, 1, 2, … (a categorical axis). Bars and
    /// heatmaps set these from their own categories when this is `nil`.
    public var categories: [String]?
    /// Fraction of the data span added at each end when limits are automatic.
    public var margin: Double = 0.05
    /// Whether tick labels are drawn (turned off for inner panels of shared axes).
    public var showsTickLabels = true

    public init(label: String? = nil, scale: Scale = .linear) {
        self.label = label
        self.scale = scale
    }
}
