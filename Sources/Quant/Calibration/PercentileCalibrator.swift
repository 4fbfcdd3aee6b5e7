/// Clips at percentiles of the calibration values, so that the rarest
/// `100 − p` % on each side saturate instead of stretching the grid
/// (Wu et al. 2020, "Integer quantization for deep learning inference",
/// compare 99.9 … 99.9999 with max, entropy and MSE calibration).
///
/// `[lo, hi] = [min(q₁₀₀₋ₚ, 0), max(qₚ, 0)]`, with `qₚ` the p-th percentile
/// of `x` itself. For a ReLU output (`x ≥ 0`) that is `[0, qₚ]`, as in
/// NVIDIA's pytorch-quantization; for an input with both signs each tail
/// is clipped at its own percentile, which suits the asymmetric affine
/// grid (pytorch-quantization, whose grids are symmetric, takes `qₚ` of `|x|`).
///
/// The percentiles come from an ``ActivationHistogram`` of every value seen:
/// exact to within one bin, `max|x|/2048` at the worst (linear inside the
/// bin), independent of batching, and the same for every bit-width.
public final class PercentileCalibrator: HistogramCalibrator, RangeCalibrator {
    /// `p`, in 50…100 (100 is min-max).
    public let percentile: Double

    /// A calibrator that clips at the p-th and (100 − p)-th percentiles.
    ///
    /// - Throws: ``ModelError/calibrationParameter(_:)`` when `p` is not in 50…100.
    public init(percentile p: Double) throws(ModelError) {
        guard (50...100).contains(p) else { throw .calibrationParameter("the percentile is \(p); use a value in 50…100") }
        percentile = p
        super.init()
    }

    public func range(bits: Int) throws(ModelError) -> ClosedRange<Float> {
        _ = try histogram.widenedRange()
        let lo = histogram.quantile((100 - percentile) / 100), hi = histogram.quantile(percentile / 100)
        return Swift.min(lo, 0)...Swift.max(hi, 0)
    }
}
