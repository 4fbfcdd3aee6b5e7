/// Weight-only GPTQ post-training quantization of a model: every ``Linear``
/// becomes a ``Linear`` whose weights are its GPTQ-quantized weights,
/// dequantized (`ŵ = s·q` on the ``WeightGrid``), with the float bias and
/// float activations — simulated quantization, as the float kernels run it.
/// The codes and scales of every layer are in ``Outcome/results``, ready to
/// pack (``QuantizedWeight/bitPacked()``) for low-bit kernels.
///
/// **Which inputs calibrate a layer.** Each layer's ``LayerHessian`` comes
/// from its inputs on the calibration images, and there are two choices:
/// - ``Inputs/quantized`` (the paper): the layers are quantized first to
///   last, and layer `k`'s Hessian comes from the inputs it gets when the
///   layers before it are already quantized, so it corrects for the errors
///   they made too. One pass over the calibration data per ``Linear``.
/// - ``Inputs/float``: every Hessian from the float model's activations, in
///   one pass. That is what ``Sequential/quantized(with:calibration:batchSize:where:)``
///   does with this recipe (its calibrators see the unconverted model), and
///   it lets the layers be quantized independently.
///
/// ```swift
/// let recipe = GPTQQuantization(grid: try WeightGrid(bits: 3, groupSize: 128, scale: .mse()))
/// let gptq = try recipe.quantize(fp32, calibration: data.train.prefix(1024))   // sequential, as the paper
/// try gptq.model.accuracy(on: data.test)
/// gptq.results[0]!.loss < gptq.results[0]!.roundToNearestLoss                // layer 0 (fc1)
/// let floatInputs = try fp32.quantized(with: recipe, calibration: data.train.prefix(1024))
/// ```
public struct GPTQQuantization: QuantizationRecipe, Hashable {
    /// Which activations a layer's Hessian is computed from.
    public enum Inputs: String, Sendable, Hashable, CaseIterable {
        /// The float model's.
        case float
        /// The model's with every earlier layer already quantized (the paper).
        case quantized
    }

    /// A quantized model and what GPTQ did to each layer.
    public struct Outcome: Sendable {
        /// The model with every ``Linear`` replaced by its GPTQ weights.
        public let model: Sequential
        /// The result of each converted layer, by layer index.
        public let results: [Int: GPTQResult]

        /// The baseline: ``model`` with each converted layer's weights
        /// rounded to nearest on the same grid instead
        /// (``GPTQResult/roundToNearest``), biases as they are.
        public func roundToNearestModel() throws(ModelError) -> Sequential {
            try model.mapLayers { (index, layer) throws(ModelError) in
                guard let result = results[index], let linear = layer as? Linear else { return nil }
                let weight = Tensor(unchecked: [linear.outputFeatures, linear.inputFeatures], scalars: result.roundToNearest.dequantized)
                return try Linear(weight: weight, bias: linear.biasTensor)
            }
        }
    }

    /// The algorithm's settings.
    public var gptq: GPTQ
    /// The codes and scales.
    public var grid: WeightGrid

    public init(gptq: GPTQ = .paper, grid: WeightGrid) {
        self.gptq = gptq
        self.grid = grid
    }

    /// A ``HessianCalibrator`` for every ``Linear``.
    public func calibrator(for layer: any Layer, at index: Int) -> (any Calibrator)? {
        layer is Linear ? HessianCalibrator() : nil
    }

    /// Every ``Linear`` becomes its GPTQ-quantized copy; other layers stay.
    ///
    /// - Throws: ``ModelError/calibrationDataRequired`` for a ``Linear``
    ///   without a calibrator, the calibrator's errors, and ``ModelError/gptq(_:)``.
    public func convert(_ layer: any Layer, at index: Int, calibrated: (any Calibrator)?) throws(ModelError) -> (any Layer)? {
        guard let linear = layer as? Linear else { return nil }
        guard let calibrated = calibrated as? HessianCalibrator else { throw .calibrationDataRequired }
        return try quantize(linear, hessian: calibrated.hessian()).layer
    }

    /// One layer, from its Hessian.
    ///
    /// - Throws: ``ModelError/gptq(_:)``.
    public func quantize(_ linear: Linear, hessian: LayerHessian) throws(ModelError) -> (layer: Linear, result: GPTQResult) {
        let result: GPTQResult
        do {
            result = try gptq.quantize(weight: linear.weight, outFeatures: linear.outputFeatures,
                                       inFeatures: linear.inputFeatures, hessian: hessian, grid: grid)
        } catch {
            throw .gptq(error)
        }
        let weight = Tensor(unchecked: [linear.outputFeatures, linear.inputFeatures], scalars: result.dequantized)
        return (try Linear(weight: weight, bias: linear.biasTensor), result)
    }

    /// Every ``Linear`` of `model`, its Hessian from `calibration` run
    /// through the model `batchSize` rows at a time with `inputs` (see the type).
    ///
    /// - Throws: ``ModelError/inputShape(expectedFeatures:shape:)`` for
    ///   images of another size; located at the layer, ``ModelError/calibrationEmpty`` for no
    ///   calibration examples, ``ModelError/calibrationNonFinite(_:)``, and ``ModelError/gptq(_:)``.
    public func quantize(_ model: Sequential, calibration: ImageDataset, inputs: Inputs = .quantized,
                         batchSize: Int = 256) throws(ModelError) -> Outcome {
        guard calibration.featureCount == model.inputFeatures else {
            throw .inputShape(expectedFeatures: model.inputFeatures, shape: [calibration.count, calibration.featureCount])
        }
        let linears = model.layers.enumerated().compactMap { index, layer in (layer as? Linear).map { (index, $0) } }
        var current = model
        var results = [Int: GPTQResult]()
        var calibrators = inputs == .float
            ? try Self.hessians(of: model, at: linears.map(\.0), calibration: calibration, batchSize: batchSize) : []
        for (k, (index, linear)) in linears.enumerated() {
            do {
                if inputs == .quantized {
                    calibrators.append(try Self.hessians(of: current, at: [index], calibration: calibration, batchSize: batchSize)[0])
                }
                let (layer, result) = try quantize(linear, hessian: calibrators[k].hessian())
                (current.layers[index], results[index]) = (layer, result)
            } catch {
                throw error.located(at: index)
            }
        }
        return Outcome(model: current, results: results)
    }

    /// Calibrators that saw the inputs of layers `indices` of `model` on `calibration`.
    private static func hessians(of model: Sequential, at indices: [Int], calibration: ImageDataset,
                                 batchSize: Int) throws(ModelError) -> [HessianCalibrator] {
        let calibrators = indices.map { _ in HessianCalibrator() }
        let slots = Dictionary(uniqueKeysWithValues: zip(indices, calibrators))
        try model.forEachBatch(of: calibration, batchSize: batchSize, observe: { index, input in
            let features = model.layers[index].inputFeatures
            slots[index]?.observe(input, rows: input.count / Swift.max(features, 1), features: features)
        }, { _, _, _ in })
        return calibrators
    }
}
