/// Post-training quantization of the weights onto any signed symmetric,
/// ternary or binary grid — per-tensor, per-channel or per-group, with or
/// without clipping — and optionally of each layer's input onto a static
/// `activationBits`-bit grid from calibration data: the sweeps of low-bit
/// PTQ (`W4`, `W2/g64`, `W1A8`, …) in one recipe.
///
/// Every ``Linear`` becomes a ``FakeQuantLinear`` whose grids are fixed by
/// the weights themselves (``WeightFakeQuantizer/Method``): round to nearest
/// on the min-max grid, or on a clipped one. The inputs stay float
/// (weight-only quantization, what low-bit LLM kernels do) unless
/// `activationBits` is set; then each input range comes from `calibrator`,
/// as in ``StaticQuantization``.
///
/// ```swift
/// let w3 = try QuantScheme(bits: 3, mapping: .symmetric(restrictedRange: false), granularity: .perGroup(axis: 1, size: 64))
/// let model = try fp32.quantized(with: WeightQuantization(weights: w3, method: .mse(candidates: 100)))
/// let w4a8 = try fp32.quantized(with: WeightQuantization(weights: w4, activationBits: 8), calibration: data.train.prefix(1024))
/// ```
public struct WeightQuantization: QuantizationRecipe, Hashable {
    /// The weights' grid (see ``WeightFakeQuantizer`` for the schemes it takes).
    public let weights: QuantScheme
    /// How each slot's step is chosen.
    public let method: WeightFakeQuantizer.Method
    /// Bits of the static per-tensor input codes; `nil`: float inputs.
    public let activationBits: Int?
    /// How each input range is found when `activationBits` is set.
    public let calibrator: CalibrationMethod

    /// A configuration; its errors surface when a layer is converted, where they name the layer.
    public init(weights: QuantScheme, method: WeightFakeQuantizer.Method = .minMax, activationBits: Int? = nil,
                calibrator: CalibrationMethod = .mse) {
        self.weights = weights
        self.method = method
        self.activationBits = activationBits
        self.calibrator = calibrator
    }

    public func calibrator(for layer: any Layer, at index: Int) -> (any Calibrator)? {
        guard layer is Linear, activationBits != nil else { return nil }
        return try? calibrator.makeCalibrator()
    }

    /// Every ``Linear`` becomes a ``FakeQuantLinear``; other layers stay.
    ///
    /// - Throws: the ``WeightFakeQuantizer`` errors for an unsupported
    ///   scheme or method; ``ModelError/calibrationDataRequired`` when
    ///   inputs are quantized and no calibrator ran; the calibrator's errors.
    public func convert(_ layer: any Layer, at index: Int, calibrated: (any Calibrator)?) throws(ModelError) -> (any Layer)? {
        guard let linear = layer as? Linear else { return nil }
        let quantizer = try WeightFakeQuantizer(scheme: weights, method: method, weight: linear.weight, outputFeatures: linear.outputFeatures)
        var input: ActivationFakeQuantizer?
        if let activationBits {
            // A method parameter out of its domain made calibrator(for:at:) give none; say that, not "no calibration data".
            _ = try calibrator.makeCalibrator()
            guard let range = calibrated as? any RangeCalibrator else { throw .calibrationDataRequired }
            input = try ActivationFakeQuantizer(bits: activationBits, range: range.range(bits: activationBits))
        }
        return try FakeQuantLinear(linear, weights: quantizer, input: input)
    }
}
