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
/// mlp.outputGrid                            // (scale: 0.07, zeroPoint: 131)
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
    /// The codes live in `scratch`: the input's, then two buffers of the
    /// widest stage output used in turn, so a pass allocates nothing once the
    /// scratch has grown. A large batch is split by rows over the cores, each
    /// chunk running the input quantize and every stage on its own rows — one
    /// hand-off per batch rather than one per layer; the bytes are the same
    /// whatever the split.
    private func run<R>(rows: Int, scratch: inout LayerScratch,
                        input: (_ first: Int, _ codes: UnsafeMutableBufferPointer<UInt8>) throws(ModelError) -> Void,
                        output: (UnsafeBufferPointer<UInt8>) -> R) throws(ModelError) -> R {
        let inputCount = rows * inputFeatures
        let widest = rows * stages.reduce(0) { Swift.max($0, $1.outFeatures) }
        let work = stages.reduce(0) { $0 + $1.inFeatures * $1.outFeatures } * rows
        // Chunks of at least 12 rows keep the kernels' register tiles (6 or 4 rows) mostly full.
        let chunks = ParallelChunks(rows, minimumChunk: 12, worthSplitting: work >= PackedInt8Weights.parallelThreshold)
        return try scratch.withBytes(inputCount + 2 * widest) { (base) throws(ModelError) -> R in
            let buffers = (base + inputCount, base + inputCount + widest)
            if chunks.count == 1 {
                try runStages(rows: 0 ..< rows, codes: base, buffers: buffers, input: input)
            } else {
                var failures = [ModelError?](repeating: nil, count: chunks.count)
                failures.withUnsafeMutableBufferPointer { failures in
                    chunks.forEach { c, range in
                        do throws(ModelError) {
                            try runStages(rows: range, codes: base, buffers: buffers, input: input)
                        } catch {
                            failures[c] = error
                        }
                    }
                }
                if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
            }
            let last = stages.count % 2 == 1 ? buffers.0 : buffers.1
            return output(UnsafeBufferPointer(start: last, count: rows * outputFeatures))
        }
    }

    /// Rows `rows` of ``run(rows:scratch:input:output:)``: their input codes
    /// at `codes`, then each stage from one of `buffers` into the other.
    private func runStages(rows: Range<Int>, codes: UnsafeMutablePointer<UInt8>,
                           buffers: (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>),
                           input: (_ first: Int, _ codes: UnsafeMutableBufferPointer<UInt8>) throws(ModelError) -> Void) throws(ModelError) {
        var x = UnsafeMutableBufferPointer(start: codes + rows.lowerBound * inputFeatures, count: rows.count * inputFeatures)
        try input(rows.lowerBound, x)
        var (y, spare) = buffers
        for stage in stages {
            let out = UnsafeMutableBufferPointer(start: y + rows.lowerBound * stage.outFeatures, count: rows.count * stage.outFeatures)
            try stage.forward(UnsafeBufferPointer(x), rows: rows.count, into: out, parallel: false)
            x = out
            (y, spare) = (spare, y)
        }
    }
}
