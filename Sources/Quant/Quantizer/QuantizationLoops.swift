/// The inner loops of quantization: plain loops over contiguous memory, with
/// no calls, no allocation and no branches that LLVM cannot turn into
/// selects, so that they compile to SIMD code even for the baseline x86-64
/// target (SSE2).
///
/// Rounding uses the "magic number" trick rather than
/// `rounded(.toNearestOrEven)`, which without SSE4.1 is a libm call per
/// element: for |t| ≤ 2²², `t + 1.5·2²³` lands in [2²³, 2²⁴), where Float32
/// has spacing 1, so the hardware addition itself rounds t to the nearest
/// integer, ties to even, and the integer k sits in the low bits of the sum:
/// `bits(1.5·2²³ + k) = 0x4B40_0000 + k`. Clamping *before* rounding keeps
/// `t` inside `[qmin − zp, qmax − zp]` ⊂ [−2¹⁶, 2¹⁶], and gives the same
/// code as clamping after, because the bounds are integers.
///
/// A finiteness check rides along for free: the largest exponent field seen
/// (`bits & 0x7F80_0000`) is all ones exactly when a NaN or ±∞ went through.
enum QuantizationLoops {
    /// 1.5·2²³: adding it rounds to an integer (see the type's documentation).
    static let magic: Float = 0x1.8p23
    /// The exponent field of a Float32.
    static let exponentMask: UInt32 = 0x7F80_0000

    /// Per-channel constants, precomputed once per quantizer.
    struct Constants: Sendable, Hashable {
        /// `1 / scale` in Float32, as PyTorch's kernels multiply by it.
        var inverseScale: [Float]
        var scale: [Float]
        /// `qmin − zp` and `qmax − zp`: the clamp bounds of `x / scale`.
        var lower: [Float]
        var upper: [Float]
        /// `bits(magic) − zp`: subtracting it from `bits(t + magic)` gives `round(t) + zp`.
        var bias: [Int32]
        var zeroPoint: [Int32]

        init(scheme: QuantScheme, params: QuantParams) {
            inverseScale = params.scales.map { 1 / $0 }
            scale = params.scales
            lower = params.zeroPoints.map { Float(scheme.qmin - $0) }
            upper = params.zeroPoints.map { Float(scheme.qmax - $0) }
            bias = params.zeroPoints.map { Int32(bitPattern: QuantizationLoops.magic.bitPattern) &- $0 }
            zeroPoint = params.zeroPoints
        }
    }

    /// `clamp(v·inverseScale, lower, upper) + magic`: the clamped value,
    /// rounded half to even by the addition of ``magic``, still biased by it.
    /// Every quantize and fake-quantize loop below goes through this one step,
    /// so they all round exactly alike (it inlines into each vectorised loop).
    @inline(__always)
    static func biasedRound(_ v: Float, inverseScale: Float, lower: Float, upper: Float) -> Float {
        var t = v * inverseScale
        t = t < lower ? lower : t
        t = t > upper ? upper : t
        return t + magic
    }

    /// `out[i] = clamp(round(x[i]·inverseScale), lower, upper) + zp`; returns the largest exponent field.
    @inline(__always)
    static func quantize<Code: FixedWidthInteger>(
        _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Code>, count: Int,
        inverseScale: Float, lower: Float, upper: Float, bias: Int32
    ) -> UInt32 {
        var exponents: UInt32 = 0
        for i in 0..<count {
            let v = x[i]
            exponents = Swift.max(exponents, v.bitPattern & exponentMask)
            let t = biasedRound(v, inverseScale: inverseScale, lower: lower, upper: upper)
            out[i] = Code(truncatingIfNeeded: Int32(bitPattern: t.bitPattern) &- bias)
        }
        return exponents
    }

    /// ``quantize(_:_:count:inverseScale:lower:upper:bias:)`` with per-element constants.
    @inline(__always)
    static func quantizeRow<Code: FixedWidthInteger>(
        _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Code>, count: Int,
        inverseScale: UnsafePointer<Float>, lower: UnsafePointer<Float>, upper: UnsafePointer<Float>, bias: UnsafePointer<Int32>
    ) -> UInt32 {
        var exponents: UInt32 = 0
        for i in 0..<count {
            let v = x[i]
            exponents = Swift.max(exponents, v.bitPattern & exponentMask)
            let t = biasedRound(v, inverseScale: inverseScale[i], lower: lower[i], upper: upper[i])
            out[i] = Code(truncatingIfNeeded: Int32(bitPattern: t.bitPattern) &- bias[i])
        }
        return exponents
    }

