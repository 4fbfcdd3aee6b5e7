import Quant
import ONNXProto

extension DynamicQuantizedLinear: ONNXExportableLayer {
    /// The layer's four steps in standard operators (opset 13):
    ///
    ///     q_x, s_x, z_x = DynamicQuantizeLinear(x)                 uint8 codes of the batch's range ∪ {0}
    ///     acc = MatMulInteger(q_x, q_wᵀ, z_x)                       int32, Σ_k (q_x − z_x)·q_w  (q_w zero-point 0)
    ///     y   = Cast<float>(acc) · (s_x · s_w) + b                  Mul, Mul, Add
    ///
    /// `name.weight_t` holds the int8 codes transposed, `[in, out]`, because
    /// `MatMulInteger` multiplies `A·B` with `B` as `[K, N]`; `name.weight_scale`
    /// is `[1]` or `[out]` (broadcast along the output columns). The
    /// rescale is computed as in Swift, `(s_x·s_w[j])·acc + b[j]`, so only
    /// the activation codes can differ: `DynamicQuantizeLinear` rounds
    /// `x / s_x`, Swift rounds `x · (1/s_x)`, which can fall on the other side
    /// of a half for a rare element. ONNX Runtime fuses the chain into
    /// `DynamicQuantizeMatMul`.
    func appendONNX(to graph: inout ONNXGraph, input: String, name: LayerName) -> String {
        let (out, inputs) = (outputFeatures, inputFeatures)
        let codes = weights.codes
        var transposed = [Int8](repeating: 0, count: codes.count)
        for j in 0..<out {
            for k in 0..<inputs { transposed[k * out + j] = codes[j * inputs + k] }
        }
        let weight = graph.constant(name("weight_t"), transposed, shape: [inputs, out])
        let weightScale = graph.constant(name("weight_scale"), weights.scales, shape: [weights.scales.count])
        let bias = graph.constant(name("bias"), self.bias, shape: [out])

        let (codesName, scale, zeroPoint) = (name("input_codes"), name("input_scale"), name("input_zero_point"))
        graph.node("DynamicQuantizeLinear", [input], outputs: [codesName, scale, zeroPoint])
        let accumulator = graph.node("MatMulInteger", [codesName, weight, zeroPoint], output: name("accumulator"))
        let floatAccumulator = graph.node("Cast", [accumulator], output: name("accumulator_float"),
                                          attributes: [ONNXGraph.attribute("to", Int64(Onnx_TensorProto.DataType.float.rawValue))])
        let rescale = graph.node("Mul", [scale, weightScale], output: name("rescale"))
        let product = graph.node("Mul", [floatAccumulator, rescale], output: name("product"))
        return graph.node("Add", [product, bias], output: name("output"))
    }
}
