extension Sequential {
    /// A multi-layer perceptron: ``Linear`` layers of widths `sizes` (input
    /// first) with a ``ReLU`` after each but the last, ending in logits
    /// (softmax lives in the loss). Weights are He-initialised from a
    /// generator seeded with `seed`, biases zero.
    ///
    /// The notebooks' model is `mlp(sizes: [784, 256, 128, 10], seed: 1)`:
    /// 235,146 parameters.
    ///
    /// - Throws: ``ModelError/invalidSizes(_:)`` for fewer than two sizes or a size ≤ 0.
    public static func mlp(sizes: [Int], seed: UInt64) throws(ModelError) -> Sequential {
        guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 }) else { throw .invalidSizes(sizes) }
        var generator = SeededGenerator(seed: seed)
        return try mlp(zip(sizes, sizes.dropFirst()).map { Linear(inputFeatures: $0, outputFeatures: $1, using: &generator) })
    }

    /// The MLP of the given linear layers, with a ``ReLU`` between each two.
    public static func mlp(_ linears: [any Layer]) throws(ModelError) -> Sequential {
        var layers = [any Layer]()
        for (i, layer) in linears.enumerated() {
            if i > 0 { layers.append(ReLU(features: layer.inputFeatures)) }
            layers.append(layer)
        }
        return try Sequential(layers)
    }
}
