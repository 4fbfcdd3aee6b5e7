/// Why a tensor could not be built or reshaped.
public enum TensorError: Error, Equatable, Sendable {
    /// A dimension was negative.
    case negativeDimension(shape: [Int])
    /// The shape describes `shape.product` elements, but `count` were given.
    case shapeMismatch(shape: [Int], count: Int)
}

extension TensorError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .negativeDimension(let shape):
            return "shape \(shape) has a negative dimension"
        case .shapeMismatch(let shape, let count):
            return "shape \(shape) holds \(shape.reduce(1, *)) elements, but \(count) were given"
        }
    }
}
