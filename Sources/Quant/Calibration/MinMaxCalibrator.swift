/// The running minimum and maximum over every calibration batch: PyTorch's
/// `MinMaxObserver`, the default for static post-training quantization.
///
/// `[lo, hi] = [min(min x, 0), max(max x, 0)]` over all values seen. One
/// outlier anywhere in the calibration data sets the range, and a wider
/// range means a coarser step `s = (hi − lo)/(2ᵇ − 1)` for every value.
/// Independent of batch order, size and of the bit-width.
public final class MinMaxCalibrator: RangeCalibrator {
    private var extremes = RunningExtremes()

    public init() {}

    public func observe(_ input: UnsafeBufferPointer<Float>, rows: Int, features: Int) {
        _ = extremes.add(input)
    }

    public func range(bits: Int) throws(ModelError) -> ClosedRange<Float> {
        try extremes.widenedRange()
    }
}
