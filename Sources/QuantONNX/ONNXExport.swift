import Foundation
import ONNXProto
import Quant
import SwiftProtobuf

/// A ``Sequential`` model as an ONNX model: one graph of standard operators
/// that ONNX Runtime (or any runtime of the opset) runs without Quant.
///
/// | layer | ONNX operators |
/// |---|---|
/// | ``Linear`` | `Gemm` (FP32 weights) |
/// | ``ReLU`` | `Relu` |
/// | ``DynamicQuantizedLinear`` | `DynamicQuantizeLinear`, `MatMulInteger`, `Cast`, `Mul`, `Add` |
/// | ``IntegerOnlyMLP`` | `QuantizeLinear`/`DequantizeLinear` (QDQ) around `Gemm`, `Relu` or `Clip` |
/// | ``LowBitLinear`` | `DynamicQuantizeLinear`, `DequantizeLinear` (activations; blocked `INT4`/`INT2` weights), `MatMul`, `Add` |
///
/// The graph's input is `pixels`, uint8 `[batch, features]`, normalized in
/// the graph as Quant does, `x = (p/255 − mean)/std` (`Cast`, `Div`, `Sub`,
/// `Div`, the same float32 operations in the same order), when a
/// normalization is given; without one the input is `input`, float32
/// `[batch, features]`, already normalized. The output is `logits`, float32
/// `[batch, classes]`. The batch dimension is symbolic.
///
/// The model records the layer kinds in the metadata property `quant.layers`
/// (as the checkpoint does) and the normalization in `quant.input_mean`,
/// `quant.input_std`. The opset is 13 (IR version 7), 21 (IR 10) with int4
/// weights, 25 (IR 13) with 2-bit, ternary or binary ones. Serializing is
/// deterministic: the same model gives the same bytes.
///
/// ```swift
/// let model = try Sequential(checkpoint: Safetensors(contentsOf: url))
/// let export = try ONNXExport(model, normalization: Normalization(mean: 0.1307, standardDeviation: 0.3081))
/// try export.write(to: URL(fileURLWithPath: "model.onnx"))
/// ```
public struct ONNXExport: Sendable {
    /// The ONNX model, ready to serialize or inspect.
    public let model: Onnx_ModelProto

    /// The layer types the exporter knows, looked up by type.
    static let layerTypes: [any ONNXExportableLayer.Type] = [Linear.self, ReLU.self, DynamicQuantizedLinear.self, IntegerOnlyMLP.self,
                                                            LowBitLinear.self]

    /// The export of `sequential`, with `normalization` built into the graph when given.
    ///
    /// - Throws: ``ONNXExportError/unsupportedLayer(index:type:exportable:)``
    ///   for a layer with no ONNX form (a fake-quantized training layer, for
    ///   instance), ``ONNXExportError/invalidNormalization(mean:standardDeviation:)``
    ///   for a normalization that would divide by zero or NaN.
    public init(_ sequential: Sequential, normalization: Normalization? = nil) throws(ONNXExportError) {
        var graph = ONNXGraph()
        var value: String, input: Onnx_ValueInfoProto
        if let normalization {
            let (mean, sd) = (normalization.mean, normalization.standardDeviation)
            guard mean.isFinite, sd.isFinite, sd > 0 else { throw .invalidNormalization(mean: mean, standardDeviation: sd) }
            input = ONNXGraph.valueInfo("pixels", type: .uint8, features: sequential.inputFeatures)
            value = Self.normalize("pixels", mean: mean, standardDeviation: sd, in: &graph)
        } else {
            input = ONNXGraph.valueInfo("input", type: .float, features: sequential.inputFeatures)
            value = "input"
        }
        var kinds = [String](), name = LayerName(number: 1)
        for (index, layer) in sequential.layers.enumerated() {
            guard let exportable = layer as? any ONNXExportableLayer else {
                throw .unsupportedLayer(index: index, type: String(describing: type(of: layer)),
                                        exportable: Self.layerTypes.map { $0.kind })
            }
            value = try exportable.appendONNX(to: &graph, input: value, name: name)
            name = name.advanced(by: exportable.nameCount)
            kinds.append(type(of: exportable).kind)
        }
        graph.node("Identity", [value], output: "logits")

        var body = Onnx_GraphProto()
        body.name = "quant"
        body.node = graph.nodes
        body.initializer = graph.initializers
        body.input = [input]
        body.output = [ONNXGraph.valueInfo("logits", type: .float, features: sequential.outputFeatures)]

        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = graph.opset
        var model = Onnx_ModelProto()
        model.irVersion = Self.irVersion(opset: graph.opset)
        model.producerName = "quant"
        model.opsetImport = [opset]
        model.graph = body
        model.metadataProps = [Self.property("quant.layers", kinds.joined(separator: ","))]
        if let normalization {
            model.metadataProps += [Self.property("quant.input_mean", "\(normalization.mean)"),
                                    Self.property("quant.input_std", "\(normalization.standardDeviation)")]
        }
        self.model = model
    }

    /// The model's protobuf bytes, the `.onnx` file's contents.
    ///
    /// SwiftProtobuf writes fields in field-number order and repeated fields
    /// in their order, and the model has no map fields, so the bytes depend
    /// on the model only.
    ///
    /// - Throws: ``ONNXExportError/encoding(_:)`` if SwiftProtobuf refuses the message.
    public func serializedData() throws(ONNXExportError) -> Data {
        do { return try model.serializedBytes() } catch { throw .encoding("\(error)") }
    }

    /// Writes the `.onnx` file atomically (a temporary file renamed into
    /// place), so a failed write leaves no partial file at `url`.
    ///
    /// - Throws: ``ONNXExportError/write(path:reason:)``, or ``ONNXExportError/encoding(_:)``.
    public func write(to url: URL) throws(ONNXExportError) {
        let bytes = try serializedData()
        do {
            try bytes.write(to: url, options: .atomic)
        } catch {
            throw .write(path: url.path, reason: NPYArray.reasonForDisplay(error))
        }
    }

    /// `(Float(p)/255 − mean)/std` as `Cast`, `Div`, `Sub`, `Div` (Quant's
    /// ``Normalization/apply(_:)``, in the same float32 operations).
    private static func normalize(_ pixels: String, mean: Float, standardDeviation: Float, in graph: inout ONNXGraph) -> String {
        let float = graph.node("Cast", [pixels], output: "pixels_float",
                               attributes: [ONNXGraph.attribute("to", Int64(Onnx_TensorProto.DataType.float.rawValue))])
        let unit = graph.node("Div", [float, graph.scalar("pixel_max", Float(255))], output: "pixels_unit")
        let centred = graph.node("Sub", [unit, graph.scalar("input_mean", mean)], output: "pixels_centred")
        return graph.node("Div", [centred, graph.scalar("input_std", standardDeviation)], output: "normalized")
    }

    /// The oldest IR version that carries `opset` (onnx's `VERSION_TABLE`):
    /// IR 7 for opset 13, IR 10 for opset 21 (`INT4`), IR 13 for opset 25 (`INT2`).
    static func irVersion(opset: Int64) -> Int64 {
        opset >= 25 ? 13 : opset >= 21 ? 10 : 7
    }

    private static func property(_ key: String, _ value: String) -> Onnx_StringStringEntryProto {
        var entry = Onnx_StringStringEntryProto()
        entry.key = key
        entry.value = value
        return entry
    }
}
