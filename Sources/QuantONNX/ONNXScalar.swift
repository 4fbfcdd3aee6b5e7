import Foundation
import ONNXProto

/// An element type an ONNX initializer can hold: its `TensorProto.DataType`
/// and its bytes in `raw_data`.
///
/// ONNX stores `raw_data` little-endian whatever the machine, so every value
/// is converted with `littleEndian` before its bytes are taken (a no-op on
/// x86-64 and arm64, and the one place byte order is decided).
protocol ONNXScalar {
    /// The `TensorProto.DataType` of the element.
    static var onnxType: Onnx_TensorProto.DataType { get }
    /// The elements as `raw_data`: `count · size` little-endian bytes.
    static func rawData(_ values: [Self]) -> Data
}

extension ONNXScalar where Self: FixedWidthInteger {
    static func rawData(_ values: [Self]) -> Data {
        values.map(\.littleEndian).withUnsafeBytes { Data($0) }
    }
}

extension Float: ONNXScalar {
    static var onnxType: Onnx_TensorProto.DataType { .float }
    static func rawData(_ values: [Float]) -> Data {
        values.map(\.bitPattern.littleEndian).withUnsafeBytes { Data($0) }
    }
}

extension Int8: ONNXScalar {
    static var onnxType: Onnx_TensorProto.DataType { .int8 }
}

extension UInt8: ONNXScalar {
    static var onnxType: Onnx_TensorProto.DataType { .uint8 }
}

extension Int32: ONNXScalar {
    static var onnxType: Onnx_TensorProto.DataType { .int32 }
}
