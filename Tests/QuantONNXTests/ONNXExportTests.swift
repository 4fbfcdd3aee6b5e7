import Foundation
import ONNXProto
import Quant
@testable import QuantONNX
import SwiftProtobuf
import Testing
import TestSupport

/// ``ONNXExport``: each layer kind's graph read back with SwiftProtobuf
/// (operators in order, initializers' names, dtypes, shapes and values,
/// opset), deterministic bytes, errors that name the layer, atomic files.
/// That ONNX Runtime computes what Quant computes is checked outside the
/// tests, by Scripts/check_onnx_export.py (ONNX Runtime is not a dependency).
@Suite struct ONNXExportTests {
    static let normalization = Normalization(mean: 0.1307, standardDeviation: 0.3081)

    /// A random `6 → 5 → 3` MLP (He initialisation; the tests read its graph, not its accuracy).
    static func mlp() throws -> Sequential {
        try Sequential.mlp(sizes: [6, 5, 3], seed: 3)
    }

    /// `count` random inputs of width 6, for calibration.
    static func data(count: Int) throws -> ImageDataset {
        var g = SeededGenerator(seed: 5)
        let images = Distribution.normal(mean: 0, standardDeviation: 1).samples(count * 6, using: &g)
        return try ImageDataset(images: images, labels: (0..<count).map { Int32($0 % 3) }, imageRows: 2, imageColumns: 3, classCount: 3)
    }

    /// The model parsed back from its serialized bytes.
    static func roundTrip(_ export: ONNXExport) throws -> Onnx_ModelProto {
        try Onnx_ModelProto(serializedBytes: export.serializedData())
    }

    static func initializer(_ model: Onnx_ModelProto, _ name: String) throws -> Onnx_TensorProto {
        try #require(model.graph.initializer.first { $0.name == name }, "no initializer \(name)")
    }

    /// A tensor's raw little-endian bytes as `T`s.
    static func values<T>(_ tensor: Onnx_TensorProto, as type: T.Type) -> [T] {
        tensor.rawData.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }

    static func dataType(_ type: Onnx_TensorProto.DataType) -> Int32 { Int32(type.rawValue) }

    @Test func float32GraphIsGemmAndReluAfterTheNormalization() throws {
        let fp32 = try Self.mlp()
        let model = try Self.roundTrip(ONNXExport(fp32, normalization: Self.normalization))
        #expect(model.graph.node.map(\.opType) == ["Cast", "Div", "Sub", "Div", "Gemm", "Relu", "Gemm", "Identity"])
        #expect(model.opsetImport.map(\.domain) == [""] && model.opsetImport.map(\.version) == [13])
        #expect(model.irVersion == 7 && model.producerName == "quant")
        let input = try #require(model.graph.input.first)
        #expect(input.name == "pixels" && input.type.tensorType.elemType == Self.dataType(.uint8))
        #expect(input.type.tensorType.shape.dim.map(\.dimParam) == ["batch", ""])
        #expect(input.type.tensorType.shape.dim.map(\.dimValue) == [0, 6])
        #expect(model.graph.output.map(\.name) == ["logits"])
        #expect(model.graph.output[0].type.tensorType.shape.dim.map(\.dimValue) == [0, 3])

        let linears = fp32.layers(of: Linear.self)
        for (k, linear) in linears.enumerated() {
            let weight = try Self.initializer(model, "fc\(k + 1).weight")
            #expect(weight.dataType == Self.dataType(.float) && weight.dims == linear.weightTensor.shape.map(Int64.init))
            #expect(Self.values(weight, as: Float.self) == linear.weightTensor.scalars)
            #expect(Self.values(try Self.initializer(model, "fc\(k + 1).bias"), as: Float.self) == linear.bias)
        }
        let gemm = try #require(model.graph.node.first { $0.opType == "Gemm" })
        #expect(gemm.input == ["normalized", "fc1.weight", "fc1.bias"])
        #expect(gemm.attribute.map(\.name) == ["transB"] && gemm.attribute.map(\.i) == [1])
        #expect(Self.values(try Self.initializer(model, "input_std"), as: Float.self) == [0.3081])
        #expect(model.metadataProps.map(\.key) == ["quant.layers", "quant.input_mean", "quant.input_std"])
        #expect(model.metadataProps[0].value == "linear,relu,linear")
    }

    @Test func withoutNormalizationTheInputIsFloat() throws {
        let model = try Self.roundTrip(ONNXExport(Self.mlp()))
        #expect(model.graph.node.map(\.opType) == ["Gemm", "Relu", "Gemm", "Identity"])
        #expect(model.graph.input.map(\.name) == ["input"])
        #expect(model.graph.input[0].type.tensorType.elemType == Self.dataType(.float))
        #expect(model.metadataProps.map(\.key) == ["quant.layers"])
    }

