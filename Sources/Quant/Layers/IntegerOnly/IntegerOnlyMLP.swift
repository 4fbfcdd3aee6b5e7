/// A whole quantized MLP that runs on integers, as one layer: float in,
/// float out, and between the two only uint8 codes, int8 weights and int32
/// arithmetic — TFLite's integer-only inference (Jacob et al. 2018).
///
///     q_0 = clamp(round_half_even(x · (1/s_0)) + z_0, 0, 2ᵇ − 1)     the input grid (s_0, z_0), once
///     q_k = stages[k−1](q_{k−1})                                    uint8 → uint8 (``IntegerLinearStage``)
///     y   = s_out · (q_L − z_out)                                    the output grid, once
///
/// The first line is the arithmetic of the fake-quantizer on the first
/// layer's input (``ActivationFakeQuantizer``), so the codes are the ones the
/// fake-quant model rounds to. Each stage's output grid is the next stage's
/// input grid, with the ReLU between them folded into the clamp; the last
/// stage writes on the 8-bit output grid `(s_out, z_out)` calibrated on the
/// fake-quant model's logits (``Sequential/integerOnly(outputCalibration:kernel:)``).
/// The arg-max can be taken on the output codes directly: the dequantize
/// is increasing.
///
/// The float scales are kept beside the stages, for inspection and
/// checkpoints; only `s_0` and `s_out` are read when running.
///
/// ```swift
/// let int8 = try qat.integerOnly(outputCalibration: data.train.prefix(1024))   // Sequential([IntegerOnlyMLP])
/// let mlp = int8.layers[0] as! IntegerOnlyMLP
/// let codes = try mlp.outputCodes(x)        // Tensor<UInt8>, [rows, 10]
/// mlp.outputGrid                            // (scale: 0.225, zeroPoint: 123) for the seed MLP
/// ```
public struct IntegerOnlyMLP: Layer {
    /// The linear layers, input side first.
    public let stages: [IntegerLinearStage]
    /// `s_x` of each stage's input; `inputScales[0]` is the input grid's.
    public let inputScales: [Float]
    /// `s_w[j]` of each stage's weights, one per output.
    public let weightScales: [[Float]]
    /// `s_out`, the float value of one output code step.
    public let outputScale: Float
    /// The input grid in the form the uint8 quantize loop takes.
    private let inputParameters: DynamicActivationQuantizer.Parameters

    /// A network of `stages`, with the float scales that made them.
    ///
    /// - Throws: ``ModelError/noLayers`` without stages,
    ///   ``ModelError/layerMismatch(index:outputFeatures:nextInputFeatures:)`` or
    ///   ``ModelError/stageGridMismatch(index:outputZeroPoint:outputRange:nextInputZeroPoint:nextInputBits:)``
    ///   for stages that do not chain, ``ModelError/parameterShape(name:expected:found:)``
    ///   for scale lists of the wrong length, ``ModelError/kernel(_:)`` for a
    ///   scale that is not a positive normal float.
    public init(stages: [IntegerLinearStage], inputScales: [Float], weightScales: [[Float]], outputScale: Float) throws(ModelError) {
        guard let first = stages.first else { throw .noLayers }
        for (k, (stage, next)) in zip(stages, stages.dropFirst()).enumerated() {
            guard stage.outFeatures == next.inFeatures else {
                throw .layerMismatch(index: k, outputFeatures: stage.outFeatures, nextInputFeatures: next.inFeatures)
            }
            guard stage.outputZeroPoint == next.inputZeroPoint,
                  Int32(stage.outputRange.upperBound) <= IntegerLinearStage.codeMax(bits: next.inputBits) else {
                throw .stageGridMismatch(index: k, outputZeroPoint: stage.outputZeroPoint, outputRange: stage.outputRange,
                                         nextInputZeroPoint: next.inputZeroPoint, nextInputBits: next.inputBits)
            }
        }
        guard inputScales.count == stages.count else {
            throw .parameterShape(name: "input_scale", expected: [stages.count], found: [inputScales.count])
        }
        guard weightScales.count == stages.count else {
            throw .parameterShape(name: "weight_scale", expected: [stages.count], found: [weightScales.count])
        }
        for (k, (stage, scales)) in zip(stages, weightScales).enumerated() where scales.count != stage.outFeatures {
            throw .parameterShape(name: "fc\(k + 1).weight_scale", expected: [stage.outFeatures], found: [scales.count])
        }
        for (name, scales) in [("input_scale", inputScales), ("weight_scale", weightScales.flatMap { $0 }), ("output_scale", [outputScale])] {
            if let bad = scales.firstIndex(where: { !($0.isNormal && $0 > 0) }) {
                throw .kernel(.invalidScale(name: name, index: bad, value: scales[bad]))
            }
        }
        do {
            inputParameters = try DynamicActivationQuantizer.Parameters(scale: inputScales[0], zeroPoint: first.inputZeroPoint)
        } catch {
            throw .kernel(error)
        }
        self.stages = stages
        self.inputScales = inputScales
        self.weightScales = weightScales
        self.outputScale = outputScale
    }

