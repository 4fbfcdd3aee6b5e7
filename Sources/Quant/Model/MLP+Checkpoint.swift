extension MLP {
    /// The name of layer `index`'s weight (`fc1.weight`, …) or bias (`fc1.bias`) in checkpoints,
    /// as a PyTorch module with attributes `fc1`, `fc2`, … would name them.
    public static func parameterName(layer index: Int, bias: Bool) -> String {
        "fc\(index + 1)." + (bias ? "bias" : "weight")
    }

    /// The parameters as F32 safetensors tensors (`fc1.weight` `[256, 784]`, `fc1.bias` `[256]`, …).
    ///
    /// ```swift
    /// try model.checkpoint(metadata: ["note": "seed model"]).write(to: url)
    /// ```
    public func checkpoint(metadata: [String: String] = [:]) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        for (i, layer) in layers.enumerated() {
            file[Self.parameterName(layer: i, bias: false)] = SafetensorsTensor(layer.weightTensor)
            file[Self.parameterName(layer: i, bias: true)] = SafetensorsTensor(layer.biasTensor)
        }
        return file
    }

    /// The model stored in `checkpoint`: layers `fc1`, `fc2`, … in order,
    /// each with an F32 `[out, in]` weight and `[out]` bias, widths chained.
    public init(checkpoint: Safetensors) throws(ModelError) {
        var layers = [Linear]()
        while checkpoint[Self.parameterName(layer: layers.count, bias: false)] != nil {
            let i = layers.count
            let weightName = Self.parameterName(layer: i, bias: false), biasName = Self.parameterName(layer: i, bias: true)
            let weight: Tensor<Float>, bias: Tensor<Float>
            do { weight = try checkpoint.tensor(weightName, as: Float.self) } catch { throw .checkpoint(error) }
            guard weight.rank == 2 else { throw .parameterShape(name: weightName, expected: [-1, -1], found: weight.shape) }
            do {
                bias = try checkpoint.tensor(biasName, as: Float.self, shape: [weight.shape[0]])
            } catch {
                if case .missingTensor = error { throw .missingParameter(name: biasName) }
                throw .checkpoint(error)
            }
            layers.append(try Linear(weight: weight, bias: bias))
        }
        guard !layers.isEmpty else { throw .missingParameter(name: Self.parameterName(layer: 0, bias: false)) }
        try self.init(layers: layers)
    }
}
