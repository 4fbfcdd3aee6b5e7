import Quant

extension IntegerOnlyMLP: ONNXExportableLayer {
    /// The integer network in QDQ form (opset 13): every quantized tensor is
    /// a `QuantizeLinear` / `DequantizeLinear` pair around float operators,
    /// the form ONNX Runtime's quantization tools write and its graph
    /// optimizer fuses into integer kernels (`QGemm`, `QLinearMatMul`):
    ///
    ///     q_1 = QuantizeLinear(x, s_1, z_1)                               uint8 input codes
    ///     for each stage k = 1…L (checkpoint name fc<k>):
    ///         x̂_k = DequantizeLinear(q_k, s_k, z_k)
    ///         Ŵ_k = DequantizeLinear(q_w, s_w, 0, axis 0)                   int8 [out, in], s_w [out]
    ///         b̂_k = DequantizeLinear(bias, s_k·s_w, 0, axis 0)              int32 [out]
    ///         y_k = Gemm(x̂_k, Ŵ_k, b̂_k, transB = 1)
    ///         q_{k+1} = QuantizeLinear(Relu(y_k), s_{k+1}, z_{k+1})          the last: QuantizeLinear(y_L, s_out, z_out)
    ///     logits = DequantizeLinear(q_{L+1}, s_out, z_out)
    ///
    /// The weights' and biases' zero-points (all 0, symmetric) are explicit
    /// tensors, `fc<k>.weight_zero_point` (int8) and `fc<k>.bias_zero_point`
    /// (int32): ONNX Runtime fuses a `DequantizeLinear` into `QGemm` only
    /// when it has all three inputs (measured with onnxruntime 1.32: without
    /// them the graph runs as float `Gemm`s).
    ///
    /// Tensors take the checkpoint's names (`fc1.weight`, `fc1.bias`,
    /// `fc1.input_scale`, …), and the output grid is `fc<L>.output_scale`,
    /// `fc<L>.output_zero_point` (the checkpoint's `output_scale`, named for
    /// its stage so that names stay unique in any model).
    ///
    /// `QuantizeLinear` saturates to uint8's 0…255; a grid of `b < 8` bits
    /// gets a `Clip` to `[s·(lo − z), s·(2ᵇ − 1 − z)]` instead of the `Relu`
    /// (`lo = z` after a ReLU, 0 for the network's input), which quantizes to
    /// the codes `lo … 2ᵇ − 1` exactly: the bounds are the float values
    /// `DequantizeLinear` gives those codes, and `x / s` at them is within
    /// an ulp of an integer.
    ///
    /// The integers are the checkpoint's (weight codes, int32 biases,
    /// zero-points), so a runtime accumulates the same `acc = Σ (q_x − z_x)·q_w`.
    /// What differs is the requantization. A runtime computes
    /// `round(M·(acc + bias))` once, in float32, ties to even, with
    /// `M = s_x·s_w / s_y`. Swift computes TFLite's fixed point
    /// (``FixedPointMultiplier``), which rounds twice: `(acc + bias)·multiplier / 2³¹`
    /// to an integer, that is to a multiple of `2^shift` output steps, then
    /// that divided by `2^(−shift)` to the nearest integer. The first rounding
    /// moves the value by up to `2^(shift − 1)` steps, so where `M·(acc + bias)`
    /// lies that close to a half, on the side of zero (`shift` −11…−8 in
    /// mini3's W8A8 model: within 2⁻⁹ of a step or less; −7…−1 at W4A4: up
    /// to a quarter step), Swift rounds away from zero where the runtime
    /// rounds toward it: one code, which the next stage carries on. The
    /// input is quantized by `x / s` rather than Swift's `x · (1/s)`, which
    /// can also round a rare element the other way.
    func appendONNX(to graph: inout ONNXGraph, input: String, name: LayerName) -> String {
        var codes = quantize(input, onto: Grid(name: name("input"), scale: inputScales[0], zeroPoint: stages[0].inputZeroPoint,
                                              bits: stages[0].inputBits), afterReLU: false, in: &graph)
        let axis = [ONNXGraph.attribute("axis", 0)]
        let output = Grid(name: name.advanced(by: stages.count - 1)("output"), scale: outputGrid.scale,
                          zeroPoint: outputGrid.zeroPoint, bits: 8)
        for (k, stage) in stages.enumerated() {
            let stageName = name.advanced(by: k), shape = [stage.outFeatures]
            let x = graph.node("DequantizeLinear", [codes, stageName("input_scale"), stageName("input_zero_point")],
                               output: stageName("input"))
            let weight = graph.node("DequantizeLinear", [
                graph.constant(stageName("weight"), stage.codes, shape: [stage.outFeatures, stage.inFeatures]),
                graph.constant(stageName("weight_scale"), weightScales[k], shape: shape),
                graph.constant(stageName("weight_zero_point"), [Int8](repeating: 0, count: stage.outFeatures), shape: shape),
            ], output: stageName("weight_float"), attributes: axis)
            let bias = graph.node("DequantizeLinear", [
                graph.constant(stageName("bias"), stage.bias, shape: shape),
                graph.constant(stageName("bias_scale"), weightScales[k].map { inputScales[k] * $0 }, shape: shape),
                graph.constant(stageName("bias_zero_point"), [Int32](repeating: 0, count: stage.outFeatures), shape: shape),
            ], output: stageName("bias_float"), attributes: axis)
            let y = graph.node("Gemm", [x, weight, bias], output: stageName("output"), attributes: [ONNXGraph.attribute("transB", 1)])
            let isLast = k + 1 == stages.count
            let next = isLast ? output : Grid(name: name.advanced(by: k + 1)("input"), scale: inputScales[k + 1],
                                              zeroPoint: stages[k + 1].inputZeroPoint, bits: stages[k + 1].inputBits)
            codes = quantize(y, onto: next, afterReLU: !isLast, in: &graph)
        }
        return graph.node("DequantizeLinear", [codes, output.name + "_scale", output.name + "_zero_point"],
                          output: output.name + "_dequantized")
    }

    /// One checkpoint name per stage.
    var nameCount: Int { stages.count }

    /// A uint8 grid of the network: its tensors' name prefix
    /// (`<name>_scale`, `<name>_zero_point`), scale, zero-point and bits.
    private struct Grid {
        let name: String
        let scale: Float
        let zeroPoint: Int32
        let bits: Int
    }

    /// Adds the grid's scale and zero-point and the nodes that put `x` on it
    /// (a `Relu` or `Clip` first, as described above); returns the codes' name.
    private func quantize(_ x: String, onto grid: Grid, afterReLU: Bool, in graph: inout ONNXGraph) -> String {
        let scale = graph.scalar(grid.name + "_scale", grid.scale)
        let zeroPoint = graph.scalar(grid.name + "_zero_point", UInt8(grid.zeroPoint))
        var value = x
        if grid.bits < 8 {
            let lowest = afterReLU ? grid.zeroPoint : 0
            let highest = (Int32(1) << Int32(grid.bits)) - 1
            value = graph.node("Clip", [
                x,
                graph.scalar(grid.name + "_clip_min", grid.scale * Float(lowest - grid.zeroPoint)),
                graph.scalar(grid.name + "_clip_max", grid.scale * Float(highest - grid.zeroPoint)),
            ], output: grid.name + "_clipped")
        } else if afterReLU {
            value = graph.node("Relu", [x], output: x + ".relu")
        }
        return graph.node("QuantizeLinear", [value, scale, zeroPoint], output: grid.name + "_codes")
    }
}
