import ONNXProto
import Quant

extension LowBitLinear: ONNXExportableLayer {
    /// The layer's arithmetic in standard operators, with the codes as ONNX's
    /// packed low-bit integers (blocked `DequantizeLinear`, opset 21):
    ///
    ///     q_x, s_x, z_x = DynamicQuantizeLinear(x)              the batch's uint8 codes, as in Swift
    ///     x̂ = DequantizeLinear(q_x, s_x, z_x)
    ///     Ŵᵀ = DequantizeLinear(q_wᵀ, s_wᵀ, 0, axis 0, block_size g)     INT4 (or INT2) [in, out], s_wᵀ [⌈in/g⌉, out]
    ///     y = MatMul(x̂, Ŵᵀ) + b
    ///
    /// `x̂·Ŵᵀ = Σ_g (s_x·s_w[j, g])·acc_g`, Swift's sum, up to float rounding.
    /// The codes are stored transposed, `name.weight_t` `[in, out]`, with
    /// the blocks of `g` (the group size) along the input axis, so that
    /// `MatMul` reads `B` as `[K, N]` — the layout of ONNX Runtime's
    /// `MatMulNBits` (which it fuses only when the activations are float, so
    /// this graph keeps the `DequantizeLinear` and a float `MatMul`; measured
    /// with onnxruntime 1.32). Per-row scales are one block per row,
    /// `block_size = in`. int4 codes are `INT4` (opset 21, IR 10);
    /// int2, ternary (−1, 0, 1) and binary (±1) codes are `INT2`, which
    /// needs opset 25 (IR 13: onnx 1.20 or later; onnxruntime 1.32 runs it).
    /// Zero-points are explicit zeros, as ONNX Runtime's fusions require.
    func appendONNX(to graph: inout ONNXGraph, input: String, name: LayerName) -> String {
        let (out, inputs) = (outputFeatures, inputFeatures)
        let stored = weights.stored
        let block = format.groupSize ?? inputs
        let blocks = (inputs + block - 1) / block
        let codes = stored.unpackedCodes()
        var transposed = [Int8](repeating: 0, count: codes.count)
        for j in 0..<out {
            for k in 0..<inputs { transposed[k * out + j] = codes[j * inputs + k] }
        }
        // The scales, [out, blocks] row-major in Swift (one per row: [out]), transposed to [blocks, out].
        var scales = [Float](repeating: 0, count: blocks * out)
        for j in 0..<out {
            for g in 0..<blocks {
                scales[g * out + j] = stored.scales[stored.scales.count == 1 ? 0 : stored.scales.count == out ? j : j * blocks + g]
            }
        }
        let bits = format.bitsPerCode == 4 ? 4 : 2
        graph.require(opset: bits == 4 ? 21 : 25)
        let weight = graph.packedConstant(name("weight_t"), transposed, bits: bits, shape: [inputs, out])
        let scale = graph.constant(name("weight_scale"), scales, shape: [blocks, out])
        let zeroPoint = graph.packedConstant(name("weight_zero_point"), [Int8](repeating: 0, count: blocks * out), bits: bits,
                                             shape: [blocks, out])
        let bias = graph.constant(name("bias"), self.bias, shape: [out])

        let (codesName, inputScale, inputZeroPoint) = (name("input_codes"), name("input_scale"), name("input_zero_point"))
        graph.node("DynamicQuantizeLinear", [input], outputs: [codesName, inputScale, inputZeroPoint])
        let x = graph.node("DequantizeLinear", [codesName, inputScale, inputZeroPoint], output: name("input"))
        let w = graph.node("DequantizeLinear", [weight, scale, zeroPoint], output: name("weight_float"),
                           attributes: [ONNXGraph.attribute("axis", 0), ONNXGraph.attribute("block_size", Int64(block))])
        let product = graph.node("MatMul", [x, w], output: name("product"))
        return graph.node("Add", [product, bias], output: name("output"))
    }
}
