/// A float model part that can be replaced by a quantized one: the seam
/// through which a whole model converts layer by layer (as mlx-swift's
/// `Quantizable` modules do).
///
/// A container converts by asking each of its parts; a new quantized layer
/// type plugs in by conforming its float counterpart, and a new scheme
/// (quantization-aware training's learned scales, fewer weight bits) by
/// passing another configuration — the conversion code stays the same.
///
/// ```swift
/// let model = try MLP(sizes: [784, 256, 128, 10], seed: 1)
/// let int8 = try model.quantized(.perTensor)           // QuantizedMLP
/// let fc1 = try model.layers[0].quantized(.perChannel) // DynamicQuantizedLinear
/// ```
public protocol Quantizable {
    /// The type this becomes when quantized.
    associatedtype Quantized

    /// This part with its weights quantized as `configuration` says.
    func quantized(_ configuration: DynamicQuantization) throws(QuantizedModelError) -> Quantized
}

extension Linear: Quantizable {
    /// The layer with int8 weights and run-time uint8 activations.
    public func quantized(_ configuration: DynamicQuantization) throws(QuantizedModelError) -> DynamicQuantizedLinear {
        try DynamicQuantizedLinear(self, configuration: configuration)
    }
}

extension MLP: Quantizable {
    /// The network with every ``Linear`` layer quantized (ReLUs stay float).
    public func quantized(_ configuration: DynamicQuantization) throws(QuantizedModelError) -> QuantizedMLP {
        var quantized = [DynamicQuantizedLinear]()
        for (index, layer) in layers.enumerated() {
            do {
                quantized.append(try layer.quantized(configuration))
            } catch {
                if case .kernel(let kernelError, nil) = error { throw .kernel(kernelError, layer: index) }
                throw error
            }
        }
        return try QuantizedMLP(layers: quantized)
    }
}
