/// Prepares a float model for quantization-aware training: every ``Linear``
/// becomes a ``FakeQuantLinear`` with `weightBits`-bit per-channel weights
/// and, unless `activationBits` is `nil` (weight-only), a per-tensor
/// `activationBits`-bit fake-quantizer on its input, started from
/// calibration statistics of that input (range and mean |x|).
///
/// PACT clips at 0 and α, so it is meant for ReLU outputs: a layer whose
/// calibration inputs go below 0 (the first layer, on normalised pixels)
/// gets PyTorch's moving-average observer instead.
///
/// ```swift
/// let qat = try fp32.quantized(with: FakeQuantization(weightBits: 4, activationBits: 4, activationMethod: .lsq),
///                              calibration: data.train.prefix(1024))
/// let tuned = try Trainer(settings: fineTune).train(qat, on: data.train).model
/// ```
public struct FakeQuantization: QuantizationRecipe, Hashable {
    public var weightBits: Int
    public var weightMethod: WeightFakeQuantizer.Method
    /// `nil`: the inputs stay float (weight-only).
    public var activationBits: Int?
    public var activationMethod: ActivationFakeQuantizer.Method
    /// Epochs after which moving-average observers freeze (`nil`: never).
    public var freezeObserverAfterEpoch: Int?

    /// The weights' grid when it is not per-channel uniform (per-group,
    /// ternary, binary; see ``WeightFakeQuantizer``); `nil`: per-channel
    /// symmetric `weightBits`-bit codes.
    public var weightScheme: QuantScheme?

    public init(weightBits: Int, weightMethod: WeightFakeQuantizer.Method = .minMax, activationBits: Int?,
                activationMethod: ActivationFakeQuantizer.Method = .movingAverage, freezeObserverAfterEpoch: Int? = nil) {
        self.weightBits = weightBits
        self.weightMethod = weightMethod
        self.activationBits = activationBits
        self.activationMethod = activationMethod
        self.freezeObserverAfterEpoch = freezeObserverAfterEpoch
    }

    /// QAT with the weights on `weights`' grid, e.g. 2-bit groups of 64 or binary:
    ///
    /// ```swift
    /// let binary = try QuantScheme(bits: 1, mapping: .binary, granularity: .perChannel(axis: 0))
    /// let recipe = FakeQuantization(weights: binary, weightMethod: .lsq, activationBits: nil)
    /// ```
    public init(weights: QuantScheme, weightMethod: WeightFakeQuantizer.Method = .minMax, activationBits: Int?,
                activationMethod: ActivationFakeQuantizer.Method = .movingAverage, freezeObserverAfterEpoch: Int? = nil) {
        self.init(weightBits: weights.bits, weightMethod: weightMethod, activationBits: activationBits,
                  activationMethod: activationMethod, freezeObserverAfterEpoch: freezeObserverAfterEpoch)
        weightScheme = weights
    }

    public func calibrator(for layer: any Layer, at index: Int) -> (any Calibrator)? {
        layer is Linear && activationBits != nil ? StatisticsCalibrator() : nil
    }

    public func convert(_ layer: any Layer, at index: Int, calibrated: (any Calibrator)?) throws(ModelError) -> (any Layer)? {
        guard let linear = layer as? Linear else { return nil }
        var input: ActivationFakeQuantizer?
        if let activationBits, let statistics = (calibrated as? StatisticsCalibrator)?.statistics {
            var method = activationMethod
            if case .pact = method, statistics.min < 0 { method = .movingAverage }
            input = try ActivationFakeQuantizer(bits: activationBits, method: method, statistics: statistics)
        }
        let weights: WeightFakeQuantizer
        if let weightScheme {
            weights = try WeightFakeQuantizer(scheme: weightScheme, method: weightMethod, weight: linear.weight, outputFeatures: linear.outputFeatures)
        } else {
            weights = try WeightFakeQuantizer(bits: weightBits, method: weightMethod, weight: linear.weight, outputFeatures: linear.outputFeatures)
        }
        return try FakeQuantLinear(linear, weights: weights, input: input, freezeObserverAfterEpoch: freezeObserverAfterEpoch)
    }
}

/// Collects ``InputStatistics`` of a layer's calibration inputs.
public final class StatisticsCalibrator: Calibrator {
    public private(set) var statistics = InputStatistics()

    public init() {}

    public func observe(_ input: UnsafeBufferPointer<Float>, rows: Int, features: Int) {
        statistics.add(input)
    }
}

extension Sequential {
    /// The model with every fake-quantized layer's input observer frozen
    /// (its grid stays where training left it): the last step of QAT before
    /// an integer-only conversion, which needs fixed ranges.
    public func freezingObservers() throws(ModelError) -> Sequential {
        try mapLayers { (_, layer) throws(ModelError) in
            guard var fakeQuant = layer as? FakeQuantLinear else { return nil }
            fakeQuant.inputQuantizer?.isObserving = false
            return fakeQuant
        }
    }
}
