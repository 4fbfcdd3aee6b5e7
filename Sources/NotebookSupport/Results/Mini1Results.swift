import Notebook

/// The keys of mini1's `results.json` (uniform affine quantization), read by
/// its end-to-end test and the write-up.
public enum Mini1Results {
    // The worked example: seven values at 8 bits.
    public static let exampleScale = ResultKey<Float>("example_scale")
    public static let exampleZeroPoint = ResultKey<Int>("example_zero_point")
    public static let exampleMaxError = ResultKey<Float>("example_max_error")

    // What an exact 0 comes back as: with the integer zero-point (0), and on
    // a grid anchored at min with a real-valued offset (not 0).
    public static let zeroErrorIntegerZeroPoint = ResultKey<Float>("zero_error_integer_zero_point")
    public static let zeroErrorRealOffset = ResultKey<Float>("zero_error_real_offset")

    // The check |x − x̂| ≤ s/2 on Gaussian samples.
    public static let boundCheckSamples = ResultKey<Int>("bound_check_samples")
    public static let boundCheckMaxErrorOverScale = ResultKey<Float>("bound_check_max_error_over_scale")
    public static let boundCheckMSEOverUniformModel = ResultKey<Double>("bound_check_mse_over_uniform_model")

    // 8-bit SQNR of ReLU outputs, affine and symmetric.
    public static let relu8BitSQNRAffine = ResultKey<Double>("relu_8bit_sqnr_db_affine")
    public static let relu8BitSQNRSymmetric = ResultKey<Double>("relu_8bit_sqnr_db_symmetric")

    /// 8-bit SQNR (dB) from `6.02·b + 4.77 − 20·log₁₀(m/σ)` with each tensor's
    /// half-range `m` and RMS `σ`: uniform, Gaussian, Laplace.
    public static let predictedSQNR8Bit = ResultKey<[Double]>("predicted_8bit_sqnr_db")
    /// Distinct 8-bit codes the Laplace samples hit.
    public static let laplaceCodesUsed = ResultKey<Int>("laplace_8bit_codes_used")

    /// Grid values the ramp over [−1, 1] reaches at 2 and 3 bits (4 and 8 codes).
    public static let staircaseLevelsReached = ResultKey<[Int]>("staircase_levels_reached")

    /// SQNR (dB) at 1…16 bits of one sweep series, e.g. `uniform_affine`,
    /// `laplace_symmetric`.
    public static func sweepSQNR(_ series: String) -> ResultKey<[Double]> {
        ResultKey("sweep_sqnr_db_\(series)")
    }

    /// Max |x − x̂| at 1…16 bits of one sweep series.
    public static func sweepMaxError(_ series: String) -> ResultKey<[Double]> {
        ResultKey("sweep_max_error_\(series)")
    }

    /// The bulk's SQNR for one way of choosing the range: `no_outlier_minmax`,
    /// `outlier_minmax`, `outlier_clipped`.
    public static func outlierBulkSQNR(_ range: String) -> ResultKey<Double> {
        ResultKey("outlier_\(range)_bulk_sqnr_db")
    }

    /// The codes the bulk uses for one way of choosing the range.
    public static func outlierCodesUsed(_ range: String) -> ResultKey<Int> {
        ResultKey("outlier_\(range)_codes_used")
    }

    /// The clipping threshold `c` (range `[−c, c]`) with the lowest MSE on
    /// the bulk, and on the whole tensor with its outlier.
    public static let bestClipBulk = ResultKey<Double>("outlier_best_clip_bulk")
    public static let bestClipWhole = ResultKey<Double>("outlier_best_clip_whole")

    // SQNR (dB) of each of the 8 rows, per-channel and per-tensor.
    public static let perChannelRowSQNR = ResultKey<[Double]>("per_channel_row_sqnr_db")
    public static let perTensorRowSQNR = ResultKey<[Double]>("per_tensor_row_sqnr_db")

    // Codes that differ from Quant's when re-quantizing ties another way.
    public static let tiesDifferDivision = ResultKey<Int>("ties_requantize_differ_division")
    public static let tiesDifferAddFirst = ResultKey<Int>("ties_requantize_differ_add_first")
}
