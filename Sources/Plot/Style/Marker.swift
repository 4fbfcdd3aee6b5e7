/// The shape drawn at each data point of a line or scatter.
///
/// ```swift
/// Scatter(x: w, y: q, marker: .triangle)
/// ```
public enum MarkerShape: Sendable, Hashable, CaseIterable {
    case circle
    case square
    case triangle
    case diamond
    /// A diagonal cross (×), stroked, not filled.
    case cross
    /// An upright plus (+), stroked, not filled.
    case plus

    /// Whether the shape is an outline of strokes rather than a filled area.
    var isStroked: Bool { self == .cross || self == .plus }
}

/// A marker: shape and size (the diameter of the circle it fits in, in points).
///
/// ```swift
/// Line(x: bits, y: err, marker: Marker(.square, size: 5))
/// Line(x: bits, y: err, marker: .circle)   // default size from the theme
/// ```
public struct Marker: Sendable, Hashable, ExpressibleByNilLiteral {
    public var shape: MarkerShape?
    /// Diameter in points; `nil` uses `Theme.markerSize`.
    public var size: Double?

    public init(_ shape: MarkerShape, size: Double? = nil) {
        self.shape = shape
        self.size = size
    }

    public init(nilLiteral: ()) {
        shape = nil
        size = nil
    }

    public static let none: Marker = nil
    public static let circle = Marker(.circle)
    public static let square = Marker(.square)
    public static let triangle = Marker(.triangle)
    public static let diamond = Marker(.diamond)
    public static let cross = Marker(.cross)
    public static let plus = Marker(.plus)
}
