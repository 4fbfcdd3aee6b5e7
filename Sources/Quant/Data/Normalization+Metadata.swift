extension Normalization {
    /// The metadata keys a checkpoint records its input normalization under,
    /// so that a tool running the model (`quant predict`) feeds it inputs
    /// prepared the way it was trained: `quant.input_mean` and `quant.input_std`,
    /// decimal floats that read back to the same Float32.
    public var metadata: [String: String] {
        [MetadataKey.mean: "\(mean)", MetadataKey.standardDeviation: "\(standardDeviation)"]
    }

    /// The normalization recorded in `metadata`, or `nil` when it records none
    /// (or a non-finite or non-positive standard deviation).
    public init?(metadata: [String: String]) {
        guard let mean = metadata[MetadataKey.mean].flatMap(Float.init), mean.isFinite,
              let sd = metadata[MetadataKey.standardDeviation].flatMap(Float.init), sd.isFinite, sd > 0 else { return nil }
        self.init(mean: mean, standardDeviation: sd)
    }

    private enum MetadataKey {
        static let mean = "quant.input_mean"
        static let standardDeviation = "quant.input_std"
    }
}
