/// A dense n-dimensional array stored in row-major (C) order.
///
/// `Tensor` is a value type: copies share storage until one of them is
/// mutated (copy-on-write through `Array`). The element at index
/// `(i₀, i₁, …, iₙ₋₁)` lives at `scalars[Σ iₖ·strides[k]]`, where
/// `strides[k] = Π_{j>k} shape[j]` — the same layout as NumPy's C order and
/// PyTorch's contiguous tensors, so data moves between them without copies.
///
/// ```swift
/// let w = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6] as [Float])
/// w[1, 2]        // 6
/// w.strides      // [3, 1]
/// ```
public struct Tensor<Scalar> {
    /// The extent of each dimension; `[]` is a scalar (one element).
    public let shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public var scalars: [Scalar]

    /// Wraps `scalars` with `shape`.
    ///
    /// - Throws: ``TensorError/negativeDimension(shape:)`` or
    ///   ``TensorError/shapeMismatch(shape:count:)`` when the shape does not
    ///   describe exactly `scalars.count` elements.
    public init(shape: [Int], scalars: [Scalar]) throws(TensorError) {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .negativeDimension(shape: shape) }
        guard Self.elementCount(of: shape) == scalars.count else {
            throw .shapeMismatch(shape: shape, count: scalars.count)
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// A one-dimensional tensor holding `scalars`.
    public init(_ scalars: [Scalar]) {
        self.shape = [scalars.count]
        self.scalars = scalars
    }

    /// A tensor of `shape` with every element equal to `value`.
    public init(shape: [Int], repeating value: Scalar) throws(TensorError) {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .negativeDimension(shape: shape) }
        self.shape = shape
        self.scalars = Array(repeating: value, count: Self.elementCount(of: shape))
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of elements, `Π shape[k]`.
    public var count: Int { scalars.count }

    /// Row-major strides in elements: `strides[k] = Π_{j>k} shape[j]`.
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for k in shape.indices.reversed() {
            strides[k] = running
            running *= shape[k]
        }
        return strides
    }

    /// The element at a full multi-index (one coordinate per dimension).
    public subscript(index: Int...) -> Scalar {
        get { scalars[offset(of: index)] }
        set { scalars[offset(of: index)] = newValue }
    }

    /// The same elements viewed with another shape of equal element count.
    public func reshaped(to newShape: [Int]) throws(TensorError) -> Tensor {
        try Tensor(shape: newShape, scalars: scalars)
    }

    /// A tensor of the same shape whose elements are `transform` applied to ours.
    public func map<T>(_ transform: (Scalar) throws -> T) rethrows -> Tensor<T> {
        Tensor<T>(unchecked: shape, scalars: try scalars.map(transform))
    }

    /// Creates a tensor whose shape is known to match (internal fast path).
    init(unchecked shape: [Int], scalars: [Scalar]) {
        self.shape = shape
        self.scalars = scalars
    }

    private func offset(of index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) has rank \(index.count), tensor has rank \(shape.count)")
        var offset = 0
        for (k, (i, stride)) in zip(index, strides).enumerated() {
            precondition(i >= 0 && i < shape[k], "index \(i) out of range 0..<\(shape[k]) in dimension \(k)")
            offset += i * stride
        }
        return offset
    }

    static func elementCount(of shape: [Int]) -> Int {
        shape.reduce(1, *)
    }
}

extension Tensor: Sendable where Scalar: Sendable {}
extension Tensor: Equatable where Scalar: Equatable {}
extension Tensor: Hashable where Scalar: Hashable {}

extension Tensor: CustomStringConvertible {
    public var description: String {
        "Tensor<\(Scalar.self)>(shape: \(shape), \(count) elements)"
    }
}
