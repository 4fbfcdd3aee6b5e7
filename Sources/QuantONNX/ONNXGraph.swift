import Foundation
import ONNXProto

/// The graph an export is building: its nodes in execution order, its
/// initializers (the constant tensors: weights, scales, zero-points) and the
/// operator-set version its nodes need.
///
/// Each layer appends its nodes with ``node(_:_:output:attributes:)`` and
/// its tensors with ``constant(_:_:shape:)``; names are the checkpoint's
/// (`fc1.weight`, `fc1.bias`, …), so a tensor reads the same in both files.
/// Nothing here depends on a dictionary's order, so the same model always
/// gives the same nodes in the same order, and the same bytes.
struct ONNXGraph {
    /// The nodes, in the order they run (ONNX requires a topological order).
    private(set) var nodes: [Onnx_NodeProto] = []
    /// The constant tensors the nodes read.
    private(set) var initializers: [Onnx_TensorProto] = []
    /// The default-domain opset the nodes need: 13, the first with per-axis
    /// QuantizeLinear/DequantizeLinear, unless a layer asks for more.
    private(set) var opset: Int64 = 13

    /// Adds the tensor `name` of `shape` (row-major `values`) and returns its name.
    @discardableResult
    mutating func constant<T: ONNXScalar>(_ name: String, _ values: [T], shape: [Int]) -> String {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(T.onnxType.rawValue)
        tensor.rawData = T.rawData(values)
        initializers.append(tensor)
        return name
    }

    /// Adds the tensor `name` of signed `bits`-bit codes (4: `INT4`, 2:
    /// `INT2`), packed as ONNX stores them: the row-major codes in
    /// consecutive bits of `raw_data`, `8/bits` per byte, the first in the
    /// lowest bits, the last byte padded with zeros.
    @discardableResult
    mutating func packedConstant(_ name: String, _ codes: [Int8], bits: Int, shape: [Int]) -> String {
        let perByte = 8 / bits, mask = UInt8((1 << bits) - 1)
        var bytes = [UInt8](repeating: 0, count: (codes.count + perByte - 1) / perByte)
        for (i, code) in codes.enumerated() {
            bytes[i / perByte] |= (UInt8(bitPattern: code) & mask) << UInt8((i % perByte) * bits)
        }
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32((bits == 4 ? Onnx_TensorProto.DataType.int4 : .int2).rawValue)
        tensor.rawData = Data(bytes)
        initializers.append(tensor)
        return name
    }

    /// Adds a scalar (rank-0) tensor: a per-tensor scale or zero-point.
    @discardableResult
    mutating func scalar<T: ONNXScalar>(_ name: String, _ value: T) -> String {
        constant(name, [value], shape: [])
    }

    /// Appends an `op` node of the default domain reading `inputs` and
    /// writing `outputs`; the node is named for its first output.
    mutating func node(_ op: String, _ inputs: [String], outputs: [String], attributes: [Onnx_AttributeProto] = []) {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = outputs[0]
        node.input = inputs
        node.output = outputs
        node.attribute = attributes
        nodes.append(node)
    }

    /// Appends a one-output `op` node and returns its output's name.
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], output: String, attributes: [Onnx_AttributeProto] = []) -> String {
        node(op, inputs, outputs: [output], attributes: attributes)
        return output
    }

    /// Raises the opset to at least `version` (for operators or types newer than 13).
    mutating func require(opset version: Int64) {
        opset = max(opset, version)
    }

    /// An integer attribute (`transB = 1`, `axis = 0`, `to = FLOAT`).
    static func attribute(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .int
        attribute.i = value
        return attribute
    }

    /// A float value information (`[batch, features]`, the batch left
    /// symbolic), for the graph's inputs and outputs.
    static func valueInfo(_ name: String, type: Onnx_TensorProto.DataType, features: Int) -> Onnx_ValueInfoProto {
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "batch"
        var width = Onnx_TensorShapeProto.Dimension()
        width.dimValue = Int64(features)
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(type.rawValue)
        tensor.shape.dim = [batch, width]
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType = tensor
        return info
    }
}
