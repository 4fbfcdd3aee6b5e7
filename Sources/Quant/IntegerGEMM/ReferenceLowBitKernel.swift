/// The low-bit matrix product written the way it is defined — what every
/// fast low-bit kernel must reproduce bit for bit.
///
/// For activations `x` (rows × k, uint8 codes with zero-point `z_x`, scale
/// `s_x`) and weight codes `q_w` (n × k) with one scale per group of
/// `groupSize` consecutive codes of a row, `s_w[j, g]` (the last group of a
/// row shorter when `groupSize` does not divide k; one group per row
/// without groups):
///
///     dot_g[i, j] = Σ_{t ∈ group g} q_x[i, t] · q_w[j, t]              (int32, exact)
///     s_g         = Float(dot_g) · (s_x · s_w[j, g])                    (one rounding each)
///     c_j         = (s_w[j, 0]·S_0 + s_w[j, 1]·S_1) + …                 (S_g = Σ_{t ∈ g} q_w[j, t])
///     y[i, j]     = (((s_0 + s_1) + … + s_{G−1}) − (s_x·z_x)·c_j) + b[j]   (in this order)
///
/// which is `Σ_t s_x(q_x − z_x)·s_w q_w + b` up to float rounding: the
/// zero-point's share depends on the column only, so the kernels take it
/// once per column (`c_j` is computed when the weights are packed) instead
/// of once per group, and for `z_x = 0` it is exactly 0. Each group's sum is
/// exact (`q_x ≤ 255` and `|q_w| ≤ 8`, far inside int32 for k ≤
/// ``Int8Kernel/maxInFeatures``); the float steps are written one operation
/// at a time, which Swift never fuses into an FMA.
///
/// ```swift
/// let y = ReferenceLowBitKernel.multiply(
///     x: [130, 0], rows: 1, activation: try .init(scale: 0.5, zeroPoint: 128),
///     codes: [1, -1, 2, 3], scales: [0.25, 1], outFeatures: 2, inFeatures: 2, groupSize: nil, bias: nil)
/// // dot = [130, 260], c = [0·0.25, 5·1] = [0, 5], s_x·z = 64
/// // y = [130·0.125 − 64·0, 260·0.5 − 64·5] = [16.25, −190]
/// ```
public enum ReferenceLowBitKernel {
    /// `y` (rows × outFeatures, row-major) as defined above. `codes` are
    /// row-major `outFeatures × inFeatures`; `scales` has one entry per
    /// group of each row (index `j · groupsPerRow + g`); `bias` has
    /// `outFeatures` entries or is nil. Shapes are the caller's promise
    /// (``LowBitWeights`` checks them before calling).
    public static func multiply(
        x: [UInt8], rows: Int, activation: DynamicActivationQuantizer.Parameters, codes: [Int8], scales: [Float],
        outFeatures: Int, inFeatures: Int, groupSize: Int?, bias: [Float]?
    ) -> [Float] {
        var y = [Float](repeating: 0, count: rows * outFeatures)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                multiply(x: x, rows: rows, activation: activation, codes: codes, scales: scales,
                         outFeatures: outFeatures, inFeatures: inFeatures, groupSize: groupSize, bias: bias, into: y)
            }
        }
        return y
    }

    /// ``multiply(x:rows:activation:codes:scales:outFeatures:inFeatures:groupSize:bias:)`` into a caller's buffer.
    public static func multiply(
        x: UnsafeBufferPointer<UInt8>, rows: Int, activation: DynamicActivationQuantizer.Parameters, codes: [Int8],
        scales: [Float], outFeatures: Int, inFeatures: Int, groupSize: Int?, bias: [Float]?,
        into y: UnsafeMutableBufferPointer<Float>
    ) {
        let length = groupSize ?? Swift.max(inFeatures, 1)
        let groups = groupSize == nil ? 1 : (inFeatures + length - 1) / length
        let zeroPointScale = activation.scale * Float(activation.zeroPoint)
        let weighted = (0..<outFeatures).map { j in
            var c: Float = 0
            for g in 0..<groups {
                var sum: Int32 = 0
                for t in (g * length)..<Swift.min((g + 1) * length, inFeatures) { sum += Int32(codes[j * inFeatures + t]) }
                let term = scales[j * groups + g] * Float(sum)
                c = g == 0 ? term : c + term
            }
            return c
        }
        for i in 0..<rows {
            for j in 0..<outFeatures {
                var sum: Float = 0
                for g in 0..<groups {
                    var dot: Int32 = 0
                    for t in (g * length)..<Swift.min((g + 1) * length, inFeatures) {
                        dot += Int32(x[i * inFeatures + t]) * Int32(codes[j * inFeatures + t])
                    }
                    let term = Float(dot) * (activation.scale * scales[j * groups + g])
                    sum = g == 0 ? term : sum + term
                }
                if groups > 0 { sum = sum - zeroPointScale * weighted[j] }
                y[i * outFeatures + j] = bias.map { sum + $0[j] } ?? sum
            }
        }
    }
}