    /// `out[i] = (q[i] − zp)·scale`.
    @inline(__always)
    static func dequantize<Code: FixedWidthInteger>(
        _ q: UnsafePointer<Code>, _ out: UnsafeMutablePointer<Float>, count: Int, scale: Float, zeroPoint: Int32
    ) {
        for i in 0..<count {
            out[i] = Float(Int32(truncatingIfNeeded: q[i]) &- zeroPoint) * scale
        }
    }

    /// ``dequantize(_:_:count:scale:zeroPoint:)`` with per-element constants.
    @inline(__always)
    static func dequantizeRow<Code: FixedWidthInteger>(
        _ q: UnsafePointer<Code>, _ out: UnsafeMutablePointer<Float>, count: Int,
        scale: UnsafePointer<Float>, zeroPoint: UnsafePointer<Int32>
    ) {
        for i in 0..<count {
            out[i] = Float(Int32(truncatingIfNeeded: q[i]) &- zeroPoint[i]) * scale[i]
        }
    }

    /// `out[i] = (clamp(round(x[i]·inverseScale), lower, upper))·scale`, which
    /// equals `dequantize(quantize(x))` because `q − zp` is the clamped, rounded value.
    @inline(__always)
    static func fakeQuantize(
        _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
        inverseScale: Float, lower: Float, upper: Float, scale: Float
    ) -> UInt32 {
        var exponents: UInt32 = 0
        for i in 0..<count {
            let v = x[i]
            exponents = Swift.max(exponents, v.bitPattern & exponentMask)
            out[i] = (biasedRound(v, inverseScale: inverseScale, lower: lower, upper: upper) - magic) * scale
        }
        return exponents
    }

    /// ``fakeQuantize(_:_:count:inverseScale:lower:upper:scale:)`` with per-element constants.
    @inline(__always)
    static func fakeQuantizeRow(
        _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
        inverseScale: UnsafePointer<Float>, lower: UnsafePointer<Float>, upper: UnsafePointer<Float>, scale: UnsafePointer<Float>
    ) -> UInt32 {
        var exponents: UInt32 = 0
        for i in 0..<count {
            let v = x[i]
            exponents = Swift.max(exponents, v.bitPattern & exponentMask)
            out[i] = (biasedRound(v, inverseScale: inverseScale[i], lower: lower[i], upper: upper[i]) - magic) * scale[i]
        }
        return exponents
    }

    /// A key whose signed-integer order is the numeric order of finite
    /// floats: flip the magnitude bits of negative numbers. The map is its
    /// own inverse. Integer min/max reductions vectorise; Float32 ones do not
    /// without fast-math.
    @inline(__always)
    static func orderKey(_ bits: UInt32) -> Int32 {
        let s = Int32(bitPattern: bits)
        return s ^ ((s >> 31) & 0x7FFF_FFFF)
    }

    /// The float whose ``orderKey(_:)`` is `key`.
    static func float(fromOrderKey key: Int32) -> Float {
        Float(bitPattern: UInt32(bitPattern: orderKey(UInt32(bitPattern: key))))
    }

    /// The minimum and maximum keys of `x[0..<count]`, and the largest exponent field.
    @inline(__always)
    static func range(_ x: UnsafePointer<Float>, count: Int) -> (lower: Int32, upper: Int32, exponents: UInt32) {
        var lower = Int32.max, upper = Int32.min, exponents: UInt32 = 0
        for i in 0..<count {
            let bits = x[i].bitPattern
            let key = orderKey(bits)
            lower = Swift.min(lower, key)
            upper = Swift.max(upper, key)
            exponents = Swift.max(exponents, bits & exponentMask)
        }
        return (lower, upper, exponents)
    }

    /// Folds element `k` of `x` into the keys `lower[k]`, `upper[k]`; returns the largest exponent field.
    @inline(__always)
    static func rangeRow(
        _ x: UnsafePointer<Float>, count: Int, lower: UnsafeMutablePointer<Int32>, upper: UnsafeMutablePointer<Int32>
    ) -> UInt32 {
        var exponents: UInt32 = 0
        for i in 0..<count {
            let bits = x[i].bitPattern
            let key = orderKey(bits)
            lower[i] = Swift.min(lower[i], key)
            upper[i] = Swift.max(upper[i], key)
            exponents = Swift.max(exponents, bits & exponentMask)
        }
        return exponents
    }
}
