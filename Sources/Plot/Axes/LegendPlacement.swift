/// Where the legend goes. `best` picks, among the inside positions, the
/// one covering the fewest data points (ties: the order listed here, as
/// in matplotlib); `outsideRight` puts it beside the plot.
///
/// ```swift
/// axes.legend = .outsideRight   // many series, or data everywhere
/// axes.legend = .hidden
/// ```
public enum LegendPlacement: Sendable, Hashable, CaseIterable {
    case best
    case upperRight
    case upperLeft
    case lowerLeft
    case lowerRight
    case upperCenter
    case lowerCenter
    case centerLeft
    case centerRight
    case outsideRight
    case hidden
}
