import Notebook

/// The keys of mini2's `results.json` (dynamic int8 quantization of an
/// MLP), read by its end-to-end test and the write-up. Values keyed by
/// granularity use the members `per_tensor` and `per_channel`.
public enum Mini2Results {
    // The data.
    public static let trainingImages = ResultKey<Int>("training_images")
    public static let testImages = ResultKey<Int>("test_images")

    // The model and its training.
    public static let parameters = ResultKey<Int>("parameters")
    public static let epochs = ResultKey<Int>("epochs")
    /// The median seconds per epoch (a timing: varies between runs).
    public static let epochSeconds = ResultKey<Double>("epoch_seconds")
    /// Where ``epochSeconds`` comes from: this training run, or an extra epoch.
    public static let epochSecondsSource = ResultKey<String>("epoch_seconds_source")
    public static let checkpointReused = ResultKey<Bool>("checkpoint_reused")
    public static let testAccuracyPerEpoch = ResultKey<[Double]>("test_accuracy_per_epoch")

    // The FP32 baseline.
    public static let fp32Accuracy = ResultKey<Double>("fp32_accuracy")
    public static let fp32Bytes = ResultKey<Int>("fp32_bytes")

    // fc1 worked through by hand.
    public static let fc1WeightScalePerTensor = ResultKey<Float>("fc1_weight_scale_per_tensor")
    public static let fc1ActivationScale = ResultKey<Float>("fc1_activation_scale")
    public static let fc1ActivationZeroPoint = ResultKey<Int>("fc1_activation_zero_point")
    public static let fc1ActivationMatchesObserver = ResultKey<Bool>("fc1_activation_matches_observer")

    /// The largest error on fc1's input with the normalisation folded into
    /// fc1 (raw pixels k/255 on the grid of step 1/255): Float32 rounding only.
    public static let foldedInputError = ResultKey<Float>("folded_input_error")
    /// Predictions per-tensor int8 changes against FP32: `normalised`, `folded`.
    public static let foldedChangedPredictions = ResultKey<[String: Int]>("folded_changed_predictions")

    // The int8 models against FP32, by granularity.
    public static let int8Accuracy = ResultKey<[String: Double]>("int8_accuracy")
    public static let int8Bytes = ResultKey<[String: Int]>("int8_bytes")
    public static let accuracyDropPoints = ResultKey<[String: Double]>("accuracy_drop_points")
    /// FP32 checkpoint bytes over int8 per-tensor bytes.
    public static let sizeRatio = ResultKey<Double>("size_ratio")
    /// Speeds (timings): `fp32_b256`, `fp32_b1`, `int8_b256`, `int8_b1`,
    /// `int8_per_channel_b256`, `int8_per_channel_b1`.
    public static let imagesPerSecond = ResultKey<[String: Double]>("images_per_second")
    /// Whether the reference and fast kernels gave the same bits.
    public static let kernelsAgree = ResultKey<Bool>("kernels_agree")

    /// Predictions changed against FP32 at batch 1, 256 and 1000, by granularity.
    public static let changedByBatchSize = ResultKey<[String: [Int]]>("changed_by_batch_size")

    /// Test images whose prediction changed, FP32 → int8 per-tensor.
    public static let changedPredictions = ResultKey<Int>("changed_predictions")
    public static let changedRightToWrong = ResultKey<Int>("changed_right_to_wrong")
    public static let changedWrongToRight = ResultKey<Int>("changed_wrong_to_right")

    /// McNemar's two-sided p-value for `int8 per-tensor vs FP32`,
    /// `int8 per-channel vs FP32` and `int8 per-channel vs int8 per-tensor`.
    public static let mcNemarPValues = ResultKey<[String: Double]>("mcnemar_p_values")

    /// Each layer's weight SQNR (dB), by granularity.
    public static let weightSQNR = ResultKey<[String: [Double]]>("weight_sqnr_db")
    /// Per layer input: the largest per-batch maximum over the smallest (batch 256).
    public static let activationMaxSpread = ResultKey<[Double]>("activation_max_spread")
    /// Test accuracy at weight bits 8, 6, 4, 3, 2, keyed `per_tensor_a8`,
    /// `per_channel_float` (weight-only), … by granularity and activation bits.
    public static let sweepAccuracy = ResultKey<[String: [Double]]>("sweep_accuracy")

    /// Predictions changed against FP32 at the same configurations.
    public static let sweepChangedPredictions = ResultKey<[String: [Int]]>("sweep_changed_predictions")

    /// The SQNR (dB) of all weights of the model together, by granularity.
    public static let pooledWeightSQNR = ResultKey<[String: Double]>("pooled_weight_sqnr_db")
}
