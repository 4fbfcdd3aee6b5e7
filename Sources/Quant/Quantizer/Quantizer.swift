/// A quantization scheme with its parameters: the value that quantizes,
/// dequantizes and fake-quantizes tensors.
///
/// For each channel or group c (one for per-tensor), in Float32 exactly as
/// PyTorch's CPU kernels (`torch.quantize_per_tensor`, `torch.dequantize`,
/// `torch.fake_quantize_per_tensor_affine` and their per-channel forms):
///
///     quantize(x)   = clamp(round(x · (1/scale_c)) + zp_c, qmin, qmax)   round: half to even
///     dequantize(q) = (q − zp_c) · scale_c
///     fakeQuantize  = dequantize ∘ quantize, in one pass
///
/// Ternary schemes are this with `qmin…qmax = −1…1` and `zp = 0`. Binary
/// schemes replace the rounding by the sign, `quantize(x) = x ≥ 0 ? +1 : −1`
/// (`dequantize` is the same formula, `x̂ = ±scale_c`), so for them 0 is not
/// exact and the error inside `[−scale, scale]` is at most `scale`; the
/// guarantees below are those of the other mappings.
///
/// Guarantees: 0 is exact (`dequantize(quantize(0)) == 0`); a value on the
/// grid, `(q − zp)·scale`, comes back as `q`; for x inside the representable
/// range `[(qmin − zp)·scale, (qmax − zp)·scale]` the error is at most
/// scale/2 (plus a few Float32 roundings, |x|·2⁻²² at worst); values outside
/// are clamped to the nearest end; and quantize is monotone
/// (x ≤ y ⇒ q(x) ≤ q(y)). At an exact tie `x·(1/scale) = k + ½` the result
/// is the even neighbour, and the zero-point is added after rounding (so an
/// odd zero-point does not move the tie). That is what PyTorch's CPU kernels
/// do, but it is a convention, not a law: rounding `x·(1/scale) + zp`, or the
/// textbook `round(x / scale)` with a true division, gives other codes at and
/// near ties, so compare codes across implementations away from ties.
///
/// The loops are vectorised, split over the cores for large tensors, and
/// check for NaN/Inf in the same pass. For hot loops (dynamic quantization of
/// each batch, QAT's fake-quant in every step) the `UnsafeBufferPointer`
/// forms write into caller-provided buffers with no allocation at all.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let x = Tensor(Distribution.normal(mean: 0, standardDeviation: 1).samples(1000, using: &rng))
/// let quantizer = try Quantizer(scheme: QuantScheme(bits: 8), observing: x)
/// let q = try quantizer.quantize(x)          // Tensor<Int32>, codes 0…255
/// let xHat = try quantizer.dequantize(q)     // Tensor<Float>
/// let stats = try QuantizationErrorStats(original: x, reconstructed: xHat)
/// stats.maxAbsError <= quantizer.errorBound[0]   // true
/// ```
public struct Quantizer: Sendable, Hashable {
    /// The bit width, range, mapping and granularity.
    public let scheme: QuantScheme
    /// The scale(s) and zero-point(s).
    public let params: QuantParams
    let constants: QuantizationLoops.Constants

    /// A quantizer with given parameters.
    ///
    /// - Throws: the errors of ``QuantParams/validate(for:)``.
    public init(scheme: QuantScheme, params: QuantParams) throws(QuantError) {
        try params.validate(for: scheme)
        self.scheme = scheme
        self.params = params
        self.constants = QuantizationLoops.Constants(scheme: scheme, params: params)
    }

    /// A quantizer whose parameters are observed from `tensor` (one
    /// `MinMaxObserver`/`PerChannelMinMaxObserver` step, as PyTorch, or per
    /// group; binary and ternary scales from the values).
    ///
    /// - Throws: the errors of ``QuantParams/init(scheme:observing:)``.
    public init(scheme: QuantScheme, observing tensor: Tensor<Float>) throws(QuantError) {
        try self.init(scheme: scheme, params: QuantParams(scheme: scheme, observing: tensor))
    }

