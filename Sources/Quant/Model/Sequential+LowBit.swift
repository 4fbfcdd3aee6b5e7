extension Sequential {
    /// The model with every float ``Linear`` replaced by a ``LowBitLinear``
    /// whose weights are quantized to `format` (the other layers kept): a
    /// 4-bit, 2-bit, ternary or binary copy of a float model in one call.
    ///
    /// ```swift
    /// let int4 = try fp32.lowBit(WeightFormat(.int4, groupSize: 32))
    /// try int4.checkpoint().write(to: url)   // lowbit-linear layers: U8 codes + F32 scales
    /// ```
    ///
    /// - Throws: ``ModelError/inLayer(_:_:)`` around the first layer that
    ///   cannot be quantized to `format` (see ``LowBitLinear/init(_:format:kernel:)``).
    public func lowBit(_ format: WeightFormat, kernel: Int8Kernel = .fastest) throws(ModelError) -> Sequential {
        try mapLayers { (_, layer) throws(ModelError) in
            guard let linear = layer as? Linear else { return nil }
            return try LowBitLinear(linear, format: format, kernel: kernel)
        }
    }
}
