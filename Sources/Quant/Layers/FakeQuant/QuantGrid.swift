/// One uniform grid of a fake-quantizer: step `scale`, integer `zeroPoint`
/// and codes `qmin…qmax`, in the form the loops use.
///
/// With `t = x / scale` (computed as `x · (1/scale)`, as PyTorch's kernels
/// do), `lower = qmin − z` and `upper = qmax − z`:
///
/// - forward: `x̂ = scale · clamp(round(t), lower, upper)`, which is
///   `(clamp(round(x/s) + z, qmin, qmax) − z) · s` (the bounds are integers,
///   so clamping before or after rounding gives the same code);
/// - the straight-through estimator (STE): `∂x̂/∂x = 1` where the code is
///   inside the range, `lower ≤ round(t) ≤ upper`, and 0 where it clamps
///   (PyTorch's `fake_quantize_per_tensor_affine` backward mask);
/// - LSQ's step-size derivative (Esser et al. 2019): `∂x̂/∂s = round(t) − t`
///   inside, `lower` below, `upper` above.
///
/// Rounding is half to even by the 1.5·2²³ trick of ``QuantizationLoops``,
/// so these loops vectorise without a libm call per element.
struct QuantGrid: Sendable, Hashable {
    var scale: Float
    var zeroPoint: Int32
    var qmin: Int32
    var qmax: Int32

    var inverseScale: Float { 1 / scale }
    var lower: Float { Float(qmin - zeroPoint) }
    var upper: Float { Float(qmax - zeroPoint) }

    /// `round(t)` for `t` clamped to `[lower − 1, upper + 1]` (the clamp keeps
    /// the trick exact and changes no inside/outside decision).
    @inline(__always)
    private static func rounded(_ t: Float, lower: Float, upper: Float) -> Float {
        let c = Swift.min(Swift.max(t, lower - 1), upper + 1)
        return (c + QuantizationLoops.magic) - QuantizationLoops.magic
    }

    /// `y[i] = x̂(x[i])`; `y` may be `x`.
    func fakeQuantize(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        let (inverse, s, lo, hi) = (inverseScale, scale, lower, upper)
        for i in 0..<count {
            let r = Self.rounded(x[i] * inverse, lower: lo, upper: hi)
            y[i] = s * Swift.min(Swift.max(r, lo), hi)
        }
    }

    /// `dx[i] = dy[i]` where `x[i]`'s code is inside the range, else 0 (the STE); `dx` may be `dy`.
    func passGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>, count: Int) {
        let (inverse, lo, hi) = (inverseScale, lower, upper)
        for i in 0..<count {
            let r = Self.rounded(x[i] * inverse, lower: lo, upper: hi)
            dx[i] = r >= lo && r <= hi ? dy[i] : 0
        }
    }

    /// `Σ dy[i] · ∂x̂/∂s (x[i])`, LSQ's step-size gradient before its scale factor.
    func stepGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, count: Int) -> Float {
        let (inverse, lo, hi) = (inverseScale, lower, upper)
        var sum: Float = 0
        for i in 0..<count {
            let t = x[i] * inverse
            let r = Self.rounded(t, lower: lo, upper: hi)
            let d = r < lo ? lo : (r > hi ? hi : r - t)
            sum += dy[i] * d
        }
        return sum
    }

    /// `Σ dy[i]` over the elements whose code clamps at the top: PACT's
    /// clipping-level gradient (`∂x̂/∂α = 1` above the range, 0 inside).
    func clippedGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, count: Int) -> Float {
        let (inverse, lo, hi) = (inverseScale, lower, upper)
        var sum: Float = 0
        for i in 0..<count where Self.rounded(x[i] * inverse, lower: lo, upper: hi) > hi { sum += dy[i] }
        return sum
    }
}
