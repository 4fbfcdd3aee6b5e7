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

    typealias Lanes = SIMD8<Float>

    /// `round(t)` for `t` clamped to `[lower − 1, upper + 1]` (the clamp keeps
    /// the trick exact and changes no inside/outside decision).
    @inline(__always)
    private static func rounded(_ t: Lanes, lower: Lanes, upper: Lanes) -> Lanes {
        let magic = Lanes(repeating: QuantizationLoops.magic)
        return (clamp(t, lower - 1, upper + 1) + magic) - magic
    }

    /// `min(max(v, lower), upper)` lane by lane, as selects (the generic
    /// `pointwiseMin`/`pointwiseMax` do not compile to single instructions).
    @inline(__always)
    private static func clamp(_ v: Lanes, _ lower: Lanes, _ upper: Lanes) -> Lanes {
        v.replacing(with: lower, where: v .< lower).replacing(with: upper, where: v .> upper)
    }

    /// `count` elements as whole blocks of 16 lanes and a zero-padded tail
    /// block: `(offset, valid)` pairs. The pointers of the loops below may
    /// alias (each reads a block before writing it), which is why the lanes
    /// are spelled out instead of left to the auto-vectoriser.
    @inline(__always)
    private static func blocks(_ count: Int) -> StrideTo<Int> { stride(from: 0, to: count, by: Lanes.scalarCount) }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>, _ i: Int, _ count: Int) -> Lanes {
        if i + Lanes.scalarCount <= count { return UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self) }
        var v = Lanes()
        for j in 0..<(count - i) { v[j] = p[i + j] }
        return v
    }

    @inline(__always)
    private static func storeBlock(_ v: Lanes, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ count: Int) {
        if i + Lanes.scalarCount <= count { return UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: Lanes.self) }
        for j in 0..<(count - i) { p[i + j] = v[j] }
    }

    /// `y[i] = x̂(x[i])`; `y` may be `x` (the shared quantizer loop, ``QuantizationLoops``).
    func fakeQuantize(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        _ = QuantizationLoops.fakeQuantize(x, y, count: count, inverseScale: inverseScale, lower: lower, upper: upper, scale: scale)
    }

    /// `dx[i] = dy[i]` where `x[i]`'s code is inside the range, else 0 (the STE); `dx` may be `dy`.
    func passGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>, count: Int) {
        let inverse = Lanes(repeating: inverseScale)
        let (lo, hi) = (Lanes(repeating: lower), Lanes(repeating: upper))
        for i in Self.blocks(count) {
            let r = Self.rounded(Self.load(x, i, count) * inverse, lower: lo, upper: hi)
            Self.storeBlock(Self.load(dy, i, count).replacing(with: 0, where: (r .< lo) .| (r .> hi)), dx, i, count)
        }
    }

    /// LSQ's backward pass in one sweep over the data: returns
    /// `Σ dy[i] · ∂x̂/∂s (x[i])`, the step-size gradient before its scale
    /// factor, and turns `dy` into `∂L/∂x` in place (the STE: zeroed where the
    /// code clamps). One pass instead of two halves the memory traffic of
    /// LSQ's backward, which reads every weight and input once more than STE's.
    func stepGradientMaskingInPlace(_ x: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>, count: Int) -> Float {
        let inverse = Lanes(repeating: inverseScale)
        let (lo, hi) = (Lanes(repeating: lower), Lanes(repeating: upper))
        var sum = Lanes()
        for i in Self.blocks(count) {
            let t = Self.load(x, i, count) * inverse
            let r = Self.rounded(t, lower: lo, upper: hi)
            let outside = (r .< lo) .| (r .> hi)
            let d = (r - t).replacing(with: lo, where: r .< lo).replacing(with: hi, where: r .> hi)
            let g = Self.load(dy, i, count)
            sum += g * d
            Self.storeBlock(g.replacing(with: 0, where: outside), dy, i, count)
        }
        return sum.sum()
    }

    /// `Σ dy[i]` over the elements whose code clamps at the top: PACT's
    /// clipping-level gradient (`∂x̂/∂α = 1` above the range, 0 inside).
    func clippedGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, count: Int) -> Float {
        let inverse = Lanes(repeating: inverseScale)
        let (lo, hi) = (Lanes(repeating: lower), Lanes(repeating: upper))
        var sum = Lanes()
        for i in Self.blocks(count) {
            let r = Self.rounded(Self.load(x, i, count) * inverse, lower: lo, upper: hi)
            sum += Self.load(dy, i, count).replacing(with: 0, where: r .<= hi)
        }
        return sum.sum()
    }

    /// The smallest and largest of `count` values, and the largest magnitude.
    static func extremes(_ x: UnsafePointer<Float>, count: Int) -> (min: Float, max: Float, maxAbs: Float) {
        guard count > 0 else { return (0, 0, 0) }
        var lo = Lanes(repeating: x[0]), hi = lo
        for i in blocks(count) {
            var v = load(x, i, count)
            if i + Lanes.scalarCount > count { for j in (count - i)..<Lanes.scalarCount { v[j] = x[0] } }
            lo = lo.replacing(with: v, where: v .< lo)
            hi = hi.replacing(with: v, where: v .> hi)
        }
        let (a, b) = (lo.min(), hi.max())
        return (a, b, Swift.max(-a, b))
    }
}
