import Quant

extension ReLU: ONNXExportableLayer {
    /// `max(x, 0)` is one `Relu`; the layer has no tensors, so its outputs are
    /// named for the layer before it (`fc1.relu`).
    func appendONNX(to graph: inout ONNXGraph, input: String, name: LayerName) -> String {
        graph.node("Relu", [input], output: input + ".relu")
    }
}
