extension ReferenceInt8Kernel {
    /// Integer-only requantization of int32 accumulators to uint8 codes, as
    /// TFLite's reference kernels do it:
    ///
    ///     a       = acc[i, j] + bias[j]                                  (int32)
    ///     y[i, j] = clamp(z_y + multipliers[j].apply(a), outputRange)    (uint8)
    ///
    /// `multipliers[j]` stands for `M[j] = s_x · s_w[j] / s_y` and `bias` is
    /// quantized with scale `s_x · s_w[j]`, so `y ≈ z_y + (s_x·s_w[j]·acc + b) / s_y`:
    /// the uint8 code of the layer's float output. A following ReLU folds into
    /// `outputRange` (lower bound `z_y`).
    ///
    /// **No overflow.** `|acc| ≤ 32,640 · inFeatures`, and the caller keeps
    /// `|bias[j]|` within `Int32.max − 32,640 · inFeatures`
    /// (``PackedInt8Weights/requantizedBiasLimit``), so `acc + bias` is an
    /// int32; ``FixedPointMultiplier/apply(_:)`` is defined for every int32;
    /// and `z_y` is added after clamping to `outputRange − z_y`, so that sum
    /// stays in 0...255. `multipliers` and `bias` have one entry per column.
    public static func requantize(
        _ acc: UnsafeBufferPointer<Int32>, rows: Int, columns: Int, bias: [Int32]?,
        multipliers: [FixedPointMultiplier], outputZeroPoint: Int32, outputRange: ClosedRange<UInt8>,
        into y: UnsafeMutableBufferPointer<UInt8>
    ) {
        let low = Int32(outputRange.lowerBound) - outputZeroPoint
        let high = Int32(outputRange.upperBound) - outputZeroPoint
        for i in 0..<rows {
            for j in 0..<columns {
                let a = acc[i * columns + j] + (bias?[j] ?? 0)
                let v = multipliers[j].apply(a)
                y[i * columns + j] = UInt8(outputZeroPoint + Swift.min(Swift.max(v, low), high))
            }
        }
    }
}
