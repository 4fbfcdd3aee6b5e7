/// Static post-training quantization, simulated in float: every ``Linear``
/// becomes a ``FakeQuantLinear`` whose weights are fake-quantized per
/// output channel, symmetric and signed, from their own min-max
/// (`weightBits`, ``WeightFakeQuantizer/Method/minMax``), and whose input is
/// fake-quantized per tensor on a **frozen** affine unsigned
/// `activationBits`-bit grid over the range the layer's calibrator found
/// (``ActivationFakeQuantizer/init(bits:range:)``).
///
/// "Static" means the activation grids are fixed before inference, from
/// calibration data run through the float model (PyTorch's
/// `prepare`/`convert` with an observer per activation), where
/// ``DynamicQuantization`` measures every batch at run time. The model
/// computes what an integer model with these grids would, up to the
/// rounding of Float32 products and of an int32 bias; ReLU layers stay,
/// and the next layer's input quantizer rounds their output.
///
/// ```swift
/// let recipe = try StaticQuantization(weightBits: 4, activationBits: 8, calibrator: .entropy)
/// let w4a8 = try fp32.quantized(with: recipe, calibration: data.train.prefix(1024))
/// let accuracy = try w4a8.accuracy(on: data.test)
/// ```
public struct StaticQuantization: QuantizationRecipe, Hashable {
    /// Bits of the per-channel weight codes, 2…16.
    public let weightBits: Int
    /// Bits of the per-tensor input codes, 1…16.
    public let activationBits: Int
    /// How each layer's input range is found.
    public let calibrator: CalibrationMethod

    /// A configuration.
    ///
    /// - Throws: ``ModelError/weightBits(_:supported:)``, ``ModelError/quantization(_:)``
    ///   for activation bits outside 1…16, ``ModelError/calibrationParameter(_:)``
    ///   for a method's parameter outside its domain.
    public init(weightBits: Int = 8, activationBits: Int = 8, calibrator: CalibrationMethod = .minMax) throws(ModelError) {
        guard (2...16).contains(weightBits) else { throw .weightBits(weightBits, supported: 2...16) }
        do { _ = try QuantScheme(bits: activationBits, signed: false) } catch { throw .quantization(error) }
        _ = try calibrator.makeCalibrator()
        self.weightBits = weightBits
        self.activationBits = activationBits
        self.calibrator = calibrator
    }

    /// A fresh calibrator of the configured method for every ``Linear``.
    public func calibrator(for layer: any Layer, at index: Int) -> (any Calibrator)? {
        // The initializer made one already, and the configuration is constant.
        layer is Linear ? try! calibrator.makeCalibrator() : nil
    }

    /// Every ``Linear`` becomes a ``FakeQuantLinear`` with its calibrated input range; other layers stay.
    ///
    /// - Throws: ``ModelError/calibrationDataRequired`` for a ``Linear``
    ///   without a calibrator, and the calibrator's errors (``RangeCalibrator/range(bits:)``).
    public func convert(_ layer: any Layer, at index: Int, calibrated: (any Calibrator)?) throws(ModelError) -> (any Layer)? {
        guard let linear = layer as? Linear else { return nil }
        guard let calibrated = calibrated as? any RangeCalibrator else { throw .calibrationDataRequired }
        let input = try ActivationFakeQuantizer(bits: activationBits, range: calibrated.range(bits: activationBits))
        return try FakeQuantLinear(linear, weightBits: weightBits, weightMethod: .minMax, input: input)
    }
}
