/// A linear layer `y = x·Wᵀ + b` run by dynamic quantization, as PyTorch's
/// `torch.ao.nn.quantized.dynamic.Linear`:
///
/// 1. **once**, at conversion: `W` (`out × in`) is quantized to int8 codes
///    `q_w = clamp(round(W / s_w), qmin, qmax)`, symmetric (zero-point 0),
///    with one scale `s_w` or one per output row `s_w[j]`
///    (see ``DynamicQuantization``), and packed for the int8 kernel;
/// 2. **every batch**: the input is quantized to uint8 with the batch's own
///    range, `q_x = clamp(round(x / s_x) + z_x, 0, 255)`
///    (``DynamicActivationQuantizer``, the same numbers as
///    `QuantParams(scheme: QuantScheme(bits: 8), …)`);
/// 3. the integer product accumulates exactly in int32,
///    `acc[i, j] = Σ_k (q_x[i, k] − z_x)·q_w[j, k]`;
/// 4. the result is rescaled and the bias added in float:
///    `y[i, j] = (s_x·s_w[j])·acc[i, j] + b[j]`.
///
/// Error: with `x̂ = s_x(q_x − z_x)` and `Ŵ = s_w·q_w`, step 3–4 compute
/// `x̂·Ŵᵀ + b` up to float rounding of the rescale; each input is off by at
/// most `s_x/2` and each weight by at most `s_w/2`, so
/// `|y − ŷ| ≤ Σ_k (|W[j,k]|·s_x/2 + |x[i,k]|·s_w[j]/2 + s_x·s_w[j]/4)` per output.
///
/// ```swift
/// let fc = Linear(inputFeatures: 784, outputFeatures: 256, using: &rng)
/// let q = try DynamicQuantization.perChannel.quantize(fc)  // DynamicQuantizedLinear
/// let y = try q(Tensor(shape: [2, 784], repeating: 0.5))   // [2, 256], ≈ fc's output
/// q.weightQuantizer.params.scales.count                     // 256
/// ```
public struct DynamicQuantizedLinear: Layer {
    /// The int8 weight codes with their scales, packed for the kernel.
    public let weights: PackedInt8Weights
    /// The float biases, one per output, added after the rescale.
    public let bias: [Float]
    /// The quantizer that made the codes (scheme and scales), to dequantize
    /// them or to quantize new weights the same way.
    public let weightQuantizer: Quantizer

    /// The width of each input row.
    public var inputFeatures: Int { weights.inFeatures }
    /// The width of each output row.
    public var outputFeatures: Int { weights.outFeatures }
    /// The kernel the products run on.
    public var kernel: Int8Kernel { weights.kernel }

    /// `linear` quantized with a given weight quantizer — the seam for
    /// scales found elsewhere (quantization-aware training, a calibrated or
    /// learned scale). The quantizer must be signed symmetric with at most
    /// 8 bits, per tensor or per output channel (axis 0).
    public init(_ linear: Linear, weightQuantizer: Quantizer, kernel: Int8Kernel = .fastest) throws(ModelError) {
        try Self.check(weightQuantizer, outputFeatures: linear.outputFeatures)
        let codes: Tensor<Int8>
        do { codes = try weightQuantizer.quantize(linear.weightTensor, as: Int8.self) } catch { throw .quantization(error) }
        try self.init(codes: codes, quantizer: weightQuantizer, bias: linear.bias, kernel: kernel)
    }

    /// A layer from stored codes (`[out, in]` int8), scales (1 or `out`,
    /// symmetric 8-bit) and biases (`out`), as read from a checkpoint.
    public init(codes: Tensor<Int8>, scales: [Float], bias: [Float], kernel: Int8Kernel = .fastest) throws(ModelError) {
        guard codes.rank == 2 else { throw .parameterShape(name: "weight", expected: [bias.count, -1], found: codes.shape) }
        let out = codes.shape[0]
        guard scales.count == 1 || scales.count == out else { throw .weightScaleCount(expected: out, actual: scales.count) }
        let quantizer: Quantizer
        do {
            let scheme = try QuantScheme(bits: 8, signed: true, mapping: .symmetric(restrictedRange: false),
                                         granularity: scales.count == 1 ? .perTensor : .perChannel(axis: 0))
            let params = try QuantParams(scales: scales, zeroPoints: [Int32](repeating: 0, count: scales.count))
            quantizer = try Quantizer(scheme: scheme, params: params)
        } catch {
            throw .quantization(error)
        }
        try self.init(codes: codes, quantizer: quantizer, bias: bias, kernel: kernel)
    }