    @Test(arguments: [DynamicQuantization.perChannel, .perTensor])
    func dynamicInt8GraphQuantizesEachBatchAndMultipliesIntegers(recipe: DynamicQuantization) throws {
        let int8 = try Self.mlp().quantized(with: recipe)
        let model = try Self.roundTrip(ONNXExport(int8))
        let layer = ["DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul", "Add"]
        #expect(model.graph.node.map(\.opType) == layer + ["Relu"] + layer + ["Identity"])
        let first = try #require(int8.layers.first as? DynamicQuantizedLinear)
        let weight = try Self.initializer(model, "fc1.weight_t")
        #expect(weight.dataType == Self.dataType(.int8) && weight.dims == [6, 5])
        let transposed = Self.values(weight, as: Int8.self)
        let codes = first.weightCodes
        for j in 0..<5 {
            for k in 0..<6 { #expect(transposed[k * 5 + j] == codes.scalars[j * 6 + k]) }
        }
        let scales = try Self.initializer(model, "fc1.weight_scale")
        #expect(Self.values(scales, as: Float.self) == first.weights.scales)
        #expect(scales.dims == [Int64(first.weights.scales.count)])
        let matMul = try #require(model.graph.node.first { $0.opType == "MatMulInteger" })
        #expect(matMul.input == ["fc1.input_codes", "fc1.weight_t", "fc1.input_zero_point"])
        #expect(model.metadataProps[0].value == "dynamic-int8-linear,relu,dynamic-int8-linear")
    }

    /// The integer network of the random MLP, statically quantized on random inputs.
    static func integerOnly(activationBits: Int) throws -> IntegerOnlyMLP {
        let data = try Self.data(count: 64)
        let recipe = try StaticQuantization(weightBits: 8, activationBits: activationBits, calibrator: .minMax)
        let integer = try Self.mlp().quantized(with: recipe, calibration: data).integerOnly(outputCalibration: data)
        return try #require(integer.layers.first as? IntegerOnlyMLP)
    }

    @Test func integerOnlyGraphIsQDQAroundGemmWithTheCheckpointsIntegers() throws {
        let mlp = try Self.integerOnly(activationBits: 8)
        let model = try Self.roundTrip(ONNXExport(Sequential([mlp]), normalization: Self.normalization))
        let stage = ["DequantizeLinear", "DequantizeLinear", "DequantizeLinear", "Gemm"]
        #expect(model.graph.node.map(\.opType) == ["Cast", "Div", "Sub", "Div", "QuantizeLinear"] + stage + ["Relu", "QuantizeLinear"]
                    + stage + ["QuantizeLinear", "DequantizeLinear", "Identity"])
        for (k, stage) in mlp.stages.enumerated() {
            let name = "fc\(k + 1)"
            let weight = try Self.initializer(model, name + ".weight")
            #expect(weight.dataType == Self.dataType(.int8) && weight.dims == [Int64(stage.outFeatures), Int64(stage.inFeatures)])
            #expect(Self.values(weight, as: Int8.self) == stage.codes)
            let bias = try Self.initializer(model, name + ".bias")
            #expect(bias.dataType == Self.dataType(.int32) && Self.values(bias, as: Int32.self) == stage.bias)
            #expect(Self.values(try Self.initializer(model, name + ".bias_scale"), as: Float.self)
                        == mlp.weightScales[k].map { mlp.inputScales[k] * $0 })
            let zeroPoint = try Self.initializer(model, name + ".input_zero_point")
            #expect(zeroPoint.dataType == Self.dataType(.uint8) && zeroPoint.dims.isEmpty)
            #expect(Self.values(zeroPoint, as: UInt8.self) == [UInt8(stage.inputZeroPoint)])
            #expect(Self.values(try Self.initializer(model, name + ".input_scale"), as: Float.self) == [mlp.inputScales[k]])
        }
        #expect(Self.values(try Self.initializer(model, "fc2.output_scale"), as: Float.self) == [mlp.outputGrid.scale])
        let dequantize = try #require(model.graph.node.first { $0.opType == "DequantizeLinear" && $0.input.first == "fc1.weight" })
        #expect(dequantize.input == ["fc1.weight", "fc1.weight_scale", "fc1.weight_zero_point"])
        #expect(dequantize.attribute.map(\.name) == ["axis"] && dequantize.attribute.map(\.i) == [0])
        let weightZeroPoint = try Self.initializer(model, "fc1.weight_zero_point")
        #expect(weightZeroPoint.dataType == Self.dataType(.int8) && Self.values(weightZeroPoint, as: Int8.self) == [Int8](repeating: 0, count: 5))
        let biasZeroPoint = try Self.initializer(model, "fc2.bias_zero_point")
        #expect(biasZeroPoint.dataType == Self.dataType(.int32) && Self.values(biasZeroPoint, as: Int32.self) == [0, 0, 0])
        #expect(model.metadataProps[0].value == "integer-only-mlp")
    }

    /// At 4 bits `QuantizeLinear`'s uint8 saturation is not the grid's end:
    /// a `Clip` to the float values of codes `lo … 15` comes first.
    @Test func narrowActivationGridsAreClippedBeforeQuantizing() throws {
        let mlp = try Self.integerOnly(activationBits: 4)
        let model = try Self.roundTrip(ONNXExport(Sequential([mlp])))
        let clips = model.graph.node.filter { $0.opType == "Clip" }
        #expect(clips.map(\.input) == [["input", "fc1.input_clip_min", "fc1.input_clip_max"],
                                        ["fc1.output", "fc2.input_clip_min", "fc2.input_clip_max"]])
        #expect(!model.graph.node.contains { $0.opType == "Relu" })
        for (k, stage) in mlp.stages.enumerated() {
            let (s, z) = (mlp.inputScales[k], stage.inputZeroPoint)
            let lowest = k == 0 ? 0 : z
            #expect(Self.values(try Self.initializer(model, "fc\(k + 1).input_clip_min"), as: Float.self) == [s * Float(lowest - z)])
            #expect(Self.values(try Self.initializer(model, "fc\(k + 1).input_clip_max"), as: Float.self) == [s * Float(15 - z)])
        }
    }

    @Test func exportIsDeterministic() throws {
        for model in [try Self.mlp(), try Self.mlp().quantized(with: DynamicQuantization.perChannel), try Sequential([Self.integerOnly(activationBits: 8)])] {
            let first = try ONNXExport(model, normalization: Self.normalization).serializedData()
            let second = try ONNXExport(model, normalization: Self.normalization).serializedData()
            #expect(first == second)
            let reparsed: Data = try Onnx_ModelProto(serializedBytes: first).serializedBytes()
            #expect(reparsed == first)
        }
    }

    @Test func aLayerWithoutAnONNXFormIsNamed() throws {
        let fp32 = try Self.mlp()
        let linear = try #require(fp32.layers.last as? Linear)
        let fakeQuant = try FakeQuantLinear(linear, weightBits: 4, weightMethod: .minMax, input: nil)
        let model = try Sequential(Array(fp32.layers.dropLast()) + [fakeQuant])
        let error = #expect(throws: ONNXExportError.self) { try ONNXExport(model) }
        #expect(error == .unsupportedLayer(index: 2, type: "FakeQuantLinear",
                                           exportable: ["linear", "relu", "dynamic-int8-linear", "integer-only-mlp", "lowbit-linear"]))
        #expect("\(error!)".hasPrefix("layer 2 is a FakeQuantLinear, which has no ONNX export; exportable layers: linear, relu"))
    }

    @Test(arguments: [Float(0), -1, .nan, .infinity])
    func aNormalizationThatCannotBeAppliedIsRefused(standardDeviation: Float) throws {
        #expect(throws: ONNXExportError.self) {
            try ONNXExport(Self.mlp(), normalization: Normalization(mean: 0.1, standardDeviation: standardDeviation))
        }
        #expect(throws: ONNXExportError.invalidNormalization(mean: .infinity, standardDeviation: 1)) {
            try ONNXExport(Self.mlp(), normalization: Normalization(mean: .infinity, standardDeviation: 1))
        }
    }

    @Test func theFileIsWrittenWholeOrNotAtAll() throws {
        let dir = try TemporaryDirectory("onnx-export")
        defer { dir.remove() }
        let export = try ONNXExport(Self.mlp(), normalization: Self.normalization)
        let url = dir.url.appendingPathComponent("model.onnx")
        try export.write(to: url)
        #expect(try Data(contentsOf: url) == export.serializedData())
        #expect(try dir.files() == ["model.onnx"])   // no temporary file left beside it

        let missing = dir.url.appendingPathComponent("absent/model.onnx")
        #expect(throws: ONNXExportError.self) { try export.write(to: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing.path))

        // A failed rewrite keeps the old file whole: the destination is a folder.
        let folder = dir.url.appendingPathComponent("taken.onnx")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let error = #expect(throws: ONNXExportError.self) { try export.write(to: folder) }
        #expect("\(error!)".hasPrefix("\(folder.path): cannot write the ONNX file"))
        #expect(try dir.files() == ["model.onnx", "taken.onnx"])
    }
}