    /// `(s_0, z_0)`: how a float input becomes the first stage's codes.
    public var inputGrid: (scale: Float, zeroPoint: Int32) { (inputParameters.scale, inputParameters.zeroPoint) }
    /// `(s_out, z_out)`: what the last stage's codes stand for, `y = s_out·(q − z_out)`.
    public var outputGrid: (scale: Float, zeroPoint: Int32) { (outputScale, stages[stages.count - 1].outputZeroPoint) }

    public var inputFeatures: Int { stages[0].inFeatures }
    public var outputFeatures: Int { stages[stages.count - 1].outFeatures }
    /// The weight codes and int32 biases (the scales and multipliers are not counted).
    public var parameterCount: Int { stages.reduce(0) { $0 + $1.codes.count + $1.bias.count } }
    /// The kernel the stages multiply with.
    public var kernel: Int8Kernel { stages[0].weights.kernel }

    /// The same network on another kernel (same codes, same bytes out).
    public func repacked(for kernel: Int8Kernel) throws(ModelError) -> IntegerOnlyMLP {
        var repacked = [IntegerLinearStage]()
        for stage in stages { repacked.append(try stage.repacked(for: kernel)) }
        return try IntegerOnlyMLP(stages: repacked, inputScales: inputScales, weightScales: weightScales, outputScale: outputScale)
    }

