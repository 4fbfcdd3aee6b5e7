/// The int8 matrix product written the way it is defined — read this first.
///
/// For activations `x` (rows × k, uint8 codes with zero-point `z_x`) and
/// weights `W` (n × k, int8 symmetric codes, zero-point 0):
///
///     acc[i, j] = Σ_k (q_x[i, k] − z_x) · q_w[j, k]            (int32)
///     y[i, j]   = (s_x · s_w[j]) · acc[i, j] + b[j]             (float)
///
/// which approximates `x·Wᵀ + b`, because `x ≈ s_x·(q_x − z_x)` and
/// `W[j, ·] ≈ s_w[j]·q_w[j, ·]`.
///
/// **No overflow.** `q_x − z_x` lies in −255...255 and `q_w` in −128...127,
/// so each product has magnitude at most 255·128 = 32,640 and any partial sum
/// of `k` products at most 32,640·k. For k ≤ 65,793
/// (``Int8Kernel/maxInFeatures``) that is ≤ 2,147,483,520 < 2³¹ − 1: the
/// plain, overflow-checked `+` below can never trap. (The fast kernels
/// compute `Σ q_x·q_w − z_x·Σ q_w` instead; both terms obey the same bound.)
///
/// ```swift
/// let acc = ReferenceInt8Kernel.accumulate(
///     x: [130, 0], rows: 1, zeroPoint: 128,
///     weights: [1, -1, 2, 3], outFeatures: 2, inFeatures: 2)   // [2·1 + (−128)·(−1), 2·2 + (−128)·3] = [130, −380]
/// ```
public enum ReferenceInt8Kernel {
    /// `acc[i, j] = Σ_k (x[i, k] − zeroPoint) · weights[j, k]`, row-major.
    ///
    /// Shapes are the caller's promise (``PackedInt8Weights`` checks them
    /// before calling); `inFeatures` must be at most ``Int8Kernel/maxInFeatures``.
    public static func accumulate(
        x: [UInt8], rows: Int, zeroPoint: Int32,
        weights: [Int8], outFeatures: Int, inFeatures: Int
    ) -> [Int32] {
        var acc = [Int32](repeating: 0, count: rows * outFeatures)
        acc.withUnsafeMutableBufferPointer { out in
            x.withUnsafeBufferPointer { x in
                accumulate(x: x, rows: rows, zeroPoint: zeroPoint,
                           weights: weights, outFeatures: outFeatures, inFeatures: inFeatures, into: out)
            }
        }
        return acc
    }

    /// The same product written into a caller-provided buffer of `rows × outFeatures`.
    public static func accumulate(
        x: UnsafeBufferPointer<UInt8>, rows: Int, zeroPoint: Int32,
        weights: [Int8], outFeatures: Int, inFeatures: Int,
        into acc: UnsafeMutableBufferPointer<Int32>
    ) {
        for i in 0..<rows {
            for j in 0..<outFeatures {
                var sum: Int32 = 0
                for k in 0..<inFeatures {
                    let a = Int32(x[i * inFeatures + k]) - zeroPoint   // −255...255
                    let b = Int32(weights[j * inFeatures + k])          // −128...127
                    sum += a * b
                }
                acc[i * outFeatures + j] = sum
            }
        }
    }

    /// `y[i, j] = Float(acc[i, j]) · (inputScale · weightScales[j]) + bias[j]`.
    ///
    /// One float multiply and one float add in this order, never fused — the
    /// fast kernels round the same way, so their outputs are bit-identical.
    /// `weightScales` has one entry per output column; `bias` is optional.
    public static func rescale(
        _ acc: UnsafeBufferPointer<Int32>, rows: Int, columns: Int,
        inputScale: Float, weightScales: [Float], bias: [Float]?,
        into y: UnsafeMutableBufferPointer<Float>
    ) {
        for i in 0..<rows {
            for j in 0..<columns {
                let v = Float(acc[i * columns + j]) * (inputScale * weightScales[j])
                y[i * columns + j] = bias.map { v + $0[j] } ?? v
            }
        }
    }
}
