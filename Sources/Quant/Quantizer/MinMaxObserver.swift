/// Tracks the running minimum and maximum of the tensors it sees and turns
/// them into quantization parameters: PyTorch's `MinMaxObserver` (per-tensor
/// schemes) and `PerChannelMinMaxObserver` (per-channel schemes) in one type,
/// and the same per group for per-group schemes.
///
/// A range does not determine binary or ternary scales (they are means of
/// the values), so for those schemes ``params()`` throws
/// ``QuantError/scalesNeedValues(_:)``: observe the tensor itself with
/// ``QuantParams/init(scheme:observing:)``.
///
/// Post-training static quantization runs a few calibration batches through
/// a model with an observer on each activation, then freezes the parameters;
/// dynamic quantization observes each batch afresh. Both are this type.
///
/// ```swift
/// var observer = MinMaxObserver(scheme: try QuantScheme(bits: 8))
/// for batch in calibrationBatches { try observer.observe(batch) }
/// let quantizer = try observer.quantizer()
/// let codes = try quantizer.quantize(batch)
/// ```
public struct MinMaxObserver: Sendable, Hashable {
    /// The scheme the parameters are computed for.
    public let scheme: QuantScheme
    /// The range seen so far, or `nil` before the first tensor.
    public private(set) var range: TensorRange?

    /// An observer that has seen nothing yet.
    public init(scheme: QuantScheme) {
        self.scheme = scheme
    }

    /// Widens the range to include `tensor`.
    ///
    /// - Throws: the errors of ``TensorRange/init(of:granularity:)``, and
    ///   ``QuantError/channelCountMismatch(parameterCount:channelCount:)`` when
    ///   the channel (or group) count differs from earlier tensors.
    public mutating func observe(_ tensor: Tensor<Float>) throws(QuantError) {
        let batch = try TensorRange(of: tensor, granularity: scheme.granularity)
        if range == nil {
            range = batch
        } else {
            try range!.formUnion(batch)
        }
    }

    /// The parameters for the range seen so far (PyTorch's `calculate_qparams()`).
    ///
    /// - Throws: ``QuantError/emptyTensor`` before anything was observed, and
    ///   the errors of ``QuantParams/init(scheme:min:max:)``.
    public func params() throws(QuantError) -> QuantParams {
        guard let range else { throw .emptyTensor }
        return try QuantParams(scheme: scheme, min: range.min, max: range.max)
    }

    /// A quantizer with ``params()``.
    public func quantizer() throws(QuantError) -> Quantizer {
        try Quantizer(scheme: scheme, params: params())
    }
}
