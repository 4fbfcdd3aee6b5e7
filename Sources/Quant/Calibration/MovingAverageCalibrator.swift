/// An exponential moving average of each batch's minimum and maximum:
/// PyTorch's `MovingAverageMinMaxObserver` (the default activation
/// observer of quantization-aware training).
///
/// The first batch sets `min, max` to its own extremes; every later batch
/// moves them a fraction `c` of the way to its extremes,
/// `min ← min + c·(batch min − min)` and `max ← max + c·(batch max − max)`
/// (`c = 0.01` in PyTorch). The range is `[min(min, 0), max(max, 0)]`.
///
/// Unlike the other calibrators this depends on how the data is batched:
/// with few batches the range stays close to the first batch's (after `n`
/// batches the first still weighs `(1 − c)ⁿ⁻¹`, 0.86 after 16 batches at
/// `c = 0.01`), a different order gives a different range, and one batch
/// (calibration data no larger than the batch size) gives exactly
/// ``MinMaxCalibrator``'s range. Averaging extremes also lets rare outliers
/// fall outside the range, where min-max would stretch to them.
public final class MovingAverageCalibrator: RangeCalibrator {
    /// The averaging constant `c`, in (0, 1].
    public let averaging: Float
    private var extremes = RunningExtremes()
    private var average: (min: Float, max: Float)?

    /// A calibrator with averaging constant `c`.
    ///
    /// - Throws: ``ModelError/calibrationParameter(_:)`` when `c` is not in (0, 1].
    public init(averaging c: Float = 0.01) throws(ModelError) {
        guard c > 0, c <= 1 else { throw .calibrationParameter("the averaging constant is \(c); use a value in (0, 1]") }
        averaging = c
    }

    public func observe(_ input: UnsafeBufferPointer<Float>, rows: Int, features: Int) {
        guard let batch = extremes.add(input) else { return }
        if let old = average {
            average = (old.min + averaging * (batch.min - old.min), old.max + averaging * (batch.max - old.max))
        } else {
            average = batch
        }
    }

    public func range(bits: Int) throws(ModelError) -> ClosedRange<Float> {
        _ = try extremes.widenedRange()
        guard let average else { throw .calibrationEmpty }
        return Swift.min(average.min, 0)...Swift.max(average.max, 0)
    }
}
