/// How a line is stroked: solid or one of the dash patterns.
///
/// Patterns scale with the line width, as in matplotlib, so a thick dashed
/// line keeps its proportions:
///
/// ```swift
/// Line(x: bits, y: rule, label: "6.02 dB/bit", dash: .dashed)
/// ```
public enum Dash: Sendable, Hashable {
    case solid
    case dashed
    case dotted
    case dashDot
    /// On/off lengths in points, not scaled by the line width.
    case custom([Double])

    /// The on/off lengths in points for a line `width` points wide;
    /// empty means solid.
    public func pattern(lineWidth width: Double) -> [Double] {
        let w = max(width, 0.5)
        switch self {
        case .solid: return []
        case .dashed: return [3.7 * w, 1.6 * w]
        case .dotted: return [1 * w, 1.65 * w]
        case .dashDot: return [6.4 * w, 1.6 * w, 1 * w, 1.6 * w]
        case .custom(let lengths): return lengths
        }
    }
}
