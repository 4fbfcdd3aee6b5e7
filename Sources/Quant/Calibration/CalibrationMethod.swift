/// How ``StaticQuantization`` finds each layer's input range from
/// calibration data: one case per ``RangeCalibrator``, the methods Wu et
/// al. 2020 ("Integer quantization for deep learning inference") compare.
///
/// ```swift
/// let recipe = try StaticQuantization(weightBits: 8, activationBits: 8, calibrator: .percentile(99.99))
/// for method in CalibrationMethod.standard { print(method) }   // min-max, moving average (c = 0.01), …
/// ```
public enum CalibrationMethod: Sendable, Hashable, CustomStringConvertible {
    /// ``MinMaxCalibrator``: the running min and max (PyTorch's `MinMaxObserver`).
    case minMax
    /// ``MovingAverageCalibrator`` with averaging constant `c` (PyTorch's `MovingAverageMinMaxObserver`, `c = 0.01`).
    case movingAverage(Float)
    /// ``PercentileCalibrator`` at the p-th percentile, `p` in 50…100.
    case percentile(Double)
    /// ``MSECalibrator``: the clipping with the least mean squared quantization error.
    case mse
    /// ``EntropyCalibrator``: TensorRT's KL-divergence threshold.
    case entropy

    /// The usual settings of each method: PyTorch's `c = 0.01`, and the
    /// 99.9th and 99.99th percentiles.
    public static let standard: [CalibrationMethod] = [.minMax, .movingAverage(0.01), .percentile(99.9), .percentile(99.99), .mse, .entropy]

    /// A fresh calibrator for one layer.
    ///
    /// - Throws: ``ModelError/calibrationParameter(_:)`` for an averaging
    ///   constant outside (0, 1] or a percentile outside 50…100.
    public func makeCalibrator() throws(ModelError) -> any RangeCalibrator {
        switch self {
        case .minMax: return MinMaxCalibrator()
        case .movingAverage(let c): return try MovingAverageCalibrator(averaging: c)
        case .percentile(let p): return try PercentileCalibrator(percentile: p)
        case .mse: return MSECalibrator()
        case .entropy: return EntropyCalibrator()
        }
    }

    public var description: String {
        switch self {
        case .minMax: return "min-max"
        case .movingAverage(let c): return "moving average (c = \(c))"
        case .percentile(let p): return "percentile \(p)"
        case .mse: return "MSE"
        case .entropy: return "entropy (KL)"
        }
    }
}
