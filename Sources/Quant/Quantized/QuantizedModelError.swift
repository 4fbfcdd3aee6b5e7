/// Why a float model could not be quantized, or a quantized model run, saved or loaded.
public enum QuantizedModelError: Error, Equatable, Sendable {
    /// Weight bits outside 2…8 (the codes must fit int8).
    case weightBits(Int)
    /// The weight quantizer is not signed and symmetric (zero-point 0) with
    /// codes inside int8, which the int8 kernels require.
    case unsupportedWeightScheme(String)
    /// The weight quantizer has a number of scales that is neither 1 nor one per output.
    case weightScaleCount(expected: Int, actual: Int)
    /// A parameter has the wrong shape.
    case parameterShape(name: String, expected: [Int], found: [Int])
    /// An input was not `[rows, expectedFeatures]`.
    case inputShape(expectedFeatures: Int, shape: [Int])
    /// Consecutive layers whose widths do not match.
    case layerMismatch(index: Int, outputFeatures: Int, nextInputFeatures: Int)
    /// A model needs at least one layer.
    case noLayers
    /// Quantizing the weights failed.
    case quantization(QuantError)
    /// An int8 kernel refused its input (in layer `layer`, counted from 0, when known).
    case kernel(Int8KernelError, layer: Int?)
    /// A quantized checkpoint lacks a tensor or holds one of the wrong dtype or shape.
    case checkpoint(SafetensorsError)
}

extension QuantizedModelError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .weightBits(let bits):
            return "weight bits = \(bits); dynamic quantization stores weight codes as int8, so use 2…8 bits"
        case .unsupportedWeightScheme(let scheme):
            return "the weight scheme is \(scheme); the int8 kernels need signed symmetric codes (zero-point 0) of at most 8 bits"
        case .weightScaleCount(let expected, let actual):
            return "the weight quantizer has \(actual) scales; give 1 (per tensor) or \(expected) (one per output channel)"
        case .parameterShape(let name, let expected, let found):
            return "\(name) has shape \(found); expected \(expected)"
        case .inputShape(let features, let shape):
            return "the input has shape \(shape); expected [rows, \(features)]"
        case .layerMismatch(let index, let out, let next):
            return "layer \(index) produces \(out) features but layer \(index + 1) expects \(next)"
        case .noLayers:
            return "a quantized model needs at least one layer"
        case .quantization(let error):
            return "cannot quantize the weights: \(error)"
        case .kernel(let error, let layer):
            return (layer.map { "layer \($0): " } ?? "") + "\(error)"
        case .checkpoint(let error):
            return "cannot load the quantized model: \(error)"
        }
    }
}
