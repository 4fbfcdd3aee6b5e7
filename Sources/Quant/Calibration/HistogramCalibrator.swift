/// The calibrators that read their range from an ``ActivationHistogram`` of
/// every value observed (``PercentileCalibrator``, ``MSECalibrator``,
/// ``EntropyCalibrator``): one pass fills the histogram, and each
/// ``RangeCalibrator/range(bits:)`` call searches it, so the histogram is
/// also there to draw the ranges on.
public class HistogramCalibrator: Calibrator {
    /// Every value observed.
    public private(set) var histogram = ActivationHistogram()

    init() {}

    public func observe(_ input: UnsafeBufferPointer<Float>, rows: Int, features: Int) {
        histogram.add(input)
    }
}
