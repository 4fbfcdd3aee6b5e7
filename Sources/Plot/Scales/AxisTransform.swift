/// Maps data values along one axis to canvas coordinates (points).
///
/// Marks receive one for x and one for y in their `PlotContext`:
///
/// ```swift
/// let px = context.x.position(3.5)   // canvas x of data x = 3.5
/// ```
public struct AxisTransform: Sendable {
    public let scale: Scale
    /// Data value at the `start` end and at the `end` end.
    public let lower: Double
    public let upper: Double
    /// Canvas coordinates of `lower` and `upper` (swapped when inverted; for a
    /// y axis `start` is the bottom of the plot).
    public let start: Double
    public let end: Double
    private let t0: Double
    private let t1: Double

    init(scale: Scale, lower: Double, upper: Double, start: Double, end: Double) {
        self.scale = scale
        self.lower = lower
        self.upper = upper
        self.start = start
        self.end = end
        t0 = scale.transform(lower)
        t1 = scale.transform(upper)
    }

    /// The canvas coordinate of data value `value`; values a log scale cannot
    /// show land far outside the plot (and are clipped away).
    public func position(_ value: Double) -> Double {
        let t = scale.transform(value)
        guard t.isFinite else {
            if value.isNaN { return .nan }
            return t < 0 ? start - 1e5 * (end - start).sign : end + 1e5 * (end - start).sign
        }
        return start + (t - t0) / (t1 - t0) * (end - start)
    }
}

extension Double {
    fileprivate var sign: Double { self < 0 ? -1 : 1 }
}
