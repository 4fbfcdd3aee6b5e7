import Quant

extension Linear: ONNXExportableLayer {
    /// `y = x·Wᵀ + b` is one `Gemm(x, W, b, transB = 1)`, with `W` `[out, in]`
    /// and `b` `[out]` float32, the checkpoint's `name.weight` and `name.bias`.
    func appendONNX(to graph: inout ONNXGraph, input: String, name: LayerName) -> String {
        let weight = graph.constant(name("weight"), weightTensor.scalars, shape: weightTensor.shape)
        let bias = graph.constant(name("bias"), biasTensor.scalars, shape: biasTensor.shape)
        return graph.node("Gemm", [input, weight, bias], output: name("output"),
                          attributes: [ONNXGraph.attribute("transB", 1)])
    }
}
