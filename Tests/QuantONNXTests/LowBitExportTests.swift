import Foundation
import ONNXProto
import Quant
@testable import QuantONNX
import SwiftProtobuf
import Testing

/// ``LowBitLinear``'s export: blocked `DequantizeLinear` of the packed
/// codes (INT4 at opset 21, INT2 at opset 25), one block per group or per row.
@Suite struct LowBitExportTests {
    /// A random `41 → 3 → 2` MLP with its linear layers in `format`: fc1 has
    /// 123 codes (an odd count, so the last byte is half used at 4 bits) and,
    /// in groups of 32, a last group of 9.
    static func model(_ format: WeightFormat) throws -> Sequential {
        try Sequential.mlp(sizes: [41, 3, 2], seed: 9).lowBit(format)
    }

    static func roundTrip(_ model: Sequential) throws -> Onnx_ModelProto {
        try Onnx_ModelProto(serializedBytes: ONNXExport(model).serializedData())
    }

    /// The codes of a packed `bits`-bit tensor, unpacked as ONNX defines it (first code in the lowest bits).
    static func unpack(_ tensor: Onnx_TensorProto, bits: Int) -> [Int8] {
        let count = tensor.dims.reduce(1, *), perByte = 8 / bits
        return (0..<Int(count)).map { i in
            let field = Int(tensor.rawData[tensor.rawData.startIndex + i / perByte] >> UInt8((i % perByte) * bits)) & ((1 << bits) - 1)
            return Int8(field >= 1 << (bits - 1) ? field - (1 << bits) : field)
        }
    }

    static func initializer(_ model: Onnx_ModelProto, _ name: String) throws -> Onnx_TensorProto {
        try #require(model.graph.initializer.first { $0.name == name }, "no initializer \(name)")
    }

    @Test(arguments: [(WeightFormat.Encoding.int4, 4, Int64(21), Int64(10)), (.int2, 2, 25, 13), (.ternary, 2, 25, 13), (.binary, 2, 25, 13)])
    func codesArePackedTransposedWithOneBlockPerGroup(encoding: WeightFormat.Encoding, bits: Int, opset: Int64, ir: Int64) throws {
        let lowBit = try Self.model(WeightFormat(encoding, groupSize: 32))
        let model = try Self.roundTrip(lowBit)
        let layer = ["DynamicQuantizeLinear", "DequantizeLinear", "DequantizeLinear", "MatMul", "Add"]
        #expect(model.graph.node.map(\.opType) == layer + ["Relu"] + layer + ["Identity"])
        #expect(model.opsetImport.map(\.version) == [opset] && model.irVersion == ir)
        let fc1 = try #require(lowBit.layers.first as? LowBitLinear)
        let weight = try Self.initializer(model, "fc1.weight_t")
        #expect(weight.dataType == Int32((bits == 4 ? Onnx_TensorProto.DataType.int4 : .int2).rawValue))
        #expect(weight.dims == [41, 3] && weight.rawData.count == (123 * bits + 7) / 8)
        let codes = fc1.weights.stored.unpackedCodes(), unpacked = Self.unpack(weight, bits: bits)
        for j in 0..<3 {
            for k in 0..<41 { #expect(unpacked[k * 3 + j] == codes[j * 41 + k]) }
        }
        let scales = try Self.initializer(model, "fc1.weight_scale")
        #expect(scales.dims == [2, 3])   // ⌈41/32⌉ blocks × 3 outputs
        let values = scales.rawData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let stored = fc1.weights.stored.scales
        for j in 0..<3 {
            for g in 0..<2 { #expect(values[g * 3 + j] == stored[j * 2 + g]) }
        }
        let dequantize = try #require(model.graph.node.first { $0.input.first == "fc1.weight_t" })
        #expect(dequantize.input == ["fc1.weight_t", "fc1.weight_scale", "fc1.weight_zero_point"])
        #expect(dequantize.attribute.map(\.name) == ["axis", "block_size"] && dequantize.attribute.map(\.i) == [0, 32])
        #expect(Self.unpack(try Self.initializer(model, "fc1.weight_zero_point"), bits: bits) == [Int8](repeating: 0, count: 6))
        #expect(model.metadataProps[0].value == "lowbit-linear,relu,lowbit-linear")
    }

    @Test func perRowScalesAreOneBlockPerRow() throws {
        let model = try Self.roundTrip(Self.model(.int4))
        #expect(try Self.initializer(model, "fc1.weight_scale").dims == [1, 3])
        let dequantize = try #require(model.graph.node.first { $0.input.first == "fc2.weight_t" })
        #expect(dequantize.attribute.map(\.i) == [0, 3])   // fc2 has 3 inputs: one block
    }

    @Test func theOpsetIsTheNewestAnyLayerNeeds() throws {
        let fp32 = try Sequential.mlp(sizes: [41, 3, 2], seed: 9)
        let int2Last = try Sequential(Array(fp32.layers.dropLast()) + [LowBitLinear(#require(fp32.layers.last as? Linear), format: .int2)])
        let model = try Self.roundTrip(int2Last)
        #expect(model.opsetImport.map(\.version) == [25] && model.irVersion == 13)
        #expect(model.graph.node.first?.opType == "Gemm")
    }
}
