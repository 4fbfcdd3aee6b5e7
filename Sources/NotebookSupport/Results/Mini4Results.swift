import Notebook

/// The keys of mini4's `results.json` (low-bit PTQ sweeps, QAT at every
/// width, packed sizes, low-bit kernel speed), read by its end-to-end test
/// and the write-up. Values are keyed by dataset (`mnist`,
/// `fashion-mnist`), then by weight format (`8`, `6`, `5`, `4`, `3`, `2`,
/// `ternary`, `binary`) and by granularity (`per-tensor`, `per-channel`,
/// `g128`, `g64`, `g32`) or method.
public enum Mini4Results {
    public static let fp32Accuracy = ResultKey<[String: Double]>("fp32_accuracy")
    /// Weight-only round-to-nearest min-max PTQ: dataset → format → granularity → accuracy.
    public static let weightOnlyAccuracy = ResultKey<[String: [String: [String: Double]]]>("ptq_weight_only_accuracy")
    /// Per-channel weights with activations FP32, A8, A4: dataset → format → activations → accuracy.
    public static let activationAccuracy = ResultKey<[String: [String: [String: Double]]]>("ptq_activation_accuracy")
    /// Per-channel weight-only PTQ by method (`min-max`, `percentile 99.9`, `MSE`, `GPTQ`, and `GPTQ g32` at 2 bits and ternary): dataset → format → method → accuracy.
    public static let methodAccuracy = ResultKey<[String: [String: [String: Double]]]>("ptq_method_accuracy")
    /// GPTQ's summed proxy loss tr((W−Q)H(W−Q)ᵀ) over round-to-nearest's (same MSE grid): dataset → format → ratio.
    public static let gptqLossRatio = ResultKey<[String: [String: Double]]>("gptq_loss_ratio")
    /// Best per-channel weight-only PTQ: dataset → format → accuracy.
    public static let bestPTQ = ResultKey<[String: [String: Double]]>("ptq_best_accuracy")
    /// QAT (weight-only, per-channel): dataset → format → method (`ste`, `lsq`) → accuracy.
    public static let qatAccuracy = ResultKey<[String: [String: [String: Double]]]>("qat_accuracy")
    /// The FP32 model fine-tuned for the QAT epochs: dataset → accuracy.
    public static let fp32FineTuneAccuracy = ResultKey<[String: Double]>("fp32_finetune_accuracy")
    /// Best QAT − best PTQ in points: dataset → format → points.
    public static let qatGainPoints = ResultKey<[String: [String: Double]]>("qat_gain_points")
    /// McNemar's exact p of best QAT against best PTQ: dataset → format → p.
    public static let qatGainPValue = ResultKey<[String: [String: Double]]>("qat_gain_p_value")
    public static let qatEpochs = ResultKey<Int>("qat_epochs")
    /// Packed weights of the whole MLP per format (per-channel unless named `…/gN`):
    /// format → `codes`, `scales`, `biases`, `total` bytes and `bits_per_weight`.
    public static let packedBytes = ResultKey<[String: [String: Double]]>("packed_bytes")
    /// The FP32 weights and biases in bytes.
    public static let fp32Bytes = ResultKey<Int>("fp32_bytes")
    /// Every configuration of the Pareto figure: name → `bytes`, `accuracy` (MNIST or the run's dataset).
    public static let pareto = ResultKey<[String: [String: Double]]>("pareto")
    /// Deployed models (`fp32`, `int8`, `qat-4`, `qat-2`, `qat-ternary`, `qat-binary`) on their kernels: test accuracy.
    public static let deployedAccuracy = ResultKey<[String: Double]>("deployed_accuracy")
    /// The deployed models' safetensors checkpoints: bytes on disk.
    public static let checkpointBytes = ResultKey<[String: Int]>("checkpoint_bytes")
    /// The deployed models exported to ONNX (`quant export`): bytes.
    public static let onnxBytes = ResultKey<[String: Int]>("onnx_bytes")
    /// The deployed models' speed, `<model>_b256` and `<model>_b1`, images/s (timings: vary between runs).
    public static let imagesPerSecond = ResultKey<[String: Double]>("images_per_second")
    /// One 4096 × 4096 layer at batch 1 (1024 × 1024 quick): µs per call, `fp32`, `int8`, `int4`, `int2` (timings).
    public static let gemvMicroseconds = ResultKey<[String: Double]>("gemv_microseconds")
    /// The configurations on the Pareto front, smallest first.
    public static let paretoFront = ResultKey<[String]>("pareto_front")
}