    private init(codes: Tensor<Int8>, quantizer: Quantizer, bias: [Float], kernel: Int8Kernel) throws(ModelError) {
        let out = codes.shape[0], inputs = codes.shape[1]
        guard bias.count == out else { throw .parameterShape(name: "bias", expected: [out], found: [bias.count]) }
        do {
            weights = try PackedInt8Weights(codes: codes.scalars, outFeatures: out, inFeatures: inputs,
                                            scales: quantizer.params.scales, kernel: kernel)
        } catch {
            throw .kernel(error)
        }
        self.bias = bias
        self.weightQuantizer = quantizer
    }

    /// The weight codes as a `[outputFeatures, inputFeatures]` tensor.
    public var weightCodes: Tensor<Int8> { Tensor(unchecked: [outputFeatures, inputFeatures], scalars: weights.codes) }

    /// The weights the layer effectively multiplies by, `Ŵ = s_w·q_w`.
    public var dequantizedWeight: Tensor<Float> {
        let scales = weights.scales
        let n = inputFeatures
        let values = weights.codes.enumerated().map { index, code in
            Float(code) * scales[scales.count == 1 ? 0 : index / n]
        }
        return Tensor(unchecked: [outputFeatures, inputFeatures], scalars: values)
    }

    /// The same layer on another kernel (same codes, same results).
    public func repacked(for kernel: Int8Kernel) throws(ModelError) -> DynamicQuantizedLinear {
        do {
            return DynamicQuantizedLinear(weights: try weights.repacked(for: kernel), bias: bias, weightQuantizer: weightQuantizer)
        } catch {
            throw .kernel(error)
        }
    }

    private init(weights: PackedInt8Weights, bias: [Float], weightQuantizer: Quantizer) {
        self.weights = weights
        self.bias = bias
        self.weightQuantizer = weightQuantizer
    }

    /// Writes `y ≈ x·Wᵀ + b` for `rows` rows of `x` into `output`, quantizing
    /// `x` into `scratch.codes` (steps 2–4 above).
    ///
    /// - Throws: ``ModelError/kernel(_:)`` when `x` holds an infinity (a
    ///   range the activation quantizer cannot scale).
    public func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                        scratch: inout LayerScratch) throws(ModelError) {
        try forward(input, into: output, rows: rows, scratch: &scratch, applyingReLU: false)
    }

    /// ``forward(_:into:rows:scratch:)`` followed by a ``ReLU``, applied by
    /// the kernel as it stores each output: the same floats in one pass
    /// (``Sequential`` runs a `DynamicQuantizedLinear, ReLU` pair this way).
    public func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                        scratch: inout LayerScratch, applyingReLU: Bool) throws(ModelError) {
        do {
            try weights.forward(UnsafeBufferPointer(start: input, count: rows * inputFeatures), rows: rows, bias: bias,
                                into: UnsafeMutableBufferPointer(start: output, count: rows * outputFeatures),
                                workspace: &scratch.codes, applyingReLU: applyingReLU)
        } catch {
            throw .kernel(error)
        }
    }

    /// One code per weight plus the biases (the scales are not counted).
    public var parameterCount: Int { weights.codes.count + bias.count }

    /// Refuses a weight quantizer the int8 kernels cannot use.
    private static func check(_ quantizer: Quantizer, outputFeatures: Int) throws(ModelError) {
        let scheme = quantizer.scheme
        guard scheme.isSigned, scheme.isSymmetric, scheme.bits <= 8 else {
            throw .unsupportedWeightScheme("\(scheme)")
        }
        if let axis = scheme.axis, axis != 0 || scheme.groupSize != nil { throw .unsupportedWeightScheme("\(scheme)") }
        let count = quantizer.params.scales.count
        guard count == 1 || count == outputFeatures else {
            throw .weightScaleCount(expected: outputFeatures, actual: count)
        }
    }
}
