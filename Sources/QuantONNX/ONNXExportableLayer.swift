import Quant

/// A layer with an ONNX form: it appends the nodes that compute it to a graph.
///
/// Every layer reads and writes float `[batch, features]` tensors, as in
/// ``Sequential``, so layers chain by name whatever they do inside (a
/// quantized layer quantizes its input and dequantizes its output in the
/// graph, as it does in Swift). A new layer type is exported by conforming
/// and being listed in ``ONNXExport/layerTypes``.
protocol ONNXExportableLayer: CheckpointableLayer {
    /// Appends the nodes computing the layer on the float tensor `input` and
    /// returns the name of its float output; `name` is the layer's
    /// checkpoint name (`fc1`, …), the prefix of its tensors.
    func appendONNX(to graph: inout ONNXGraph, input: String, name: LayerName) throws(ONNXExportError) -> String
    /// How many checkpoint names (`fc1`, `fc2`, …) the layer's tensors take:
    /// one for a linear layer, none for a ReLU, one per stage for an integer network.
    var nameCount: Int { get }
}

extension ONNXExportableLayer {
    var nameCount: Int { Self.hasTensors ? 1 : 0 }
}

/// The checkpoint name of a layer's tensors, `fc<number>`, as
/// ``Sequential/checkpoint(metadata:)`` gives them: counted from 1 over the
/// layers with tensors.
struct LayerName: Hashable {
    /// The `N` of `fcN`.
    let number: Int

    /// `fc<number + offset>`: the name `offset` places after this one (an integer network's later stages).
    func advanced(by offset: Int) -> LayerName { LayerName(number: number + offset) }

    /// `fc<number>.<tensor>`, or `fc<number>` for an empty `tensor`.
    func callAsFunction(_ tensor: String = "") -> String { tensor.isEmpty ? "fc\(number)" : "fc\(number).\(tensor)" }
}
