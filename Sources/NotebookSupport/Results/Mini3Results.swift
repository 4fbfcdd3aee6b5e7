import Notebook

/// The keys of mini3's `results.json` (static PTQ, QAT, integer-only
/// inference), read by its end-to-end test and the write-up. Values keyed
/// by configuration use `W8A8`, `W4A8`, `W4A4`; by QAT method `ste`, `lsq`,
/// `pact`; by calibrator its description (`min-max`, `MSE`, …).
public enum Mini3Results {
    public static let fp32Accuracy = ResultKey<Double>("fp32_accuracy")

    // Static PTQ.
    /// Dynamic int8 (per-channel weights), mini-project 2's method, for comparison.
    public static let dynamicAccuracy = ResultKey<Double>("dynamic_int8_accuracy")
    public static let staticAccuracy = ResultKey<[String: [String: Double]]>("static_ptq_accuracy")
    public static let staticBest = ResultKey<[String: Double]>("static_ptq_best")
    public static let calibrationImages = ResultKey<[Int]>("calibration_images")
    /// W4A4 accuracy for each of ``calibrationImages``, per calibrator.
    public static let calibrationCurve = ResultKey<[String: [Double]]>("calibration_curve_w4a4")

    // QAT.
    public static let qatEpochs = ResultKey<Int>("qat_epochs")
    public static let qatAccuracy = ResultKey<[String: [String: Double]]>("qat_accuracy")
    /// The fake-quantized model's accuracy before its first QAT epoch.
    public static let qatStartAccuracy = ResultKey<[String: [String: Double]]>("qat_start_accuracy")
    public static let fp32FineTuneAccuracy = ResultKey<Double>("fp32_finetune_accuracy")
    /// The fastest epoch of each run, in seconds (a timing: varies between runs).
    public static let epochSeconds = ResultKey<[String: Double]>("epoch_seconds")
    public static let fc2MeanWeightMoveSteps = ResultKey<Double>("fc2_mean_weight_move_steps")

    // Integer-only inference, keyed `static-w8a8`, `qat-w8a8-ste`, `qat-w4a4-ste`.
    public static let integerOnlyAccuracy = ResultKey<[String: Double]>("integer_only_accuracy")
    /// Integer-only minus fake-quant accuracy, in points.
    public static let integerOnlyGapPoints = ResultKey<[String: Double]>("integer_only_gap_points")
    public static let integerOnlyChangedPredictions = ResultKey<[String: Int]>("integer_only_changed_predictions")
}
