/// The finite range of a set of values, with its smallest positive value
/// (what a logarithmic axis can show).
///
/// ```swift
/// let r = DataRange([0, 0.01, .nan, 3])!   // min 0, max 3, minPositive 0.01
/// ```
public struct DataRange: Sendable, Hashable {
    public var min: Double
    public var max: Double
    /// The smallest value > 0, if any.
    public var minPositive: Double?

    /// The range of the finite values in `values`; `nil` when there are none.
    public init?(_ values: some Sequence<Double>) {
        var lo = Double.infinity, hi = -Double.infinity, pos = Double.infinity
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
            if v > 0 { pos = Swift.min(pos, v) }
        }
        guard lo <= hi else { return nil }
        min = lo
        max = hi
        minPositive = pos.isFinite ? pos : nil
    }

    /// The smallest range holding both.
    public func union(_ other: DataRange) -> DataRange {
        var r = self
        r.min = Swift.min(min, other.min)
        r.max = Swift.max(max, other.max)
        switch (minPositive, other.minPositive) {
        case let (a?, b?): r.minPositive = Swift.min(a, b)
        case (nil, let b): r.minPositive = b
        default: break
        }
        return r
    }
}
