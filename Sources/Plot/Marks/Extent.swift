/// What a mark needs visible, and how the axes should treat its edges.
///
/// ```swift
/// // Bars from 0 up to the values: keep the zero edge exact (no margin below).
/// var extent = Extent(x: [-0.4, 2.4], y: [0] + values)
/// extent.stickyY = [0]
/// ```
public struct Extent: Sendable {
    public var x: DataRange?
    public var y: DataRange?
    /// Values that an automatic limit may reach but not pass when adding margins.
    public var stickyX: [Double] = []
    public var stickyY: [Double] = []
    /// Category names the mark places at 0, 1, 2, … on the axis.
    public var xCategories: [String]?
    public var yCategories: [String]?
    /// Minimum fraction of headroom above the largest y (room for value labels).
    public var yHeadroom: Double = 0
    /// Minimum fraction of room beyond the largest x (value labels on horizontal bars).
    public var xHeadroom: Double = 0
    /// Whether the y axis should run downwards (row 0 of a matrix at the top).
    public var invertsY = false
    /// Whether one data unit should be as long on x as on y (square cells/pixels).
    public var equalAspect = false
    /// Whether automatic ticks must be whole numbers (matrix rows and columns).
    public var integerTicks = false

    public init(x: some Sequence<Double>, y: some Sequence<Double>) {
        self.x = DataRange(x)
        self.y = DataRange(y)
    }

    public init(x: DataRange?, y: DataRange?) {
        self.x = x
        self.y = y
    }
}
