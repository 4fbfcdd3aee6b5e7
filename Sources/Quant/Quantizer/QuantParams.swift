/// The scale(s) and zero-point(s) of a quantized tensor: `x ≈ scale·(q − zeroPoint)`.
///
/// One entry for a per-tensor scheme, one per channel for a per-channel one,
/// one per group for a per-group one (in the order of
/// ``QuantScheme/Granularity/perGroup(axis:size:)``: row-major over the
/// data's shape with the grouped axis shortened to its group count).
/// Scales are Float32 and zero-points Int32, the types PyTorch stores them
/// in, so that values move between the two bit for bit. Parameters usually
/// come from an observed range (``init(scheme:min:max:)``,
/// ``MinMaxObserver``), or are given directly (a loaded model, the `quant`
/// tool's `--scale/--zero-point`).
///
/// ```swift
/// let p = try QuantParams(scheme: QuantScheme(bits: 8), min: [-1.0], max: [3.0])
/// p.scales        // [0.015686275]  (4/255)
/// p.zeroPoints    // [64]           (0 − round(−1/scale))
/// ```
public struct QuantParams: Sendable, Hashable {
    /// One scale per channel or group (one in total for a per-tensor scheme).
    public let scales: [Float]
    /// One zero-point per channel or group, inside the scheme's code range.
    public let zeroPoints: [Int32]

    /// Per-tensor parameters.
    public init(scale: Float, zeroPoint: Int32) {
        self.scales = [scale]
        self.zeroPoints = [zeroPoint]
    }

    /// Per-channel or per-group parameters (or per-tensor with one entry each).
    ///
    /// - Throws: ``QuantError/channelCountMismatch(parameterCount:channelCount:)``
    ///   when the two lists differ in length or are empty.
    public init(scales: [Float], zeroPoints: [Int32]) throws(QuantError) {
        guard scales.count == zeroPoints.count, !scales.isEmpty else {
            throw .channelCountMismatch(parameterCount: scales.count, channelCount: zeroPoints.count)
        }
        self.scales = scales
        self.zeroPoints = zeroPoints
    }

    /// The number of channels or groups (1 for per-tensor parameters).
    public var channelCount: Int { scales.count }

    /// Checks that these parameters can be used with `scheme`: normal
    /// positive scales, zero-points inside the code range, and the fixed
    /// zero-point of a symmetric scheme.
    public func validate(for scheme: QuantScheme) throws(QuantError) {
        if scheme.axis == nil, channelCount != 1 {
            throw .channelCountMismatch(parameterCount: channelCount, channelCount: 1)
        }
        for (channel, scale) in scales.enumerated() where !(scale.isNormal && scale > 0) {
            throw .invalidScale(channel: channel, scale: scale)
        }
        for (channel, zeroPoint) in zeroPoints.enumerated() {
            guard scheme.codeRange.contains(zeroPoint) else {
                throw .zeroPointOutOfRange(channel: channel, zeroPoint: zeroPoint, range: scheme.codeRange)
            }
            if let expected = scheme.symmetricZeroPoint, zeroPoint != expected {
                throw .symmetricZeroPointMismatch(channel: channel, zeroPoint: zeroPoint, expected: expected)
            }
        }
    }
}
