import Foundation
import ONNXProto
import Quant
import QuantONNX
import SwiftProtobuf
import Testing
import TestSupport

/// `quant export`, run as a user runs it: the file it writes is the
/// library's export of the checkpoint, with the checkpoint's normalization;
/// failures are one line on stderr naming the problem, and leave no file.
@Suite struct ExportCommandTests {
    static func checkpoint(_ model: Sequential, in dir: TemporaryDirectory, metadata: [String: String] = [:]) throws -> URL {
        let url = dir.url.appendingPathComponent("model.safetensors")
        try model.checkpoint(metadata: metadata).write(to: url)
        return url
    }

    @Test func exportsTheCheckpointWithItsNormalization() throws {
        let dir = try TemporaryDirectory("quant-export")
        defer { dir.remove() }
        let model = try Sequential.mlp(sizes: [6, 5, 3], seed: 3).quantized(with: DynamicQuantization.perChannel)
        let source = try Self.checkpoint(model, in: dir, metadata: ["quant.input_mean": "0.25", "quant.input_std": "0.5"])
        let onnx = dir.url.appendingPathComponent("model.onnx")
        let run = try BuiltProduct("quant").run(["export", source.path, "-o", onnx.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("wrote \(onnx.path): dynamic-int8-linear,relu,dynamic-int8-linear, opset 13, "))
        #expect(run.stdout.hasSuffix("input pixels uint8 [batch, 6], output logits float32 [batch, 3]\n"))
        let loaded = try Sequential(checkpoint: Safetensors(contentsOf: source))
        let expected = try ONNXExport(loaded, normalization: Normalization(mean: 0.25, standardDeviation: 0.5)).serializedData()
        #expect(try Data(contentsOf: onnx) == expected)
        #expect(try Onnx_ModelProto(serializedBytes: Data(contentsOf: onnx)).graph.input.map(\.name) == ["pixels"])

        // Without a recorded normalization, --mean/--std, or else a float input.
        let plain = try Self.checkpoint(Sequential.mlp(sizes: [6, 5, 3], seed: 3), in: dir)
        let given = try BuiltProduct("quant").run(["export", plain.path, "-o", onnx.path, "--mean", "0.25", "--std", "0.5"])
        #expect(given.status == 0, "\(given.stderr)")
        #expect(try Onnx_ModelProto(serializedBytes: Data(contentsOf: onnx)).graph.input.map(\.name) == ["pixels"])
        let float = try BuiltProduct("quant").run(["export", plain.path, "-o", onnx.path])
        #expect(float.status == 0, "\(float.stderr)")
        #expect(float.stdout.contains("input input float32 [batch, 6]"))
        #expect(try Onnx_ModelProto(serializedBytes: Data(contentsOf: onnx)).graph.input.map(\.name) == ["input"])
    }

    @Test func lowBitCheckpointsExportAtTheOpsetTheirCodesNeed() throws {
        let dir = try TemporaryDirectory("quant-export")
        defer { dir.remove() }
        let fp32 = try Sequential.mlp(sizes: [40, 5, 3], seed: 3)
        let formats: [(WeightFormat, Int)] = [(try WeightFormat(.int4, groupSize: 32), 21), (.ternary, 25)]
        for (format, opset) in formats {
            let source = try Self.checkpoint(fp32.lowBit(format), in: dir)
            let onnx = dir.url.appendingPathComponent("lowbit.onnx")
            let run = try BuiltProduct("quant").run(["export", source.path, "-o", onnx.path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("lowbit-linear,relu,lowbit-linear, opset \(opset), "), "\(run.stdout)")
            let model = try Onnx_ModelProto(serializedBytes: Data(contentsOf: onnx))
            #expect(model.opsetImport.map(\.version) == [Int64(opset)])
        }
    }

    @Test func failuresAreOneLineAndLeaveNoFile() throws {
        let dir = try TemporaryDirectory("quant-export")
        defer { dir.remove() }
        let source = try Self.checkpoint(Sequential.mlp(sizes: [6, 5, 3], seed: 3), in: dir)
        let quant = try BuiltProduct("quant")

        let missingFolder = dir.url.appendingPathComponent("absent/model.onnx")
        let unwritable = try quant.run(["export", source.path, "-o", missingFolder.path])
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr.hasPrefix("quant: error: \(missingFolder.path): cannot write the ONNX file ("))
        #expect(unwritable.stderr.filter { $0 == "\n" }.count == 1)

        let notAModel = dir.url.appendingPathComponent("junk.safetensors")
        try Data("not a checkpoint".utf8).write(to: notAModel)
        let junk = try quant.run(["export", notAModel.path, "-o", dir.url.appendingPathComponent("junk.onnx").path])
        #expect(junk.status == 1 && junk.stderr.hasPrefix("quant: error: "))

        var unknown = try Sequential.mlp(sizes: [6, 5, 3], seed: 3).checkpoint()
        unknown.metadata["quant.layers"] = "linear,gelu,linear"
        let unknownURL = dir.url.appendingPathComponent("gelu.safetensors")
        try unknown.write(to: unknownURL)
        let gelu = try quant.run(["export", unknownURL.path, "-o", dir.url.appendingPathComponent("gelu.onnx").path])
        #expect(gelu.status == 1 && gelu.stderr.contains("layer 1: ") && gelu.stderr.contains("gelu"), "\(gelu.stderr)")

        let halfNormalized = try quant.run(["export", source.path, "-o", dir.url.appendingPathComponent("x.onnx").path, "--mean", "0.1"])
        #expect(halfNormalized.status != 0 && halfNormalized.stderr.contains("--mean and --std must be given together"))
        #expect(try dir.files() == ["gelu.safetensors", "junk.safetensors", "model.safetensors"])
    }
}
