import CIntegerGEMM

/// The requantized product of integer-only inference: uint8 codes in, uint8
/// codes out, no floating point on the way.
///
///     acc = Σ_k (q_x − z_x)·q_w                                       (int32, exact)
///     q_y = clamp(z_y + M[j]·(acc + bias[j]), outputRange)            (fixed point)
///
/// where `M[j] = s_x·s_w[j] / s_y` is a ``FixedPointMultiplier`` and the
/// int32 `bias` is the float bias quantized with scale `s_x·s_w[j]`. The
/// output codes feed the next layer directly (their scale `s_y` and
/// zero-point `z_y` are that layer's input parameters), so a whole network
/// runs on integers — TFLite's scheme. The weights' float ``scales`` are not
/// used: `M[j]` carries them.
extension PackedInt8Weights {
    /// The largest `|bias[j]|` a requantized product accepts at this
    /// `inFeatures`: `Int32.max − 32,640 · inFeatures`, so that `acc + bias`
    /// fits int32 (`|acc| ≤ 32,640 · inFeatures`). At least 127, even at
    /// ``Int8Kernel/maxInFeatures``; about 2.1 · 10⁹ for the usual layers.
    public var requantizedBiasLimit: Int32 {
        Int32(Int(Int32.max) - Int(IGEMM_MAX_PRODUCT) * inFeatures)
    }

