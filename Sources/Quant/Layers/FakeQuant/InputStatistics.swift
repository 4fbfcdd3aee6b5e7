/// What a quantizer needs to know about a layer's inputs before training
/// starts: their range and mean absolute value, from calibration data.
///
/// ```swift
/// var stats = InputStatistics()
/// stats.add(batch)          // every calibration batch
/// stats.min, stats.max, stats.meanAbsolute
/// ```
public struct InputStatistics: Sendable, Hashable {
    public private(set) var min: Float = .infinity
    public private(set) var max: Float = -.infinity
    /// `Σ|x|`, accumulated in Double.
    private var absoluteSum = 0.0
    public private(set) var count = 0

    public init() {}

    /// The statistics of one array of values.
    public init(_ values: some Collection<Float>) {
        add(values)
    }

    /// Adds a batch of values.
    public mutating func add(_ values: some Collection<Float>) {
        for v in values {
            min = Swift.min(min, v)
            max = Swift.max(max, v)
            absoluteSum += Double(Swift.abs(v))
        }
        count += values.count
    }

    /// `mean|x|`, 0 before any value.
    public var meanAbsolute: Float { count == 0 ? 0 : Float(absoluteSum / Double(count)) }
}
