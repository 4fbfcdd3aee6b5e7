/// A network as a list of layers applied one after another: the one model
/// container of the library.
///
/// The float model, the dynamically quantized model and every later
/// variant (fake-quantized for QAT, integer-only, packed low-bit) are all a
/// `Sequential` of different ``Layer``s, so they share one workspace, one
/// evaluation path (``predictions(for:batchSize:)``), one checkpoint format
/// (``checkpoint(metadata:)``) and one training loop (``Trainer``, for
/// models whose layers are all ``TrainableLayer``s). Converting a model is
/// replacing some of its layers: ``quantized(with:calibration:batchSize:where:)``.
///
/// ```swift
/// let model = try Sequential.mlp(sizes: [784, 256, 128, 10], seed: 1)   // Linear, ReLU, Linear, ReLU, Linear
/// model.parameterCount                                                   // 235146
/// let int8 = try model.quantized(with: DynamicQuantization.perChannel)  // DynamicQuantizedLinear, ReLU, …
/// let accuracy = try int8.accuracy(on: data.test)
/// ```
public struct Sequential: Sendable {
    /// The layers, input side first.
    public internal(set) var layers: [any Layer]

    /// A model of `layers`; each layer's output width must be the next one's input width.
    ///
    /// - Throws: ``ModelError/noLayers`` or ``ModelError/layerMismatch(index:outputFeatures:nextInputFeatures:)``.
    public init(_ layers: [any Layer]) throws(ModelError) {
        guard !layers.isEmpty else { throw .noLayers }
        for i in 0..<(layers.count - 1) where layers[i].outputFeatures != layers[i + 1].inputFeatures {
            throw .layerMismatch(index: i, outputFeatures: layers[i].outputFeatures, nextInputFeatures: layers[i + 1].inputFeatures)
        }
        self.layers = layers
    }

    /// The number of inputs per example.
    public var inputFeatures: Int { layers[0].inputFeatures }
    /// The number of outputs per example (the classes, for a classifier).
    public var outputFeatures: Int { layers[layers.count - 1].outputFeatures }
    /// The width of every buffer, input first: `[784, 256, 256, 128, 128, 10]` for the seed MLP
    /// (each ReLU repeats its input width).
    public var widths: [Int] { [inputFeatures] + layers.map(\.outputFeatures) }
    /// The number of stored parameters over all layers.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// The layers of type `L`, in order: `model.layers(of: Linear.self)`.
    public func layers<L: Layer>(of type: L.Type) -> [L] {
        layers.compactMap { $0 as? L }
    }

    /// The model with each layer replaced by `transform`'s result, or kept
    /// where it returns `nil`; an error names the layer.
    public func mapLayers(_ transform: (_ index: Int, _ layer: any Layer) throws(ModelError) -> (any Layer)?)
        throws(ModelError) -> Sequential {
        var result = [any Layer]()
        result.reserveCapacity(layers.count)
        for (index, layer) in layers.enumerated() {
            do { result.append(try transform(index, layer) ?? layer) } catch { throw error.located(at: index) }
        }
        return try Sequential(result)
    }

    /// Runs `rows` examples at `input` through every layer; the output ends
    /// in `workspace.output`. `observe`, when given, sees each layer's input
    /// before the layer runs (the hook calibration uses).
    ///
    /// Without `observe`, a ``DynamicQuantizedLinear`` followed by a
    /// ``ReLU`` runs as one step: the kernel applies the ReLU as it stores
    /// the product, straight into the ReLU's buffer (the same floats, one
    /// pass over the activations fewer).
    func forward(_ input: UnsafePointer<Float>, rows: Int, workspace: SequentialWorkspace,
                 observe: ((_ layer: Int, _ input: UnsafeBufferPointer<Float>) throws(ModelError) -> Void)? = nil)
        throws(ModelError) {
        var x = input
        var i = 0
        while i < layers.count {
            let layer = layers[i]
            if let observe { try observe(i, UnsafeBufferPointer(start: x, count: rows * layer.inputFeatures)) }
            if observe == nil, let linear = layer as? DynamicQuantizedLinear, i + 1 < layers.count, layers[i + 1] is ReLU {
                let y = workspace.activations[i + 1]
                do {
                    try linear.forward(x, into: y, rows: rows, scratch: &workspace.scratch, applyingReLU: true)
                } catch {
                    throw error.located(at: i)
                }
                x = UnsafePointer(y)
                i += 2
                continue
            }
            let y = workspace.activations[i]
            do { try layer.forward(x, into: y, rows: rows, scratch: &workspace.scratch) } catch { throw error.located(at: i) }
            x = UnsafePointer(y)
            i += 1
        }
    }
}

extension ModelError {
    /// The error attributed to layer `index`, unless it already names one.
    func located(at index: Int) -> ModelError {
        if case .inLayer = self { return self }
        return .inLayer(index, self)
    }
}
