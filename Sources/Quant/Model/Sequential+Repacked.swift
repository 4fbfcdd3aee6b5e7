extension Sequential {
    /// The same model with every ``DynamicQuantizedLinear``, ``LowBitLinear``
    /// and ``IntegerOnlyMLP`` repacked for `kernel` (same codes, same results):
    /// how tests and notebooks compare the fast kernels with the readable reference.
    public func repacked(for kernel: Int8Kernel) throws(ModelError) -> Sequential {
        try mapLayers { (_, layer) throws(ModelError) in
            if let mlp = layer as? IntegerOnlyMLP { return try mlp.repacked(for: kernel) }
            if let lowBit = layer as? LowBitLinear { return try lowBit.repacked(for: kernel) }
            return try (layer as? DynamicQuantizedLinear)?.repacked(for: kernel)
        }
    }
}
