/// A point on the canvas, in points (1/72 inch), y growing downwards.
///
/// Marks get canvas points from data coordinates through their context:
///
/// ```swift
/// let p: Point = context.point(8, 0.5)   // where (x: 8, y: 0.5) lands
/// ```
public struct Point: Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// An axis-aligned box on the canvas, in points, y growing downwards.
///
/// Layout reports every box it places (plot areas, tick labels, legends) as a
/// `Rect`, so tests can check that nothing overlaps or leaves the canvas:
///
/// ```swift
/// let canvas = Rect(x: 0, y: 0, width: 460.8, height: 345.6)
/// let label = Rect(x: 10, y: 300, width: 20, height: 12)
/// canvas.contains(label)  // true
/// ```
public struct Rect: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var minX: Double { x }
    public var minY: Double { y }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    /// Whether `other` lies inside this box, with `tolerance` points of slack
    /// for floating-point rounding.
    public func contains(_ other: Rect, tolerance: Double = 1e-6) -> Bool {
        other.minX >= minX - tolerance && other.maxX <= maxX + tolerance
            && other.minY >= minY - tolerance && other.maxY <= maxY + tolerance
    }

    /// Whether `point` lies inside this box (edges included).
    public func contains(_ point: Point) -> Bool {
        point.x >= minX && point.x <= maxX && point.y >= minY && point.y <= maxY
    }

    /// Whether the two boxes share interior area (touching edges do not count).
    public func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    /// The box shrunk by `amount` points on every side (grown when negative).
    public func insetBy(_ amount: Double) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// Points covering the box (edges included) no more than `spacing`
    /// points apart, so that any box at least `spacing` wide and high that
    /// overlaps this one contains one of them: what a `.best` legend tests
    /// against a bar or a histogram bin.
    public func gridPoints(spacing: Double) -> [Point] {
        guard width.isFinite, height.isFinite, spacing > 0 else { return [] }
        let columns = max(1, Int((width / spacing).rounded(.up))), rows = max(1, Int((height / spacing).rounded(.up)))
        return (0...rows).flatMap { j in
            (0...columns).map { i in
                Point(x: minX + width * Double(i) / Double(columns), y: minY + height * Double(j) / Double(rows))
            }
        }
    }

    public var description: String {
        func f(_ v: Double) -> String { String((v * 10).rounded() / 10) }
        return "Rect(x: \(f(x)), y: \(f(y)), w: \(f(width)), h: \(f(height)))"
    }
}
