/// A layer that can be written to and read back from a safetensors checkpoint.
///
/// A ``Sequential`` checkpoint lists its layers' ``kind``s in the metadata
/// key `quant.layers` (`"linear,relu,linear,relu,linear"`) and gives every
/// layer with tensors a name, `fc1`, `fc2`, … in order — the names a PyTorch
/// module with attributes `fc1`, `fc2`, … would use, so `fc1.weight` is the
/// same tensor in both. Loading looks each kind up among ``Sequential/layerTypes``;
/// a new layer type joins by conforming and being listed there.
public protocol CheckpointableLayer: Layer {
    /// The layer's name in `quant.layers` (`linear`, `relu`, `dynamic-int8-linear`, `integer-only-mlp`).
    static var kind: String { get }
    /// Whether the layer stores tensors (and so takes the next `fcN` name).
    static var hasTensors: Bool { get }
    /// Adds the layer's tensors, named `<name>.…`, to `file` (and any metadata it needs).
    func store(in file: inout Safetensors, name: String)
    /// The layer stored under `name` in `file`, whose input has `inputFeatures` values.
    init(from file: Safetensors, name: String, inputFeatures: Int) throws(ModelError)
}

extension CheckpointableLayer {
    public static var hasTensors: Bool { true }
}

extension Linear: CheckpointableLayer {
    public static let kind = "linear"

    /// `name.weight` F32 `[out, in]` and `name.bias` F32 `[out]`.
    public func store(in file: inout Safetensors, name: String) {
        file[name + ".weight"] = SafetensorsTensor(weightTensor)
        file[name + ".bias"] = SafetensorsTensor(biasTensor)
    }

    public init(from file: Safetensors, name: String, inputFeatures: Int) throws(ModelError) {
        let weight = try file.parameter(name + ".weight", as: Float.self, columns: inputFeatures)
        let bias = try file.parameter(name + ".bias", as: Float.self, shape: [weight.shape[0]])
        try self.init(weight: weight, bias: bias)
    }
}

extension ReLU: CheckpointableLayer {
    public static let kind = "relu"
    public static var hasTensors: Bool { false }

    /// ReLU has no tensors.
    public func store(in file: inout Safetensors, name: String) {}

    public init(from file: Safetensors, name: String, inputFeatures: Int) {
        self.init(features: inputFeatures)
    }
}

extension DynamicQuantizedLinear: CheckpointableLayer {
    public static let kind = "dynamic-int8-linear"

    /// `name.weight` I8 `[out, in]` (the codes), `name.weight_scale` F32 `[1]`
    /// or `[out]` (zero-points are 0, symmetric), `name.bias` F32 `[out]`,
    /// and the weight scheme in the metadata key `quant.<name>.weight_scheme`.
    /// A float weight takes 4 bytes and a code 1, so the file is about a
    /// quarter of the FP32 checkpoint (plus biases and scales, < 1 %).
    ///
    /// In Python: `f.get_tensor("fc1.weight").float() * f.get_tensor("fc1.weight_scale")[:, None]`
    /// (or the one scale) gives the dequantized weights.
    public func store(in file: inout Safetensors, name: String) {
        file[name + ".weight"] = SafetensorsTensor(weightCodes)
        file[name + ".weight_scale"] = SafetensorsTensor(Tensor(weights.scales))
        file[name + ".bias"] = SafetensorsTensor(Tensor(bias))
        file.metadata["quant.\(name).weight_scheme"] = weightQuantizer.scheme.pytorchName
    }

    public init(from file: Safetensors, name: String, inputFeatures: Int) throws(ModelError) {
        let codes = try file.parameter(name + ".weight", as: Int8.self, columns: inputFeatures)
        let scales = try file.parameter(name + ".weight_scale", as: Float.self)
        guard scales.rank == 1 else {
            throw .parameterShape(name: name + ".weight_scale", expected: [codes.shape[0]], found: scales.shape)
        }
        let bias = try file.parameter(name + ".bias", as: Float.self, shape: [codes.shape[0]])
        try self.init(codes: codes, scales: scales.scalars, bias: bias.scalars)
    }
}

extension Safetensors {
    /// The tensor `name` as `T`, with `shape` when given, or of rank 2 with
    /// `columns` columns; a missing tensor is ``ModelError/missingParameter(name:)``.
    func parameter<T: SafetensorsScalar>(_ name: String, as type: T.Type, shape: [Int]? = nil,
                                                     columns: Int? = nil) throws(ModelError) -> Tensor<T> {
        guard self[name] != nil else { throw .missingParameter(name: name) }
        let tensor: Tensor<T>
        do { tensor = try self.tensor(name, as: type, shape: shape) } catch { throw .checkpoint(error) }
        if let columns, tensor.rank != 2 || tensor.shape[1] != columns {
            throw .parameterShape(name: name, expected: [-1, columns], found: tensor.shape)
        }
        return tensor
    }
}