    /// Quantizes `rows` inputs once, runs the stages and dequantizes the
    /// last one's codes into `output`.
    public func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                        scratch: inout LayerScratch) throws(ModelError) {
        let (scale, zeroPoint) = outputGrid
        try run(rows: rows, scratch: &scratch, input: { (first, codes) throws(ModelError) in
            try quantize(input + first * inputFeatures, into: codes)
        }) { q in
            for i in q.indices { output[i] = scale * Float(Int32(q[i]) - zeroPoint) }
        }
    }

    /// The last stage's uint8 codes for a `[rows, inputFeatures]` input, as `[rows, outputFeatures]`.
    ///
    /// - Throws: ``ModelError/inputShape(expectedFeatures:shape:)`` for any other shape.
    public func outputCodes(_ input: Tensor<Float>) throws(ModelError) -> Tensor<UInt8> {
        guard input.rank == 2, input.shape[1] == inputFeatures else {
            throw .inputShape(expectedFeatures: inputFeatures, shape: input.shape)
        }
        let rows = input.shape[0]
        var scratch = LayerScratch()
        let codes = try input.scalars.withUnsafeBufferPointer { (x) throws(ModelError) -> [UInt8] in
            try run(rows: rows, scratch: &scratch, input: { (first, codes) throws(ModelError) in
                if let x = x.baseAddress { try quantize(x + first * inputFeatures, into: codes) }
            }) { Array($0) }
        }
        return Tensor(unchecked: [rows, outputFeatures], scalars: codes)
    }

    /// The output codes of `rows` rows of input codes (row-major,
    /// `rows × inputFeatures`): the stages alone, integers only.
    ///
    /// - Throws: ``ModelError/kernel(_:)`` when `codes` does not hold `rows` rows.
    public func integerForward(_ codes: [UInt8], rows: Int) throws(ModelError) -> [UInt8] {
        guard rows >= 0 else { throw .kernel(.negativeDimension(name: "rows", value: rows)) }
        guard codes.count == rows * inputFeatures else {
            throw .kernel(.sizeMismatch(name: "codes", expected: rows * inputFeatures, actual: codes.count))
        }
        var scratch = LayerScratch()
        return try codes.withUnsafeBufferPointer { (source) throws(ModelError) -> [UInt8] in
            try run(rows: rows, scratch: &scratch, input: { first, target in
                _ = target.update(fromContentsOf: UnsafeBufferPointer(rebasing: source[first * inputFeatures ..< first * inputFeatures + target.count]))
            }) { Array($0) }
        }
    }

    /// `codes[i] = clamp(round_half_even(x[i] · (1/s_0)) + z_0, 0, 2ᵇ − 1)`
    /// for the `codes.count` inputs at `x`: the uint8 loop of dynamic
    /// quantization, then the clamp to the first stage's bits when they are fewer than 8.
    private func quantize(_ x: UnsafePointer<Float>, into codes: UnsafeMutableBufferPointer<UInt8>) throws(ModelError) {
        do {
            try DynamicActivationQuantizer.quantize(UnsafeBufferPointer(start: x, count: codes.count), with: inputParameters,
                                                    into: codes, parallel: false)
        } catch {
            throw .kernel(error)
        }
        let high = UInt8(IntegerLinearStage.codeMax(bits: stages[0].inputBits))
        if high < 255 {
            for i in codes.indices { codes[i] = Swift.min(codes[i], high) }
        }
    }

    /// Runs the network on `rows` rows: `input(first, codes)` writes the
    /// first stage's codes of rows `first…` into `codes`, the stages follow,
    /// and `output` reads the last stage's codes of every row.
    ///
    /// A large batch is split by rows over the cores, each chunk running the
    /// input quantize and every stage on its own rows — one hand-off per
    /// batch rather than one per layer; the bytes are the same whatever the
    /// split. The codes live in `scratch`, so a pass allocates nothing once
    /// the scratch has grown: the input codes, two buffers for the hidden
    /// stages' outputs, used in turn, and the last stage's output. In the
    /// hidden buffers the chunk of rows `lo..<hi` owns bytes
    /// `lo·widest ..< hi·widest` (`widest`: the widest hidden output), whatever
    /// the stage's width, so that no chunk writes where another still reads.
    private func run<R>(rows: Int, scratch: inout LayerScratch,
                        input: (_ first: Int, _ codes: UnsafeMutableBufferPointer<UInt8>) throws(ModelError) -> Void,
                        output: (UnsafeBufferPointer<UInt8>) -> R) throws(ModelError) -> R {
        let widest = stages.dropLast().reduce(0) { Swift.max($0, $1.outFeatures) }
        let (inputCount, hiddenCount, outputCount) = (rows * inputFeatures, rows * widest, rows * outputFeatures)
        let work = stages.reduce(0) { $0 + $1.inFeatures * $1.outFeatures } * rows
        // Chunks of at least 12 rows keep the kernels' register tiles (6 or 4 rows) mostly full.
        let chunks = ParallelChunks(rows, minimumChunk: 12, worthSplitting: work >= PackedInt8Weights.parallelThreshold)
        return try scratch.withBytes(inputCount + 2 * hiddenCount + outputCount) { (base) throws(ModelError) -> R in
            let buffers = Buffers(input: base, hidden: (base + inputCount, base + inputCount + hiddenCount),
                                  widest: widest, output: base + inputCount + 2 * hiddenCount)
            if chunks.count == 1 {
                try runStages(rows: 0 ..< rows, buffers: buffers, input: input)
            } else {
                var failures = [ModelError?](repeating: nil, count: chunks.count)
                failures.withUnsafeMutableBufferPointer { failures in
                    chunks.forEach { c, range in
                        do throws(ModelError) {
                            try runStages(rows: range, buffers: buffers, input: input)
                        } catch {
                            failures[c] = error
                        }
                    }
                }
                if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
            }
            return output(UnsafeBufferPointer(start: buffers.output, count: outputCount))
        }
    }

    /// Where ``run(rows:scratch:input:output:)`` keeps the codes: the input's
    /// (`rows × inputFeatures`), two hidden buffers of `rows × widest`, and
    /// the output's (`rows × outputFeatures`).
    private struct Buffers {
        let input: UnsafeMutablePointer<UInt8>
        let hidden: (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>)
        let widest: Int
        let output: UnsafeMutablePointer<UInt8>
    }

    /// Rows `rows` of ``run(rows:scratch:input:output:)``: their input codes,
    /// then each hidden stage from one hidden buffer into the other, then the last stage into the output.
    private func runStages(rows: Range<Int>, buffers: Buffers,
                           input: (_ first: Int, _ codes: UnsafeMutableBufferPointer<UInt8>) throws(ModelError) -> Void) throws(ModelError) {
        let first = rows.lowerBound
        var x = UnsafeMutableBufferPointer(start: buffers.input + first * inputFeatures, count: rows.count * inputFeatures)
        try input(first, x)
        var (y, spare) = (buffers.hidden.0 + first * buffers.widest, buffers.hidden.1 + first * buffers.widest)
        for (k, stage) in stages.enumerated() {
            let target = k == stages.count - 1 ? buffers.output + first * outputFeatures : y
            let out = UnsafeMutableBufferPointer(start: target, count: rows.count * stage.outFeatures)
            try stage.forward(UnsafeBufferPointer(x), rows: rows.count, into: out, parallel: false)
            x = out
            (y, spare) = (spare, y)
        }
    }
}
