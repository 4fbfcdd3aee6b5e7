/// Why a model or layer could not be built, loaded or applied.
public enum ModelError: Error, Equatable, Sendable {
    /// An input was not `[rows, expectedFeatures]`.
    case inputShape(expectedFeatures: Int, shape: [Int])
    /// A parameter tensor has the wrong shape.
    case parameterShape(name: String, expected: [Int], found: [Int])
    /// Layer sizes that cannot form a network (fewer than two, or not positive).
    case invalidSizes([Int])
    /// Consecutive layers whose widths do not match.
    case layerMismatch(index: Int, outputFeatures: Int, nextInputFeatures: Int)
    /// A checkpoint lacks a tensor the model needs.
    case missingParameter(name: String)
    /// Labels and inputs of different lengths, or a label outside the classes.
    case labels(String)
    /// A checkpoint tensor has the wrong dtype or shape.
    case checkpoint(SafetensorsError)
}

extension ModelError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .inputShape(let features, let shape):
            return "the input has shape \(shape); expected [rows, \(features)]"
        case .parameterShape(let name, let expected, let found):
            return "parameter \(name) has shape \(found); expected \(expected)"
        case .invalidSizes(let sizes):
            return "layer sizes \(sizes) do not describe a network: give at least an input and an output size, all positive"
        case .layerMismatch(let index, let out, let next):
            return "layer \(index) produces \(out) features but layer \(index + 1) expects \(next)"
        case .missingParameter(let name):
            return "the checkpoint has no tensor named \(name)"
        case .labels(let detail):
            return "bad labels: \(detail)"
        case .checkpoint(let error):
            return "cannot load the model: \(error)"
        }
    }
}
