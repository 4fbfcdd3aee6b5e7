/// Which grid lines are drawn behind the data, at the major ticks.
///
/// ```swift
/// axes.grid = .horizontal   // value lines only
/// ```
public enum GridLines: Sendable, Hashable {
    /// Both, except along a categorical axis (bars get only value lines).
    case automatic
    case both
    case horizontal
    case vertical
    case none
}
