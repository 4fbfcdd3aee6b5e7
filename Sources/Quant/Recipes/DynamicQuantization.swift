/// How a float model is turned into a dynamically quantized one: the
/// weight scheme and the int8 kernel.
///
/// Weights are quantized once, symmetric and signed (zero-point 0, so that
/// the integer product needs no weight offset), over the **full** code range
/// `−2ᵇ⁻¹ … 2ᵇ⁻¹−1`: `s_w = max|W| / ((qmax − qmin) / 2)` (`max|W| / 127.5`
/// at 8 bits). That is PyTorch's default dynamic qconfig exactly
/// (`MinMaxObserver`/`PerChannelMinMaxObserver`, `qint8`,
/// `per_tensor_symmetric`/`per_channel_symmetric`, `quant_min −128`), so a
/// model quantized here and by `torch.ao.quantization.quantize_dynamic` gets
/// the same weight codes. The restricted range (−127…127, `s_w = max|W|/127`)
/// would make the grid symmetric at the cost of 0.4 % coarser steps; it buys
/// nothing here because the kernels accumulate in int32 without saturation.
///
/// Activations are not configured: they are quantized per batch at run time
/// to uint8 from the batch's own min/max (see ``DynamicActivationQuantizer``).
///
/// `weightBits` below 8 keeps the codes in int8 storage and the same kernels
/// (a 4-bit model is an int8 model whose codes use −8…7), which is how the
/// low-bit experiments reuse this path.
///
/// ```swift
/// let int8 = try model.quantized(with: DynamicQuantization.perChannel)   // every Linear → DynamicQuantizedLinear
/// let four = try model.quantized(with: DynamicQuantization(granularity: .perChannel, weightBits: 4))
/// let fc1 = try DynamicQuantization.perTensor.quantize(linear)            // one layer
/// ```
///
/// As a ``QuantizationRecipe`` it needs no calibration data (activation
/// ranges are found per batch at run time) and converts every ``Linear``.
public struct DynamicQuantization: QuantizationRecipe, Hashable {
    /// One weight scale for the whole layer, or one per output channel (row of `W`).
    public enum Granularity: String, Sendable, Hashable, CaseIterable {
        case perTensor = "per-tensor"
        case perChannel = "per-channel"
    }

    /// Per tensor or per output channel.
    public var granularity: Granularity
    /// Bits of the weight codes, 2…8 (stored as int8 either way).
    public var weightBits: Int
    /// The kernel every quantized layer multiplies with.
    public var kernel: Int8Kernel

    /// A configuration; throws when `weightBits` is outside 2…8.
    public init(granularity: Granularity, weightBits: Int = 8, kernel: Int8Kernel = .fastest) throws(ModelError) {
        guard (2...8).contains(weightBits) else { throw .weightBits(weightBits, supported: 2...8) }
        self.granularity = granularity
        self.weightBits = weightBits
        self.kernel = kernel
    }

    /// 8-bit weights with one scale per layer: PyTorch's `default_dynamic_qconfig`.
    public static let perTensor = DynamicQuantization(unchecked: .perTensor)
    /// 8-bit weights with one scale per output channel: PyTorch's `per_channel_dynamic_qconfig`.
    public static let perChannel = DynamicQuantization(unchecked: .perChannel)

    private init(unchecked granularity: Granularity) {
        self.granularity = granularity
        self.weightBits = 8
        self.kernel = .fastest
    }

    /// The weight scheme: signed, symmetric over the full range, per tensor
    /// or per channel along axis 0 (the output rows of `W`).
    public func weightScheme() throws(ModelError) -> QuantScheme {
        do {
            return try QuantScheme(bits: weightBits, signed: true, mapping: .symmetric(restrictedRange: false),
                                   granularity: granularity == .perTensor ? .perTensor : .perChannel(axis: 0))
        } catch {
            throw .quantization(error)
        }
    }

    /// `linear` with int8 weights and run-time uint8 activations: the weight
    /// scheme from this configuration, its scales from the weights' own range
    /// (PyTorch's min/max observers).
    public func quantize(_ linear: Linear) throws(ModelError) -> DynamicQuantizedLinear {
        let scheme = try weightScheme()
        let quantizer: Quantizer
        do { quantizer = try Quantizer(scheme: scheme, observing: linear.weightTensor) } catch { throw .quantization(error) }
        return try DynamicQuantizedLinear(linear, weightQuantizer: quantizer, kernel: kernel)
    }

    /// No calibration: activations are quantized per batch at run time.
    public func calibrator(for layer: any Layer, at index: Int) -> (any Calibrator)? { nil }

    /// Every ``Linear`` becomes a ``DynamicQuantizedLinear``; other layers stay.
    public func convert(_ layer: any Layer, at index: Int, calibrated: (any Calibrator)?) throws(ModelError) -> (any Layer)? {
        guard let linear = layer as? Linear else { return nil }
        return try quantize(linear)
    }
}

extension QuantizationRecipe where Self == DynamicQuantization {
    /// `model.quantized(with: .perTensor)`: ``DynamicQuantization/perTensor``.
    public static var perTensor: DynamicQuantization { DynamicQuantization.perTensor }
    /// `model.quantized(with: .perChannel)`: ``DynamicQuantization/perChannel``.
    public static var perChannel: DynamicQuantization { DynamicQuantization.perChannel }
}
