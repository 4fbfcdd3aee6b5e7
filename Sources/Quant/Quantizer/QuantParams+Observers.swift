extension QuantParams {
    /// The smallest scale an observer returns: Float32's machine epsilon,
    /// 2⁻²³, as PyTorch's observers (`torch.finfo(torch.float32).eps`). It
    /// keeps a constant or all-zero tensor from getting a zero scale.
    public static let minimumScale: Float = .ulpOfOne

    /// Parameters from observed ranges, exactly as PyTorch's `MinMaxObserver`
    /// and `PerChannelMinMaxObserver` compute them (`_calculate_qparams`),
    /// in the same Float32 operations so that the results agree bit for bit.
    ///
    /// With `min⁻ = min(min, 0)` and `max⁺ = max(max, 0)` (the range is
    /// widened to include 0, so that 0 is exactly representable — zero
    /// padding and ReLU outputs must survive quantization exactly):
    ///
    /// - affine: `scale = max((max⁺ − min⁻) / (qmax − qmin), ε)`,
    ///   `zeroPoint = clamp(qmin − round(min⁻ / scale), qmin, qmax)`;
    /// - symmetric: `scale = max(max(−min⁻, max⁺) / ((qmax − qmin) / 2), ε)`,
    ///   `zeroPoint` = 0 (signed) or 2ᵇ⁻¹ (unsigned),
    ///
    /// where `round` is half-to-even and `ε` is ``minimumScale``. Per-group
    /// schemes use the same formulas on each group's range.
    ///
    /// - Parameters:
    ///   - min: the observed minimum of each channel or group (one entry per tensor).
    ///   - max: the observed maximum of each channel or group.
    /// - Throws: ``QuantError/scalesNeedValues(_:)`` for a binary or ternary
    ///   scheme (use ``init(scheme:observing:)``), ``QuantError/emptyTensor`` for empty lists,
    ///   ``QuantError/channelCountMismatch(parameterCount:channelCount:)``
    ///   when the lists differ in length (or a per-tensor scheme gets more
    ///   than one), ``QuantError/nonFiniteValue(index:value:)`` for a
    ///   non-finite bound, ``QuantError/rangeTooWide(min:max:)`` when
    ///   `max⁺ − min⁻` overflows Float32.
    public init(scheme: QuantScheme, min: [Float], max: [Float]) throws(QuantError) {
        switch scheme.mapping {
        case .binary, .ternary: throw .scalesNeedValues(scheme.mapping)
        case .affine, .symmetric: break
        }
        guard !min.isEmpty else { throw .emptyTensor }
        guard min.count == max.count else {
            throw .channelCountMismatch(parameterCount: min.count, channelCount: max.count)
        }
        if scheme.axis == nil, min.count != 1 {
            throw .channelCountMismatch(parameterCount: min.count, channelCount: 1)
        }
        let qmin = scheme.qmin, qmax = scheme.qmax
        var scales = [Float](), zeroPoints = [Int32]()
        scales.reserveCapacity(min.count)
        zeroPoints.reserveCapacity(min.count)
        for (channel, (lo, hi)) in zip(min, max).enumerated() {
            guard lo.isFinite else { throw .nonFiniteValue(index: channel, value: lo) }
            guard hi.isFinite else { throw .nonFiniteValue(index: channel, value: hi) }
            let minNeg = Swift.min(lo, 0), maxPos = Swift.max(hi, 0)
            if let zeroPoint = scheme.symmetricZeroPoint {
                let halfRange = Float(Double(qmax - qmin) / 2)   // exact: ≤ 2¹⁶ with one fractional bit
                let scale = Swift.max(Swift.max(-minNeg, maxPos) / halfRange, Self.minimumScale)
                scales.append(scale)
                zeroPoints.append(zeroPoint)
            } else {
                guard let (scale, zeroPoint) = Self.affine(minNegative: minNeg, maxPositive: maxPos, qmin: qmin, qmax: qmax) else {
                    throw .rangeTooWide(min: lo, max: hi)
                }
                scales.append(scale)
                zeroPoints.append(zeroPoint)
            }
        }
        try self.init(scales: scales, zeroPoints: zeroPoints)
    }

    /// The affine scale and zero-point of one channel whose range, widened
    /// to include 0, is `[minNegative, maxPositive]`: the formula of
    /// ``init(scheme:min:max:)`` without allocating, shared with the run-time
    /// activation quantizer (``DynamicActivationQuantizer``) so that the two
    /// agree bit for bit. `nil` when `maxPositive − minNegative` overflows Float32.
    static func affine(minNegative: Float, maxPositive: Float, qmin: Int32, qmax: Int32) -> (scale: Float, zeroPoint: Int32)? {
        let width = maxPositive - minNegative
        guard width.isFinite else { return nil }
        let scale = Swift.max(width / Float(qmax - qmin), minimumScale)
        // |min⁻/scale| ≤ qmax − qmin, so the conversion cannot overflow.
        let shift = Int32((minNegative / scale).rounded(.toNearestOrEven))
        return (scale, Swift.min(Swift.max(qmin - shift, qmin), qmax))
    }

    /// Parameters observed from `tensor`, per slot of the scheme's
    /// granularity (the whole tensor, each channel, or each group).
    ///
    /// Affine and symmetric schemes use the range, as one call of PyTorch's
    /// `MinMaxObserver`/`PerChannelMinMaxObserver` followed by
    /// `calculate_qparams()` (per group: the same on each group's range).
    /// Binary and ternary schemes use the values themselves: `mean|x|`
    /// (``QuantScheme/Mapping/binary``) and TWN's thresholded mean
    /// (``QuantScheme/Mapping/ternary``), zero-point 0.
    ///
    /// - Throws: the errors of ``TensorRange/init(of:granularity:)`` and
    ///   ``init(scheme:min:max:)``.
    public init(scheme: QuantScheme, observing tensor: Tensor<Float>) throws(QuantError) {
        switch scheme.mapping {
        case .binary:
            try self.init(binaryObserving: tensor, scheme: scheme)
        case .ternary:
            try self.init(ternaryObserving: tensor, scheme: scheme)
        case .affine, .symmetric:
            let range = try TensorRange(of: tensor, granularity: scheme.granularity)
            try self.init(scheme: scheme, min: range.min, max: range.max)
        }
    }
}
