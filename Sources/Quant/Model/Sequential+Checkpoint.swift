extension Sequential {
    /// The layer types a checkpoint can hold, looked up by their ``CheckpointableLayer/kind``.
    public static let layerTypes: [any CheckpointableLayer.Type] = [Linear.self, ReLU.self, DynamicQuantizedLinear.self,
                                                                  LowBitLinear.self,
                                                                  IntegerOnlyMLP.self]

    /// The model as a safetensors file: each layer's tensors under its name
    /// (`fc1.weight`, `fc1.bias`, …; see ``CheckpointableLayer``), the layer
    /// kinds in `quant.layers`, the input width in `quant.input_features`,
    /// and the SHA-256 of the tensors in `quant.tensors_sha256`
    /// (``Safetensors/tensorsSHA256``), which loading checks.
    ///
    /// ```swift
    /// try model.checkpoint(metadata: ["note": "seed model"]).write(to: url)
    /// ```
    ///
    /// - Throws: ``ModelError/unknownLayerKind(_:known:)`` for a layer that is not a ``CheckpointableLayer``.
    public func checkpoint(metadata: [String: String] = [:]) throws(ModelError) -> Safetensors {
        var file = Safetensors(metadata: metadata)
        var kinds = [String](), named = 0
        for (index, layer) in layers.enumerated() {
            guard let layer = layer as? any CheckpointableLayer else {
                throw .inLayer(index, .unknownLayerKind(String(describing: type(of: layer)), known: Self.layerTypes.map { $0.kind }))
            }
            kinds.append(type(of: layer).kind)
            if type(of: layer).hasTensors {
                named += 1
                layer.store(in: &file, name: "fc\(named)")
            }
        }
        file.metadata[MetadataKey.layers] = kinds.joined(separator: ",")
        file.metadata[MetadataKey.inputFeatures] = String(inputFeatures)
        file.metadata[MetadataKey.tensorsSHA256] = file.tensorsSHA256
        return file
    }

    /// The model stored by ``checkpoint(metadata:)``.
    ///
    /// A file without `quant.layers` (written before the key existed) is read
    /// as an MLP: `fc1`, `fc2`, … in order with a ReLU between each two, each
    /// a float ``Linear`` or, when it has a `weight_scale`, a ``DynamicQuantizedLinear``.
    ///
    /// - Throws: ``ModelError/checksumMismatch(expected:found:)`` when the
    ///   file records a checksum its tensors no longer match (files written
    ///   before the checksum existed load unchecked).
    public init(checkpoint file: Safetensors) throws(ModelError) {
        let kinds: [String], inputFeatures: Int
        if let listed = file.metadata[MetadataKey.layers] {
            kinds = listed.split(separator: ",").map(String.init)
            guard let width = file.metadata[MetadataKey.inputFeatures].flatMap(Int.init), width > 0 else {
                throw .missingParameter(name: MetadataKey.inputFeatures)
            }
            inputFeatures = width
        } else {
            (kinds, inputFeatures) = try Self.mlpLayout(of: file)
        }
        var layers = [any Layer](), named = 0
        for (index, kind) in kinds.enumerated() {
            guard let type = Self.layerTypes.first(where: { $0.kind == kind }) else {
                throw .inLayer(index, .unknownLayerKind(kind, known: Self.layerTypes.map { $0.kind }))
            }
            if type.hasTensors { named += 1 }
            do {
                layers.append(try type.init(from: file, name: "fc\(named)", inputFeatures: layers.last?.outputFeatures ?? inputFeatures))
            } catch {
                throw error.located(at: index)
            }
        }
        // Checked after the layers are read, so that a missing or misshapen
        // tensor gets its own, more precise message.
        if let recorded = file.metadata[MetadataKey.tensorsSHA256] {
            let actual = file.tensorsSHA256
            guard actual == recorded else { throw .checksumMismatch(expected: recorded, found: actual) }
        }
        try self.init(layers)
    }

    /// The layer kinds and input width of a checkpoint without `quant.layers`.
    private static func mlpLayout(of file: Safetensors) throws(ModelError) -> (kinds: [String], inputFeatures: Int) {
        var linears = [String]()
        while file["fc\(linears.count + 1).weight"] != nil {
            linears.append(file["fc\(linears.count + 1).weight_scale"] == nil ? Linear.kind : DynamicQuantizedLinear.kind)
        }
        guard let first = file["fc1.weight"] else { throw .missingParameter(name: "fc1.weight") }
        guard first.shape.count == 2 else { throw .parameterShape(name: "fc1.weight", expected: [-1, -1], found: first.shape) }
        return (Array(linears.map { [ReLU.kind, $0] }.joined().dropFirst()), first.shape[1])
    }

    private enum MetadataKey {
        static let layers = "quant.layers"
        static let inputFeatures = "quant.input_features"
        static let tensorsSHA256 = "quant.tensors_sha256"
    }
}