    /// The largest error for a value inside the representable range of each
    /// channel or group: half a step, `scale/2` — or, for a binary scheme,
    /// `scale` (a value near 0 goes to `±scale`).
    public var errorBound: [Float] {
        if case .binary = scheme.mapping { return params.scales }
        return params.scales.map { $0 / 2 }
    }

    /// The values that quantize without clamping in `channel` (a channel or
    /// group index): `[(qmin − zp)·scale, (qmax − zp)·scale]`.
    public func representableRange(channel: Int = 0) -> ClosedRange<Float> {
        Float(scheme.qmin - params.zeroPoints[channel]) * params.scales[channel]
            ... Float(scheme.qmax - params.zeroPoints[channel]) * params.scales[channel]
    }

    // MARK: Tensors

    /// The integer codes of `x`.
    ///
    /// - Throws: ``QuantError/nonFiniteValue(index:value:)``, and for a
    ///   per-channel or per-group scheme ``QuantError/axisOutOfBounds(axis:rank:)``,
    ///   ``QuantError/channelCountMismatch(parameterCount:channelCount:)`` or
    ///   ``QuantError/groupCountMismatch(parameterCount:groupCount:)``.
    public func quantize(_ x: Tensor<Float>) throws(QuantError) -> Tensor<Int32> {
        try quantize(x, as: Int32.self)
    }

    /// The integer codes of `x`, stored as `Code` (e.g. `UInt8` for an 8-bit unsigned scheme).
    ///
    /// - Throws: as ``quantize(_:)``, and ``QuantError/codeTypeTooNarrow(type:range:)``.
    public func quantize<Code: QuantizedCode>(_ x: Tensor<Float>, as type: Code.Type) throws(QuantError) -> Tensor<Code> {
        var failure: QuantError?
        let codes = [Code](unsafeUninitializedCapacity: x.count) { buffer, initialized in
            do throws(QuantError) {
                try x.scalars.withUnsafeBufferPointer { (input) throws(QuantError) in
                    try quantize(input, shape: x.shape, into: buffer)
                }
            } catch {
                failure = error
                buffer.initialize(repeating: 0)   // trivial type: any value leaves the array valid
            }
            initialized = x.count
        }
        if let failure { throw failure }
        return Tensor(unchecked: x.shape, scalars: codes)
    }

    /// The real values `(q − zp)·scale` of the codes `q`.
    ///
    /// Codes outside the scheme's range follow the same formula (they cannot
    /// come from ``quantize(_:)``, but a file can hold them).
    ///
    /// - Throws: for a per-channel or per-group scheme, the layout errors of ``quantize(_:)``.
    public func dequantize<Code: QuantizedCode>(_ q: Tensor<Code>) throws(QuantError) -> Tensor<Float> {
        var failure: QuantError?
        let values = [Float](unsafeUninitializedCapacity: q.count) { buffer, initialized in
            do throws(QuantError) {
                try q.scalars.withUnsafeBufferPointer { (codes) throws(QuantError) in
                    try dequantize(codes, shape: q.shape, into: buffer)
                }
            } catch {
                failure = error
                buffer.initialize(repeating: 0)
            }
            initialized = q.count
        }
        if let failure { throw failure }
        return Tensor(unchecked: q.shape, scalars: values)
    }

    /// `dequantize(quantize(x))` in one pass, without materialising the codes:
    /// the forward pass of quantization-aware training's fake-quant nodes
    /// (whose backward pass is the straight-through estimator: gradient 1
    /// inside ``representableRange(channel:)``, 0 outside).
    ///
    /// - Throws: as ``quantize(_:)``.
    public func fakeQuantize(_ x: Tensor<Float>) throws(QuantError) -> Tensor<Float> {
        var failure: QuantError?
        let values = [Float](unsafeUninitializedCapacity: x.count) { buffer, initialized in
            do throws(QuantError) {
                try x.scalars.withUnsafeBufferPointer { (input) throws(QuantError) in
                    try fakeQuantize(input, shape: x.shape, into: buffer)
                }
            } catch {
                failure = error
                buffer.initialize(repeating: 0)
            }
            initialized = x.count
        }
        if let failure { throw failure }
        return Tensor(unchecked: x.shape, scalars: values)
    }
}
