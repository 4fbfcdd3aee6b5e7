extension IntegerOnlyMLP: CheckpointableLayer {
    public static let kind = "integer-only-mlp"

    /// Everything the integer network needs to run again, stage `k` (from 0)
    /// under `fc<k+1>`:
    ///
    /// | tensor | dtype, shape | |
    /// |---|---|---|
    /// | `fcN.weight` | I8 `[out, in]` | the weight codes `q_w` |
    /// | `fcN.bias` | I32 `[out]` | `round(b / (s_x·s_w))` |
    /// | `fcN.multiplier`, `fcN.shift` | I32 `[out]` each | `M = s_x·s_w / s_y ≈ multiplier·2^(shift − 31)` |
    /// | `fcN.input_zero_point` | I32 `[1]` | `z_x` of the stage's input codes |
    /// | `fcN.input_scale` | F32 `[1]` | `s_x` (not read by the integer path) |
    /// | `fcN.weight_scale` | F32 `[out]` | `s_w` (not read by the integer path) |
    /// | `output_scale`, `output_zero_point` | F32 `[1]`, I32 `[1]` | the output grid |
    ///
    /// and the metadata key `quant.activation_bits` with each stage's input
    /// bits (`"8,8,8"`). A stage's output clamp follows: the next stage's
    /// `input_zero_point … 2ᵇ − 1` (the folded ReLU), and `0…255` for the last.
    ///
    /// The layer is the whole network, so its stages take the names the
    /// float model's linear layers have (`fc1`, `fc2`, … from the stage
    /// index, not from `name`): `fc2.weight` is the integer form of the FP32
    /// checkpoint's `fc2.weight`. A checkpoint holds one such layer.
    public func store(in file: inout Safetensors, name: String) {
        for (k, stage) in stages.enumerated() {
            let prefix = "fc\(k + 1)."
            file[prefix + "weight"] = SafetensorsTensor(Tensor(unchecked: [stage.outFeatures, stage.inFeatures], scalars: stage.codes))
            file[prefix + "bias"] = SafetensorsTensor(Tensor(stage.bias))
            file[prefix + "multiplier"] = SafetensorsTensor(Tensor(stage.multipliers.map(\.multiplier)))
            file[prefix + "shift"] = SafetensorsTensor(Tensor(stage.multipliers.map(\.shift)))
            file[prefix + "input_scale"] = SafetensorsTensor(Tensor([inputScales[k]]))
            file[prefix + "input_zero_point"] = SafetensorsTensor(Tensor([stage.inputZeroPoint]))
            file[prefix + "weight_scale"] = SafetensorsTensor(Tensor(weightScales[k]))
        }
        file["output_scale"] = SafetensorsTensor(Tensor([outputScale]))
        file["output_zero_point"] = SafetensorsTensor(Tensor([outputGrid.zeroPoint]))
        file.metadata[Self.activationBitsKey] = stages.map { String($0.inputBits) }.joined(separator: ",")
    }

    /// The network stored by ``store(in:name:)``, packed for the fastest kernel.
    ///
    /// - Throws: ``ModelError/missingParameter(name:)`` for a missing tensor or
    ///   metadata key, ``ModelError/parameterShape(name:expected:found:)`` and
    ///   ``ModelError/checkpoint(_:)`` for tensors of the wrong shape or dtype,
    ///   and the initializers' errors for values integers cannot run
    ///   (``FixedPointMultiplier/init(multiplier:shift:)``, ``IntegerLinearStage``).
    public init(from file: Safetensors, name: String, inputFeatures: Int) throws(ModelError) {
        guard let listed = file.metadata[Self.activationBitsKey] else { throw .missingParameter(name: Self.activationBitsKey) }
        let bits = listed.split(separator: ",").map { Int($0) ?? 0 }
        var grids = [(zeroPoint: Int32, scale: Float)]()
        for k in bits.indices {
            let prefix = "fc\(k + 1)."
            let zeroPoint = try file.parameter(prefix + "input_zero_point", as: Int32.self, shape: [1]).scalars[0]
            grids.append((zeroPoint, try file.parameter(prefix + "input_scale", as: Float.self, shape: [1]).scalars[0]))
        }
        let outputScale = try file.parameter("output_scale", as: Float.self, shape: [1]).scalars[0]
        let outputZeroPoint = try file.parameter("output_zero_point", as: Int32.self, shape: [1]).scalars[0]

        var stages = [IntegerLinearStage](), weightScales = [[Float]](), width = inputFeatures
        for k in bits.indices {
            let prefix = "fc\(k + 1)."
            let codes = try file.parameter(prefix + "weight", as: Int8.self, columns: width)
            let n = codes.shape[0]
            let bias = try file.parameter(prefix + "bias", as: Int32.self, shape: [n]).scalars
            let fixed = try file.parameter(prefix + "multiplier", as: Int32.self, shape: [n]).scalars
            let shifts = try file.parameter(prefix + "shift", as: Int32.self, shape: [n]).scalars
            var multipliers = [FixedPointMultiplier]()
            for (m, s) in zip(fixed, shifts) {
                do { multipliers.append(try FixedPointMultiplier(multiplier: m, shift: s)) } catch { throw .kernel(error) }
            }
            let isLast = k == bits.count - 1
            let outputRange = isLast ? 0...255 : try IntegerLinearStage.reluRange(zeroPoint: grids[k + 1].zeroPoint, bits: bits[k + 1])
            stages.append(try IntegerLinearStage(codes: codes.scalars, outFeatures: n, inFeatures: width, bias: bias,
                                                 multipliers: multipliers, inputBits: bits[k], inputZeroPoint: grids[k].zeroPoint,
                                                 outputZeroPoint: isLast ? outputZeroPoint : grids[k + 1].zeroPoint,
                                                 outputRange: outputRange))
            weightScales.append(try file.parameter(prefix + "weight_scale", as: Float.self, shape: [n]).scalars)
            width = n
        }
        try self.init(stages: stages, inputScales: grids.map(\.scale), weightScales: weightScales, outputScale: outputScale)
    }

    /// The metadata key of the stages' input bits.
    static let activationBitsKey = "quant.activation_bits"
}
