import ArgumentParser
import Foundation
import Quant
import QuantONNX

/// `quant export MODEL.safetensors -o model.onnx`: any saved model — FP32,
/// dynamic int8, integer-only int8 or low-bit weights (int4, int2, ternary,
/// binary) — as an ONNX file for ONNX Runtime.
///
/// ```
/// $ quant export mini3-mnist-static-w8a8.safetensors -o w8a8.onnx
/// wrote w8a8.onnx: integer-only-mlp, opset 13, 244640 bytes; input pixels uint8 [batch, 784], output logits float32 [batch, 10]
/// ```
///
/// The input normalization the checkpoint records (`quant.input_mean`,
/// `quant.input_std`), or `--mean`/`--std`, goes into the graph, whose
/// input is then the raw uint8 pixels; without either the input is the
/// normalized float32 features. The file is written atomically.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a saved model as an ONNX file (FP32, dynamic int8, integer-only int8, low-bit weights).",
        discussion: """
        FP32 layers become Gemm and Relu; dynamic int8 layers DynamicQuantizeLinear, MatMulInteger, \
        Cast, Mul and Add; integer-only models QuantizeLinear/DequantizeLinear (QDQ) around Gemm, \
        Relu or Clip, with the checkpoint's int8 weights and int32 biases (opset 13). Low-bit \
        layers quantize their input with DynamicQuantizeLinear and DequantizeLinear, as Quant \
        does, and dequantize the packed weights with a blocked DequantizeLinear (block = the \
        group, or the row) before MatMul and Add: INT4 at opset 21; int2, ternary and binary \
        codes as INT2 at opset 25.
        """
    )

    @Argument(help: "The model: a safetensors checkpoint written by Quant.")
    var model: String

    @Option(name: .shortAndLong, help: "The ONNX file to write.")
    var output: String

    @Option(parsing: .unconditional, help: "The training pixels' mean of p/255, for a checkpoint that records none.")
    var mean: Float?

    @Option(parsing: .unconditional, help: "The training pixels' standard deviation of p/255, for a checkpoint that records none.")
    var std: Float?

    func validate() throws {
        if URL(fileURLWithPath: output).standardizedFileURL.path == URL(fileURLWithPath: model).standardizedFileURL.path {
            throw ValidationError("-o \(output) is the model itself; choose another output file")
        }
        guard (mean == nil) == (std == nil) else { throw ValidationError("--mean and --std must be given together") }
        if let std, !(std.isFinite && std > 0) { throw ValidationError("--std must be a positive number, got \(std)") }
        if let mean, !mean.isFinite { throw ValidationError("--mean must be a finite number, got \(mean)") }
    }

    func run() throws {
        try reportingErrors {
            let file = try Safetensors(contentsOf: URL(fileURLWithPath: model))
            let network = try Sequential(checkpoint: file)
            let normalization = Normalization(metadata: file.metadata)
                ?? mean.flatMap { m in std.map { Normalization(mean: m, standardDeviation: $0) } }
            let export = try ONNXExport(network, normalization: normalization)
            let url = URL(fileURLWithPath: output)
            try export.write(to: url)
            let graph = export.model.graph
            let size = try export.serializedData().count
            let layers = export.model.metadataProps.first { $0.key == "quant.layers" }?.value ?? ""
            print("wrote \(output): \(layers), opset \(export.model.opsetImport[0].version), \(size) bytes; "
                  + "input \(graph.input[0].name) \(normalization == nil ? "float32" : "uint8") [batch, \(network.inputFeatures)], "
                  + "output logits float32 [batch, \(network.outputFeatures)]")
        }
    }
}
