/// A linear layer `y = x·Wᵀ + b` with 4-bit, 2-bit, ternary or binary weights, run
/// by dynamic quantization on kernels that read the bit-packed codes directly:
///
/// 1. **once**: `W` (`out × in`) is quantized to symmetric signed codes
///    `q_w = clamp(round(W / s_w), qmin, qmax)` (zero-point 0) with one scale
///    per output row or per group of `g` consecutive inputs of a row
///    (``weightScheme(for:)``), stored densely (``BitPackedWeights``) and
///    repacked for the kernel (``LowBitWeights``);
/// 2. **every batch**: the input is quantized to uint8 with the batch's own
///    range (``DynamicActivationQuantizer``), as in ``DynamicQuantizedLinear``;
/// 3. per group the integer product is exact in int32,
///    `acc_g[i, j] = Σ_{t ∈ g} (q_x[i, t] − z_x)·q_w[j, t]` (the kernels take
///    the zero-point's share `z_x·Σ_t q_w[j, t]` once per column, ``LowBitWeights``);
/// 4. the groups are rescaled and summed in float, in order, and the bias added:
///    `y[i, j] = Σ_g (s_x·s_w[j, g])·acc_g[i, j] + b[j]`.
///
/// Error: as for the int8 layer, `|y − ŷ| ≤ Σ_t (|W[j,t]|·s_x/2 + |x[i,t]|·s_w[j,g(t)]/2 + s_x·s_w[j,g(t)]/4)`
/// per output against the float layer (plus float rounding), but the weight
/// step `s_w` is 16–64× coarser than int8's, which is why small groups pay.
///
/// ```swift
/// let fc = Linear(inputFeatures: 784, outputFeatures: 256, using: &rng)
/// let q = try LowBitLinear(fc, format: WeightFormat(.int4, groupSize: 32))
/// let y = try q(Tensor(shape: [2, 784], repeating: 0.5))   // [2, 256], ≈ fc's output
/// q.weights.stored.bitsPerWeight                           // 5.0: 4 bits + a Float32 scale per 32
/// ```
public struct LowBitLinear: Layer {
    /// The packed codes and scales, repacked for the kernel.
    public let weights: LowBitWeights
    /// The float biases, one per output, added after the groups.
    public let bias: [Float]

    /// The width of each input row.
    public var inputFeatures: Int { weights.inFeatures }
    /// The width of each output row.
    public var outputFeatures: Int { weights.outFeatures }
    /// The codes' encoding and the scales' group size.
    public var format: WeightFormat { weights.format }
    /// The kernel the products run on.
    public var kernel: Int8Kernel { weights.kernel }

    /// A layer from stored weights and biases (`outFeatures` of them).
    ///
    /// - Throws: ``ModelError/parameterShape(name:expected:found:)`` for a
    ///   bias of another length, ``ModelError/kernel(_:)`` when the kernels
    ///   cannot multiply by `weights` (see ``LowBitWeights/init(_:kernel:)``).
    public init(weights: BitPackedWeights, bias: [Float], kernel: Int8Kernel = .fastest) throws(ModelError) {
        guard bias.count == weights.outFeatures else {
            throw .parameterShape(name: "bias", expected: [weights.outFeatures], found: [bias.count])
        }
        do { self.weights = try LowBitWeights(weights, kernel: kernel) } catch { throw .kernel(error) }
        self.bias = bias
    }

    /// `linear` with its weights quantized to `format` by
    /// ``weightScheme(for:)``'s quantizer, its bias kept in float.
    ///
    /// ```swift
    /// try LowBitLinear(linear, format: WeightFormat(.int4, groupSize: 32))
    /// try LowBitLinear(linear, format: .int2)             // one scale per output row
    /// ```
    public init(_ linear: Linear, format: WeightFormat, kernel: Int8Kernel = .fastest) throws(ModelError) {
        let scheme = try Self.weightScheme(for: format)
        let quantizer: Quantizer, codes: Tensor<Int8>
        do {
            quantizer = try Quantizer(scheme: scheme, observing: linear.weightTensor)
            codes = try quantizer.quantize(linear.weightTensor, as: Int8.self)
        } catch {
            throw .quantization(error)
        }
        let stored: BitPackedWeights
        do {
            stored = try BitPackedWeights(codes: codes.scalars, outFeatures: linear.outputFeatures,
                                          inFeatures: linear.inputFeatures, scales: quantizer.params.scales, format: format)
        } catch {
            throw .kernel(error)
        }
        try self.init(weights: stored, bias: linear.bias, kernel: kernel)
    }

    /// The quantization scheme that makes a format's codes from float weights:
    /// signed and symmetric (zero-point 0, full range: int4 −8...7 with
    /// `s = max|w| / 7.5`, int2 −2...1 with `s = max|w| / 1.5`), TWN's
    /// ternary or XNOR-Net's binary mapping (`s = mean|w|`, codes ±1); per
    /// output row (axis 0), or per group of
    /// `format.groupSize` inputs along axis 1.
    ///
    /// - Throws: ``ModelError/kernel(_:)`` with
    ///   ``Int8KernelError/unsupportedLowBitEncoding(_:)`` for `int8`.
    public static func weightScheme(for format: WeightFormat) throws(ModelError) -> QuantScheme {
        let granularity: QuantScheme.Granularity = format.groupSize.map { .perGroup(axis: 1, size: $0) } ?? .perChannel(axis: 0)
        let mapping: QuantScheme.Mapping
        switch format.encoding {
        case .int4, .int2: mapping = .symmetric(restrictedRange: false)
        case .ternary: mapping = .ternary
        case .binary: mapping = .binary
        case .int8: throw .kernel(.unsupportedLowBitEncoding(format.encoding))
        }
        do {
            return try QuantScheme(bits: format.bitsPerCode, signed: true, mapping: mapping, granularity: granularity)
        } catch {
            throw .quantization(error)
        }
    }

    /// The weights the layer effectively multiplies by, `Ŵ = s_w·q_w`.
    public var dequantizedWeight: Tensor<Float> {
        Tensor(unchecked: [outputFeatures, inputFeatures], scalars: weights.stored.dequantized())
    }

    /// The same layer on another kernel (same codes, same results).
    public func repacked(for kernel: Int8Kernel) throws(ModelError) -> LowBitLinear {
        try LowBitLinear(weights: weights.stored, bias: bias, kernel: kernel)
    }

    /// Writes `y ≈ x·Wᵀ + b` for `rows` rows of `x` into `output`, quantizing
    /// `x` into `scratch.codes` (steps 2–4 above).
    ///
    /// - Throws: ``ModelError/kernel(_:)`` when `x` holds an infinity.
    public func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                        scratch: inout LayerScratch) throws(ModelError) {
        do {
            try weights.forward(UnsafeBufferPointer(start: input, count: rows * inputFeatures), rows: rows, bias: bias,
                                into: UnsafeMutableBufferPointer(start: output, count: rows * outputFeatures),
                                workspace: &scratch.codes)
        } catch {
            throw .kernel(error)
        }
    }

    /// One code per weight plus the biases (the scales are not counted).
    public var parameterCount: Int { outputFeatures * inputFeatures + bias.count }
}
