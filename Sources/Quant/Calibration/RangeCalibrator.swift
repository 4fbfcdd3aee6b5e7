/// A ``Calibrator`` that ends with a clipping range for a layer's input:
/// the `[lo, hi]` a per-tensor, affine, unsigned quantizer spreads its
/// `2ᵇ` codes over (``ActivationFakeQuantizer/init(bits:range:)``).
///
/// Every range contains 0 (so that 0, ReLU's output for every dead unit,
/// stays exact) and depends only on the values observed and, for
/// ``MovingAverageCalibrator``, their batching. Methods whose choice
/// depends on the grid (``MSECalibrator``, ``EntropyCalibrator``) take the
/// bit-width here, so one calibration pass serves every bit-width.
///
/// ```swift
/// let calibrator = try CalibrationMethod.percentile(99.99).makeCalibrator()
/// for batch in batches { batch.withUnsafeBufferPointer { calibrator.observe($0, rows: 256, features: 128) } }
/// let range = try calibrator.range(bits: 8)     // e.g. 0...3.71
/// ```
public protocol RangeCalibrator: Calibrator {
    /// The clipping range for a `bits`-bit quantizer, `lo ≤ 0 ≤ hi`.
    ///
    /// - Throws: ``ModelError/calibrationEmpty`` before any value,
    ///   ``ModelError/calibrationNonFinite(_:)`` when a NaN or infinity was
    ///   observed, ``ModelError/calibrationAllZero`` when every value was 0,
    ///   ``ModelError/quantization(_:)`` for bits outside 1…16 (methods that use them).
    func range(bits: Int) throws(ModelError) -> ClosedRange<Float>
}
