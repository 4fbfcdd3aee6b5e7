/// Why a model could not be exported to ONNX.
///
/// Each case names what was wrong and where: the layer (its index in the
/// ``Sequential`` and its type) and the formats the exporter can write.
public enum ONNXExportError: Error, Equatable, Sendable {
    /// Layer `index` is of a type with no ONNX form here; `exportable` lists
    /// the checkpoint kinds that have one.
    case unsupportedLayer(index: Int, type: String, exportable: [String])
    /// The normalization to build into the graph has a standard deviation
    /// that is not a positive finite number, or a mean that is not finite.
    case invalidNormalization(mean: Float, standardDeviation: Float)
    /// SwiftProtobuf could not encode the model (`reason` is its error).
    case encoding(String)
    /// The file could not be written (`reason` says why); nothing was left at `path`.
    case write(path: String, reason: String)
}

extension ONNXExportError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unsupportedLayer(let index, let type, let exportable):
            return "layer \(index) is a \(type), which has no ONNX export; exportable layers: \(exportable.joined(separator: ", "))"
        case .invalidNormalization(let mean, let sd):
            return "input normalization mean \(mean), std \(sd): the mean must be finite and the std positive and finite"
        case .encoding(let reason):
            return "cannot encode the ONNX model (\(reason))"
        case .write(let path, let reason):
            return "\(path): cannot write the ONNX file (\(reason))"
        }
    }
}