    /// Writes `y[i, j] = clamp(z_y + M[j]·(Σ_k (x[i, k] − z_x)·codes[j, k] + bias[j]), outputRange)`,
    /// row-major `rows × outFeatures`.
    ///
    /// - `multipliers`: one per output column (per channel), or one for all;
    /// - `bias`: `outFeatures` int32 values (or `nil`), each within ±``requantizedBiasLimit``;
    /// - `outputRange`: the clamp, where a following activation folds in
    ///   (ReLU: `outputZeroPoint...255`).
    ///
    /// The reference kernel runs the readable Swift
    /// (``ReferenceInt8Kernel/requantize(_:rows:columns:bias:multipliers:outputZeroPoint:outputRange:into:)``,
    /// through an int32 buffer it allocates); the fast kernels requantize each
    /// tile's accumulators in registers (`igemm_gemm_u8`). Every kernel and
    /// every split over the cores gives the same bytes.
    ///
    /// - Throws: ``Int8KernelError`` when the sizes do not match the shape, a
    ///   zero-point is outside 0...255, the multiplier count is neither 1 nor
    ///   `outFeatures`, or a bias exceeds ``requantizedBiasLimit``.
    public func multiplyRequantized(
        _ x: UnsafeBufferPointer<UInt8>, rows: Int, inputZeroPoint: Int32,
        bias: [Int32]?, multipliers: [FixedPointMultiplier], outputZeroPoint: Int32,
        outputRange: ClosedRange<UInt8> = 0...255,
        into y: UnsafeMutableBufferPointer<UInt8>, parallel: Bool = true
    ) throws(Int8KernelError) {
        try check(inputCount: x.count, rows: rows, outputCount: y.count, zeroPoint: inputZeroPoint)
        guard (0...255).contains(outputZeroPoint) else { throw .zeroPointOutOfRange(outputZeroPoint) }
        guard multipliers.count == 1 || multipliers.count == outFeatures else {
            throw .multiplierCount(expectedPerChannel: outFeatures, actual: multipliers.count)
        }
        if let bias {
            guard bias.count == outFeatures else { throw .sizeMismatch(name: "bias", expected: outFeatures, actual: bias.count) }
            let limit = requantizedBiasLimit
            if let bad = bias.firstIndex(where: { $0 > limit || $0 < -limit }) {
                throw .biasOutOfRange(index: bad, value: bias[bad], limit: limit)
            }
        }
        if rows == 0 || outFeatures == 0 { return }
        let perColumn = multipliers.count == outFeatures
            ? multipliers : Array(repeating: multipliers[0], count: outFeatures)

        guard case .fast(let path) = kernel else {
            // The reference: the readable product, then the readable requantization.
            var acc = [Int32](repeating: 0, count: rows * outFeatures)
            acc.withUnsafeMutableBufferPointer { acc in
                ReferenceInt8Kernel.accumulate(x: x, rows: rows, zeroPoint: inputZeroPoint, weights: codes,
                                               outFeatures: outFeatures, inFeatures: inFeatures, into: acc)
                ReferenceInt8Kernel.requantize(UnsafeBufferPointer(acc), rows: rows, columns: outFeatures,
                                               bias: bias, multipliers: perColumn, outputZeroPoint: outputZeroPoint,
                                               outputRange: outputRange, into: y)
            }
            return
        }
        let n = outFeatures
        // The C kernel takes the multipliers and shifts as two int32 arrays.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * n) { fixedPoint in
            let (multiplier, shift) = (fixedPoint.baseAddress!, fixedPoint.baseAddress! + n)
            for (j, m) in perColumn.enumerated() {
                multiplier[j] = m.multiplier
                shift[j] = m.shift
            }
            withOptionalBuffer(bias) { bias in
                requantizedProduct(path, x.baseAddress, rows: rows, inputZeroPoint: inputZeroPoint, bias: bias,
                                   multiplier: multiplier, shift: shift, outputZeroPoint: outputZeroPoint,
                                   outputRange: outputRange, into: y.baseAddress!, parallel: parallel)
            }
        }
    }

    /// The fast path's requantized product, with one multiplier and shift
    /// per output already in the C kernel's two int32 arrays — for callers
    /// that prepare them once per layer rather than once per batch
    /// (``IntegerLinearStage``). The caller has checked what
    /// ``multiplyRequantized(_:rows:inputZeroPoint:bias:multipliers:outputZeroPoint:outputRange:into:parallel:)``
    /// checks. `x` is nil only when `inFeatures` is 0.
    func requantizedProduct(
        _ path: Int8Kernel.SIMDPath, _ x: UnsafePointer<UInt8>?, rows: Int, inputZeroPoint: Int32,
        bias: UnsafePointer<Int32>?, multiplier: UnsafePointer<Int32>, shift: UnsafePointer<Int32>,
        outputZeroPoint: Int32, outputRange: ClosedRange<UInt8>, into y: UnsafeMutablePointer<UInt8>, parallel: Bool
    ) {
        let (n, k) = (outFeatures, inFeatures)
        withWeights { weights, sums in
            split(rows: rows, parallel: parallel) { first, count in
                igemm_gemm_u8(path.isa, count, n, k, x.map { $0 + first * k }, k, inputZeroPoint,
                              weights, sums, bias, multiplier, shift, outputZeroPoint,
                              outputRange.lowerBound, outputRange.upperBound, y + first * n, n)
            }
        }
    }

    /// ``multiplyRequantized(_:rows:inputZeroPoint:bias:multipliers:outputZeroPoint:outputRange:into:parallel:)``
    /// on an array, returning the `rows × outFeatures` codes as a new array.
    public func multiplyRequantized(
        _ x: [UInt8], rows: Int, inputZeroPoint: Int32, bias: [Int32]?, multipliers: [FixedPointMultiplier],
        outputZeroPoint: Int32, outputRange: ClosedRange<UInt8> = 0...255, parallel: Bool = true
    ) throws(Int8KernelError) -> [UInt8] {
        var y = [UInt8](repeating: 0, count: Swift.max(rows, 0) * outFeatures)
        try y.withUnsafeMutableBufferPointer { y throws(Int8KernelError) in
            try x.withUnsafeBufferPointer { x throws(Int8KernelError) in
                try multiplyRequantized(x, rows: rows, inputZeroPoint: inputZeroPoint, bias: bias,
                                        multipliers: multipliers, outputZeroPoint: outputZeroPoint,
                                        outputRange: outputRange, into: y, parallel: parallel)
            }
        }
        return y
    }
}
