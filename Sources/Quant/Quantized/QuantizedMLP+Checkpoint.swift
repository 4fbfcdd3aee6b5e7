extension QuantizedMLP {
    /// The name of layer `index`'s weight scales in checkpoints (`fc1.weight_scale`, …).
    public static func scaleName(layer index: Int) -> String {
        "fc\(index + 1).weight_scale"
    }

    /// The quantized parameters as safetensors tensors, per layer `fcN`:
    /// `fcN.weight` I8 `[out, in]` (the codes), `fcN.weight_scale` F32 `[1]`
    /// or `[out]` (zero-points are 0, symmetric), `fcN.bias` F32 `[out]`.
    /// A float weight takes 4 bytes and a code 1, so the file is about a
    /// quarter of the FP32 checkpoint (plus the biases and scales, < 1 %).
    ///
    /// In Python: `w = f.get_tensor("fc1.weight").float() * f.get_tensor("fc1.weight_scale")[:, None]`
    /// (or the one scale) gives the dequantized weights.
    public func checkpoint(metadata: [String: String] = [:]) -> Safetensors {
        var meta = metadata
        meta["quant.format"] = "dynamic-int8: x -> uint8 per batch (min/max), W -> int8 symmetric, int32 accumulation"
        meta["quant.weight_scheme"] = layers.map { $0.weightQuantizer.scheme.pytorchName }.joined(separator: ",")
        var file = Safetensors(metadata: meta)
        for (i, layer) in layers.enumerated() {
            file[MLP.parameterName(layer: i, bias: false)] = SafetensorsTensor(layer.weightCodes)
            file[Self.scaleName(layer: i)] = SafetensorsTensor(Tensor(layer.weights.scales))
            file[MLP.parameterName(layer: i, bias: true)] = SafetensorsTensor(Tensor(layer.bias))
        }
        return file
    }

    /// The model stored by ``checkpoint(metadata:)``: layers `fc1`, `fc2`, …
    /// with I8 weights, F32 scales and biases, packed for `kernel`.
    public init(checkpoint: Safetensors, kernel: Int8Kernel = .fastest) throws(QuantizedModelError) {
        var layers = [DynamicQuantizedLinear]()
        while checkpoint[MLP.parameterName(layer: layers.count, bias: false)] != nil {
            let i = layers.count
            let weightName = MLP.parameterName(layer: i, bias: false)
            let codes: Tensor<Int8>, scales: Tensor<Float>, bias: Tensor<Float>
            do { codes = try checkpoint.tensor(weightName, as: Int8.self) } catch { throw .checkpoint(error) }
            guard codes.rank == 2 else { throw .parameterShape(name: weightName, expected: [-1, -1], found: codes.shape) }
            do {
                scales = try checkpoint.tensor(Self.scaleName(layer: i), as: Float.self)
                bias = try checkpoint.tensor(MLP.parameterName(layer: i, bias: true), as: Float.self, shape: [codes.shape[0]])
            } catch {
                throw .checkpoint(error)
            }
            guard scales.rank == 1 else {
                throw .parameterShape(name: Self.scaleName(layer: i), expected: [codes.shape[0]], found: scales.shape)
            }
            do {
                layers.append(try DynamicQuantizedLinear(codes: codes, scales: scales.scalars, bias: bias.scalars, kernel: kernel))
            } catch {
                if case .kernel(let e, nil) = error { throw .kernel(e, layer: i) }
                throw error
            }
        }
        guard !layers.isEmpty else {
            throw .checkpoint(.missingTensor(name: MLP.parameterName(layer: 0, bias: false), available: checkpoint.tensors.keys.sorted()))
        }
        try self.init(layers: layers)
    }
}
