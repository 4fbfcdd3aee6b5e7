/// The clipping range whose quantization error is smallest: a grid search
/// that minimises the mean squared error `E[(x − x̂)²]` between the values
/// and their fake-quantized copies at `bits` bits (the MSE calibrator of
/// NVIDIA's pytorch-quantization; Banner et al. 2019 solve the same
/// trade-off between clipping and rounding error analytically).
///
/// The candidates clip the magnitude at `t = M·k/100`, `k = 1…100`, with
/// `M = max|x|`: the range `[max(lo, −t), min(hi, t)]` of the widened
/// min-max range `[lo, hi]` (so a ReLU output gets `[0, t]`, and a side
/// that ends before `t` is not clipped). For each candidate the grid is
/// exactly the one the converted layer will use
/// (``ActivationFakeQuantizer/init(bits:range:)``: PyTorch's affine
/// formulas, zero-point rounding included), and the error is read from
/// the ``ActivationHistogram``: each bin's values weigh as its centre,
/// `MSE ≈ Σ_bins n_b·(c_b − x̂(c_b))² / N`, exact zeros adding nothing.
/// Where a bin lies inside one rounding cell this is the true error up to
/// the same `w²/12` for every candidate; it is coarser where a step
/// `(hi − lo)/(2ᵇ − 1)` is narrower than a bin (`w ≤ M/2048`), which
/// happens only for candidates that clip most of the range (at 8 bits,
/// `t < M/8`) and lose on clipping error anyway. Ties go to the wider range.
public final class MSECalibrator: HistogramCalibrator, RangeCalibrator {
    /// The number of clipping levels tried, `t = M·k/candidateCount`.
    public static let candidateCount = 100

    override public init() {}

    public func range(bits: Int) throws(ModelError) -> ClosedRange<Float> {
        let full = try histogram.widenedRange()
        let magnitude = Double(Swift.max(-full.lowerBound, full.upperBound))
        let (centers, counts) = (histogram.binCenters, histogram.counts)
        var quantized = [Float](repeating: 0, count: centers.count)
        var best = (error: Double.infinity, range: full)
        for k in stride(from: Self.candidateCount, through: 1, by: -1) {
            let candidate = full.clipped(atMagnitude: Float(magnitude * Double(k) / Double(Self.candidateCount)))
            let quantizer = try ActivationFakeQuantizer(bits: bits, range: candidate)
            quantizer.forward(centers, into: &quantized, count: centers.count)
            var error = 0.0
            for (j, n) in counts.enumerated() where n > 0 {
                let d = Double(centers[j] - quantized[j])
                error += Double(n) * d * d
            }
            if error < best.error { best = (error, candidate) }
        }
        return best.range
    }
}
