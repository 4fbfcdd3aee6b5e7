/// Why a model or layer could not be built, converted, trained, loaded or run.
///
/// One error type for the float and the quantized models alike, since both
/// are a ``Sequential`` of layers; an error inside a model names the layer
/// (``inLayer(_:_:)``).
public enum ModelError: Error, Equatable, Sendable {
    /// An input was not `[rows, expectedFeatures]`.
    case inputShape(expectedFeatures: Int, shape: [Int])
    /// A batch of more rows than a ``Predictor`` was made for.
    case batchTooLarge(rows: Int, maxRows: Int)
    /// A parameter tensor has the wrong shape.
    case parameterShape(name: String, expected: [Int], found: [Int])
    /// Layer sizes that cannot form a network (fewer than two, or not positive).
    case invalidSizes([Int])
    /// A model needs at least one layer.
    case noLayers
    /// Consecutive layers whose widths do not match.
    case layerMismatch(index: Int, outputFeatures: Int, nextInputFeatures: Int)
    /// A checkpoint lacks a tensor the model needs.
    case missingParameter(name: String)
    /// A checkpoint names a layer kind this build does not know.
    case unknownLayerKind(String, known: [String])
    /// Labels and inputs of different lengths, or a label outside the classes.
    case labels(String)
    /// A checkpoint tensor has the wrong dtype or shape.
    case checkpoint(SafetensorsError)
    /// Training needs every layer to have a backward pass; this one has none.
    case notTrainable(type: String)
    /// Weight bits outside what a recipe supports.
    case weightBits(Int, supported: ClosedRange<Int>)
    /// The weight quantizer is not one the layer's kernels can use.
    case unsupportedWeightScheme(String)
    /// The weight quantizer has a number of scales that is neither 1 nor one per output.
    case weightScaleCount(expected: Int, actual: Int)
    /// A recipe calibrates on data, and none was given.
    case calibrationDataRequired
    /// A calibrator was asked for a range before it saw any value (no
    /// calibration batches, or batches of 0 rows).
    case calibrationEmpty
    /// A calibration input is NaN or ±infinity (the first one seen).
    case calibrationNonFinite(Float)
    /// Every calibration input is 0, so there is no range to fit a grid to
    /// (the layer's inputs are dead on the calibration data).
    case calibrationAllZero
    /// A calibration method's parameter outside its domain.
    case calibrationParameter(String)
    /// A layer that integer-only conversion cannot take where it stands
    /// (`expected` says what it takes there).
    case unexpectedLayer(type: String, expected: String)
    /// A fake-quantized layer whose input is float (no input quantizer, or a
    /// disabled one): integer-only inference needs every input on a fixed grid.
    case floatInput
    /// An input quantizer that still observes its range, so its grid is not fixed yet.
    case observingInput
    /// Integer-only stage `index` writes codes that are not on stage
    /// `index + 1`'s input grid: another zero-point, or a clamp reaching past
    /// its `2ᵇ − 1`.
    case stageGridMismatch(index: Int, outputZeroPoint: Int32, outputRange: ClosedRange<UInt8>,
                           nextInputZeroPoint: Int32, nextInputBits: Int)
    /// Activation bits outside what a conversion supports.
    case activationBits(Int, supported: ClosedRange<Int>)
    /// A checkpoint's tensors do not match the SHA-256 recorded when it was
    /// written: the file was changed or damaged since.
    case checksumMismatch(expected: String, found: String)
    /// Quantizing the weights failed.
    case quantization(QuantError)
    /// An integer kernel refused its input.
    case kernel(Int8KernelError)
    /// GPTQ refused its settings, the weights or the Hessian.
    case gptq(GPTQError)
    /// The error happened in layer `index` (counted from 0) of a model.
    indirect case inLayer(Int, ModelError)
}

extension ModelError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .inputShape(let features, let shape):
            return "the input has shape \(shape); expected [rows, \(features)]"
        case .batchTooLarge(let rows, let maxRows):
            return "a batch of \(rows) rows; this predictor was made for at most \(maxRows)"
        case .parameterShape(let name, let expected, let found):
            return "parameter \(name) has shape \(found); expected \(expected)"
        case .invalidSizes(let sizes):
            return "layer sizes \(sizes) do not describe a network: give at least an input and an output size, all positive"
        case .noLayers:
            return "a model needs at least one layer"
        case .layerMismatch(let index, let out, let next):
            return "layer \(index) produces \(out) features but layer \(index + 1) expects \(next)"
        case .missingParameter(let name):
            return "the checkpoint has no tensor named \(name)"
        case .unknownLayerKind(let kind, let known):
            return "the checkpoint has a layer of kind \"\(kind)\"; this build knows \(known.joined(separator: ", "))"
        case .labels(let detail):
            return "bad labels: \(detail)"
        case .checkpoint(let error):
            return "cannot load the model: \(error)"
        case .checksumMismatch(let expected, let found):
            return "the file's tensors were changed or damaged after it was written: their SHA-256 is \(found.prefix(16))…, "
                + "the file recorded \(expected.prefix(16))…"
        case .notTrainable(let type):
            return "\(type) has no backward pass, so a model containing it cannot be trained"
        case .weightBits(let bits, let supported):
            return "weight bits = \(bits); use \(supported.lowerBound)…\(supported.upperBound)"
        case .unsupportedWeightScheme(let scheme):
            return "the weight scheme is \(scheme); the int8 kernels need signed symmetric codes (zero-point 0) of at most 8 bits, per tensor or per output channel"
        case .weightScaleCount(let expected, let actual):
            return "the weight quantizer has \(actual) scales; give 1 (per tensor) or \(expected) (one per output channel)"
        case .calibrationDataRequired:
            return "this recipe calibrates activation ranges: pass calibration data"
        case .calibrationEmpty:
            return "the calibrator saw no values: pass calibration data with at least one example"
        case .calibrationNonFinite(let value):
            return "a calibration input is \(value): the float model produces non-finite activations on the calibration data"
        case .calibrationAllZero:
            return "every calibration input is 0, so there is no range to calibrate: use calibration data that activates the layer"
        case .calibrationParameter(let detail):
            return "bad calibration setting: \(detail)"
        case .unexpectedLayer(let type, let expected):
            return "found \(type); integer-only conversion expects \(expected) here"
        case .floatInput:
            return "the layer's input is not fake-quantized (no input quantizer, or a disabled one); integer-only inference needs a fixed input grid: quantize with StaticQuantization, or QAT with activation bits"
        case .observingInput:
            return "the layer's input quantizer is still observing its range; freeze it (isObserving = false, or freezeObserverAfterEpoch) before converting"
        case .stageGridMismatch(let index, let z, let range, let nextZ, let nextBits):
            return "integer stage \(index) writes codes \(range.lowerBound)…\(range.upperBound) with zero-point \(z), but stage \(index + 1) reads \(nextBits)-bit codes with zero-point \(nextZ)"
        case .activationBits(let bits, let supported):
            return "activation bits = \(bits); use \(supported.lowerBound)…\(supported.upperBound)"
        case .quantization(let error):
            return "cannot quantize the weights: \(error)"
        case .kernel(let error):
            return "\(error)"
        case .gptq(let error):
            return "GPTQ: \(error)"
        case .inLayer(let index, let error):
            return "layer \(index): \(error)"
        }
    }
}
