/// A set of named tensors in the safetensors format (Hugging Face): an
/// 8-byte little-endian header length `N`, `N` bytes of JSON
/// `{"__metadata__": {…}, "name": {"dtype": "F32", "shape": […], "data_offsets": [begin, end]}, …}`
/// padded with spaces to a multiple of 8, then the tensors' little-endian
/// bytes back to back.
///
/// Quant writes exactly the bytes the Python `safetensors` package writes
/// for the same tensors (same key order, padding and data order), so
/// checkpoints open in Python with `safetensors.numpy.load_file` or
/// `safetensors.torch.load_file`, and every file says `"format": "pt"` in
/// its `__metadata__` (see `serialized()`). Reading checks every offset,
/// dtype and shape; taking a tensor checks its dtype (and shape, if given).
///
/// ```swift
/// var file = Safetensors(metadata: ["note": "seed model"])
/// file["fc1.weight"] = SafetensorsTensor(weight)            // a Tensor<Float>
/// try file.write(to: url)                                     // atomic
/// let w = try Safetensors(contentsOf: url).tensor("fc1.weight", as: Float.self, shape: [256, 784])
/// ```
public struct Safetensors: Sendable, Equatable {
    /// Free-form string pairs stored under `__metadata__`.
    public var metadata: [String: String]
    /// The tensors by name.
    public var tensors: [String: SafetensorsTensor]

    public init(metadata: [String: String] = [:], tensors: [String: SafetensorsTensor] = [:]) {
        self.metadata = metadata
        self.tensors = tensors
    }

    /// The tensor named `name`, or `nil`; setting `nil` removes it.
    public subscript(name: String) -> SafetensorsTensor? {
        get { tensors[name] }
        set { tensors[name] = newValue }
    }

    /// The tensor `name` as a `Tensor<Scalar>`, checking its dtype and, when
    /// `shape` is given, its shape.
    public func tensor<Scalar: SafetensorsScalar>(_ name: String, as type: Scalar.Type = Scalar.self,
                                                  shape: [Int]? = nil) throws(SafetensorsError) -> Tensor<Scalar> {
        guard let entry = tensors[name] else { throw .missingTensor(name: name, available: tensors.keys.sorted()) }
        guard entry.dtype == Scalar.safetensorsDType else {
            throw .dtypeMismatch(name: name, expected: Scalar.safetensorsDType, found: entry.dtype)
        }
        if let shape, shape != entry.shape { throw .shapeMismatch(name: name, expected: shape, found: entry.shape) }
        let count = entry.shape.reduce(1, *)
        let scalars = entry.bytes.withUnsafeBytes { raw in
            (0..<count).map { Scalar.readLittleEndian(raw, at: $0 * entry.dtype.byteCount) }
        }
        return Tensor(unchecked: entry.shape, scalars: scalars)
    }
}

/// One tensor of a safetensors file: dtype, shape and little-endian bytes.
public struct SafetensorsTensor: Sendable, Equatable {
    public let dtype: SafetensorsDType
    public let shape: [Int]
    /// The elements' bytes, little-endian, row-major; `Π shape × dtype.byteCount` of them.
    public let bytes: [UInt8]

    /// The tensor's elements encoded little-endian.
    public init<Scalar: SafetensorsScalar>(_ tensor: Tensor<Scalar>) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(tensor.count * Scalar.safetensorsDType.byteCount)
        for x in tensor.scalars { x.appendLittleEndian(to: &bytes) }
        self.init(unchecked: Scalar.safetensorsDType, shape: tensor.shape, bytes: bytes)
    }

    init(unchecked dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }
}
