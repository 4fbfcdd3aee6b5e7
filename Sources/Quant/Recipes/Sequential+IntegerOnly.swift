extension Sequential {
    /// The model as one ``IntegerOnlyMLP``: int8 weights, uint8 activations
    /// on fixed grids, int32 biases and accumulators, and fixed-point
    /// requantization between the layers (TFLite's integer-only scheme).
    ///
    /// The model must be what static quantization or QAT makes:
    /// `FakeQuantLinear, ReLU, FakeQuantLinear, …, FakeQuantLinear`, each
    /// with weights of at most 8 bits and a frozen, enabled input quantizer
    /// of at most 8 bits. For layer `k` with input grid `(s_x, z_x)`,
    /// weight scales `s_w[j]`, float bias `b` and output grid `(s_y, z_y)`:
    ///
    ///     q_w[j, i] = clamp(round_half_even(W[j, i] · (1/s_w[j])), qmin, qmax)   the fake-quant forward's codes
    ///     bias[j]   = round(b_j / (s_x·s_w[j]))                                   int32
    ///     M_j       = s_x·s_w[j] / s_y                                             (Double) → FixedPointMultiplier
    ///
    /// where `(s_y, z_y)` is the next layer's input grid — the ReLU between
    /// them folds into the clamp `z_y…2ᵇ − 1` — and, for the last layer, an
    /// 8-bit unsigned affine grid over the min/max of this model's outputs on
    /// `outputCalibration` (`QuantParams(scheme: QuantScheme(bits: 8), min:max:)`).
    /// The integer model then rounds where the fake-quant model rounds; the
    /// two part only near code boundaries, where the int32 bias's rounding
    /// or TFLite's double rounding (the fixed-point product to `2^−right` of
    /// a code, then the shift) decides otherwise than the float product —
    /// on MNIST's seed MLP, 2 of 10,000 test predictions at W8A8 and 25 at W4A4.
    ///
    /// ```swift
    /// let ptq = try fp32.quantized(with: StaticQuantization(), calibration: data.train.prefix(1024))
    /// let int8 = try ptq.integerOnly(outputCalibration: data.train.prefix(1024))
    /// try int8.accuracy(on: data.test)   // within a few test images of ptq's
    /// ```
    ///
    /// - Throws: located at the layer, ``ModelError/unexpectedLayer(type:expected:)``
    ///   for a layer out of that pattern, ``ModelError/floatInput`` or
    ///   ``ModelError/observingInput`` for an input grid that is not fixed,
    ///   ``ModelError/activationBits(_:supported:)`` or
    ///   ``ModelError/weightBits(_:supported:)`` for more than 8 bits,
    ///   ``ModelError/kernel(_:)`` for a multiplier or bias integers cannot hold;
    ///   ``ModelError/calibrationEmpty`` or ``ModelError/calibrationNonFinite(_:)``
    ///   for output calibration without examples or with non-finite outputs.
    public func integerOnly(outputCalibration: ImageDataset, kernel: Int8Kernel = .fastest) throws(ModelError) -> Sequential {
        let linears = try integerOnlyLinears()
        var inputGrids = [ActivationFakeQuantizer]()
        for (index, linear) in linears {
            do { inputGrids.append(try Self.fixedInputGrid(of: linear)) } catch { throw error.located(at: index) }
        }
        let output = try outputGrid(on: outputCalibration)

        var stages = [IntegerLinearStage]()
        for (k, (index, linear)) in linears.enumerated() {
            let input = inputGrids[k]
            let isLast = k == linears.count - 1
            let (outputScale, outputZeroPoint) = isLast ? output : (inputGrids[k + 1].scale, inputGrids[k + 1].zeroPoint)
            do {
                let outputRange = isLast
                    ? 0...255 : try IntegerLinearStage.reluRange(zeroPoint: outputZeroPoint, bits: inputGrids[k + 1].scheme.bits)
                stages.append(try Self.stage(of: linear, input: input, outputScale: outputScale, outputZeroPoint: outputZeroPoint,
                                             outputRange: outputRange, kernel: kernel))
            } catch {
                throw error.located(at: index)
            }
        }
        let mlp = try IntegerOnlyMLP(stages: stages, inputScales: inputGrids.map(\.scale),
                                     weightScales: linears.map(\.layer.weightQuantizer.scales), outputScale: output.scale)
        return try Sequential([mlp])
    }

    /// The ``FakeQuantLinear`` layers with their indices, after checking
    /// that ReLUs separate them and one ends the model.
    private func integerOnlyLinears() throws(ModelError) -> [(index: Int, layer: FakeQuantLinear)] {
        var linears = [(index: Int, layer: FakeQuantLinear)]()
        for (index, layer) in layers.enumerated() {
            let type = String(describing: Swift.type(of: layer))
            if index.isMultiple(of: 2) {
                guard let linear = layer as? FakeQuantLinear else {
                    throw .inLayer(index, .unexpectedLayer(type: type, expected: "a FakeQuantLinear (quantize with StaticQuantization or QAT first)"))
                }
                linears.append((index, linear))
            } else if !(layer is ReLU) {
                throw .inLayer(index, .unexpectedLayer(type: type, expected: "a ReLU between two FakeQuantLinear layers"))
            }
        }
        if !layers.count.isMultiple(of: 2) { return linears }
        throw .inLayer(layers.count - 1, .unexpectedLayer(type: "ReLU", expected: "a FakeQuantLinear last (the logits)"))
    }

    /// The layer's input quantizer, if its grid is fixed and at most 8 bits
    /// and the weights have at most 8 bits.
    private static func fixedInputGrid(of linear: FakeQuantLinear) throws(ModelError) -> ActivationFakeQuantizer {
        let weights = linear.weightQuantizer.scheme
        guard weights.bits <= 8 else { throw .weightBits(weights.bits, supported: 2...8) }
        guard weights.granularity == .perChannel(axis: 0), case .symmetric = weights.mapping else {
            throw .unsupportedWeightScheme("\(weights): integer-only stages take uniform per-channel weights")
        }
        guard let input = linear.inputQuantizer, input.isEnabled else { throw .floatInput }
        guard !input.isObserving else { throw .observingInput }
        guard IntegerLinearStage.supportedInputBits.contains(input.scheme.bits) else {
            throw .activationBits(input.scheme.bits, supported: IntegerLinearStage.supportedInputBits)
        }
        return input
    }

    /// `(s_out, z_out)`: the 8-bit unsigned affine grid over the model's outputs on `dataset`.
    private func outputGrid(on dataset: ImageDataset) throws(ModelError) -> (scale: Float, zeroPoint: Int32) {
        guard dataset.count > 0 else { throw .calibrationEmpty }
        var (lo, hi) = (Float.infinity, -Float.infinity)
        try forEachBatch(of: dataset, batchSize: 256) { (_, rows, workspace) throws(ModelError) in
            let count = rows * outputFeatures
            let extremes = QuantGrid.extremes(workspace.output, count: count)
            if let bad = UnsafeBufferPointer(start: workspace.output, count: count).first(where: { !$0.isFinite }) {
                throw .calibrationNonFinite(bad)
            }
            (lo, hi) = (Swift.min(lo, extremes.min), Swift.max(hi, extremes.max))
        }
        do {
            let params = try QuantParams(scheme: QuantScheme(bits: 8), min: [lo], max: [hi])
            return (params.scales[0], params.zeroPoints[0])
        } catch {
            throw .quantization(error)
        }
    }

    /// Layer `linear` as an integer stage (the formulas of ``integerOnly(outputCalibration:kernel:)``).
    private static func stage(of linear: FakeQuantLinear, input: ActivationFakeQuantizer, outputScale: Float,
                              outputZeroPoint: Int32, outputRange: ClosedRange<UInt8>,
                              kernel: Int8Kernel) throws(ModelError) -> IntegerLinearStage {
        let quantizer = linear.weightQuantizer
        let (n, k) = (linear.outputFeatures, linear.inputFeatures)
        for values in [linear.weight, linear.bias] {
            if let bad = values.firstIndex(where: { !$0.isFinite }) { throw .quantization(.nonFiniteValue(index: bad, value: values[bad])) }
        }
        var codes = [Int8](repeating: 0, count: n * k)
        for (j, grid) in quantizer.grids.enumerated() {
            let (inverse, low, high) = (grid.inverseScale, Float(grid.qmin), Float(grid.qmax))
            for i in j * k ..< (j + 1) * k {
                codes[i] = Int8(Swift.min(Swift.max((linear.weight[i] * inverse).rounded(.toNearestOrEven), low), high))
            }
        }
        var bias = [Int32](), multipliers = [FixedPointMultiplier]()
        for (b, weightScale) in zip(linear.bias, quantizer.scales) {
            let accumulatorScale = Double(input.scale) * Double(weightScale)
            // Saturated to int32; the stage refuses any bias beyond ±(Int32.max − 32,640·K),
            // so that acc + bias cannot overflow.
            bias.append(Int32(Swift.min(Swift.max((Double(b) / accumulatorScale).rounded(), -0x1p31), 0x1p31 - 1)))
            do { multipliers.append(try FixedPointMultiplier(accumulatorScale / Double(outputScale))) } catch { throw .kernel(error) }
        }
        return try IntegerLinearStage(codes: codes, outFeatures: n, inFeatures: k, bias: bias, multipliers: multipliers,
                                      inputBits: input.scheme.bits, inputZeroPoint: input.zeroPoint,
                                      outputZeroPoint: outputZeroPoint, outputRange: outputRange, kernel: kernel)
    }
}
