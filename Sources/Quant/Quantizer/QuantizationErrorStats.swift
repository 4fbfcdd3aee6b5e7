import Foundation

/// How far a reconstruction is from the original: the numbers every
/// quantization experiment reports.
///
/// - `maxAbsError = max |x − x̂|` — compare with the bound scale/2 for values
///   inside the representable range;
/// - `meanSquaredError = Σ (x − x̂)² / n` — for a uniform grid of step Δ and
///   values spread over many steps it is close to Δ²/12;
/// - `sqnrDecibels = 10·log₁₀(Σ x² / Σ (x − x̂)²)` — signal-to-quantization-noise
///   ratio; each extra bit halves Δ and adds 20·log₁₀2 ≈ 6.02 dB. It is +∞
///   for an exact reconstruction and −∞ for an all-zero signal with error.
///
/// Sums are accumulated in Double, so the statistics of 10⁷ elements are
/// accurate to far better than the Float32 data.
///
/// ```swift
/// let stats = try QuantizationErrorStats(original: x, reconstructed: quantizer.fakeQuantize(x))
/// print(stats.maxAbsError, stats.meanSquaredError, stats.sqnrDecibels)
/// ```
public struct QuantizationErrorStats: Sendable, Hashable {
    /// `max |x − x̂|`.
    public let maxAbsError: Float
    /// `Σ (x − x̂)² / n`.
    public let meanSquaredError: Double
    /// `10·log₁₀(Σ x² / Σ (x − x̂)²)` in dB.
    public let sqnrDecibels: Double
    /// The number of elements compared.
    public let count: Int

    /// The statistics of `reconstructed` against `original`.
    ///
    /// - Throws: ``QuantError/shapeMismatch(expected:actual:)``,
    ///   ``QuantError/emptyTensor``, ``QuantError/nonFiniteValue(index:value:)``.
    public init(original: Tensor<Float>, reconstructed: Tensor<Float>) throws(QuantError) {
        guard original.shape == reconstructed.shape else {
            throw .shapeMismatch(expected: original.shape, actual: reconstructed.shape)
        }
        guard original.count > 0 else { throw .emptyTensor }
        var maxError: Float = 0, signal = 0.0, noise = 0.0
        for (index, (x, y)) in zip(original.scalars, reconstructed.scalars).enumerated() {
            guard x.isFinite else { throw .nonFiniteValue(index: index, value: x) }
            guard y.isFinite else { throw .nonFiniteValue(index: index, value: y) }
            let error = Double(x) - Double(y)
            maxError = Swift.max(maxError, Float(Swift.abs(error)))
            signal += Double(x) * Double(x)
            noise += error * error
        }
        self.maxAbsError = maxError
        self.meanSquaredError = noise / Double(original.count)
        self.sqnrDecibels = noise == 0 ? .infinity : 10 * log10(signal / noise)
        self.count = original.count
    }
}
