import Foundation

/// A real multiplier `M ≥ 0` as a 31-bit fixed-point fraction and a power of
/// two — how integer-only inference (TFLite, gemmlowp) rescales an int32
/// accumulator without floating point.
///
/// Requantizing `acc = Σ (q_x − z_x)·q_w` to the output's uint8 codes needs
/// `q_y = z_y + round(M · acc)` with `M = s_x · s_w / s_y`. TFLite writes
///
///     M = q · 2^shift,   q ∈ [0.5, 1)         (frexp)
///     multiplier = round(q · 2³¹) ∈ [2³⁰, 2³¹]   (round half away from zero)
///
/// and, when rounding reaches 2³¹, halves the multiplier and adds 1 to the
/// shift, so `multiplier` is an int32 in `2³⁰ ..< 2³¹` and
/// `M ≈ multiplier · 2^(shift − 31)` with a relative error of at most 2⁻³¹.
/// `M = 0`, and any `M` too small for a shift of −31 (below 2⁻³² after the
/// rounding, where every product rounds to 0 anyway), become
/// `multiplier = 0, shift = 0`.
///
/// ``apply(_:)`` is TFLite's `MultiplyByQuantizedMultiplier`; the C kernel
/// `igemm_gemm_u8` computes the same integers. Its result is within one unit
/// of `M · x` rounded.
///
/// ```swift
/// let m = try FixedPointMultiplier(0.5)   // multiplier 2³⁰ (= 0.5 · 2³¹), shift 0
/// m.apply(7)                              // 4: 3.5 rounded (ties toward +∞)
/// let tenth = try FixedPointMultiplier(0.1)   // 1_717_986_918 · 2^(−3 − 31)
/// tenth.apply(1_000)                      // 100
/// ```
public struct FixedPointMultiplier: Hashable, Sendable {
    /// `round(q · 2³¹)` for the fraction `q ∈ [0.5, 1)` of `M`: 0 or in `2³⁰ ..< 2³¹`.
    public let multiplier: Int32
    /// The power of two of `M`, in −31...30: `M ≈ multiplier · 2^(shift − 31)`.
    public let shift: Int32

    /// TFLite's `QuantizeMultiplier` of `realMultiplier`.
    ///
    /// - Throws: ``Int8KernelError/invalidMultiplier(_:)`` when
    ///   `realMultiplier` is negative, infinite or NaN, or at least
    ///   `2³⁰ · (1 − 2⁻³²)` (its shift would exceed 30, the most the int32
    ///   left shift of ``apply(_:)`` allows).
    public init(_ realMultiplier: Double) throws(Int8KernelError) {
        guard realMultiplier.isFinite, realMultiplier >= 0 else { throw .invalidMultiplier(realMultiplier) }
        if realMultiplier == 0 {
            (multiplier, shift) = (0, 0)
            return
        }
        let (fraction, exponent) = frexp(realMultiplier)   // realMultiplier = fraction · 2^exponent
        var fixed = Int64((fraction * 0x1p31).rounded(.toNearestOrAwayFromZero))   // 2³⁰ ... 2³¹
        var power = exponent
        if fixed == 1 << 31 {
            fixed /= 2
            power += 1
        }
        guard power <= 30 else { throw .invalidMultiplier(realMultiplier) }
        if power < -31 {
            (multiplier, shift) = (0, 0)
        } else {
            (multiplier, shift) = (Int32(fixed), Int32(power))
        }
    }

    /// A multiplier given in its stored form (as read from a checkpoint).
    ///
    /// - Throws: ``Int8KernelError/invalidFixedPointMultiplier(multiplier:shift:)``
    ///   unless it is a form ``init(_:)`` produces: `multiplier = 0, shift = 0`,
    ///   or `multiplier` in `2³⁰ ..< 2³¹` with `shift` in −31...30.
    public init(multiplier: Int32, shift: Int32) throws(Int8KernelError) {
        let isZero = multiplier == 0 && shift == 0
        guard isZero || (multiplier >= 1 << 30 && (-31...30).contains(shift)) else {
            throw .invalidFixedPointMultiplier(multiplier: multiplier, shift: shift)
        }
        self.multiplier = multiplier
        self.shift = shift
    }

    /// The real multiplier this one stands for: `multiplier · 2^(shift − 31)`.
    public var realValue: Double { Double(sign: .plus, exponent: Int(shift) - 31, significand: Double(multiplier)) }

    /// `MultiplyByQuantizedMultiplier(x, multiplier, shift)`: `M · x` rounded,
    /// within one unit (see ``multiplyByQuantizedMultiplier(_:multiplier:shift:)``).
    public func apply(_ x: Int32) -> Int32 {
        Self.multiplyByQuantizedMultiplier(x, multiplier: multiplier, shift: shift)
    }

    // MARK: The fixed-point arithmetic (gemmlowp, TFLite)

    /// `RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x · 2^left, multiplier), right)`
    /// with `left = max(shift, 0)` and `right = max(−shift, 0)`, for
    /// `shift` in −31...30.
    ///
    /// `x · 2^left` saturates to the int32 range (TFLite leaves that overflow
    /// undefined). For a multiplier from ``init(_:)`` (at least 2³⁰) the shift
    /// only saturates when `|M · x| ≥ 2³⁰`: a value any uint8 clamp sends to
    /// the same end of the range as the exact product would. The result is
    /// the product rounded twice — `x · multiplier / 2³¹` to nearest (ties up),
    /// then `/ 2^right` to nearest (ties away from zero) — so it is within one
    /// unit of `x · multiplier · 2^(shift − 31)`.
    public static func multiplyByQuantizedMultiplier(_ x: Int32, multiplier: Int32, shift: Int32) -> Int32 {
        let left = Swift.max(shift, 0), right = Swift.max(-shift, 0)
        let shifted = Int32(clamping: Int64(x) << left)
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted, multiplier), exponent: right)
    }

    /// gemmlowp's `SaturatingRoundingDoublingHighMul`: the high 32 bits of
    /// `2 · a · b`, rounded — `a · b / 2³¹` to nearest, ties toward +∞.
    ///
    ///     a = b = Int32.min  →  Int32.max     (the one result outside int32: 2⁶² / 2³¹ = 2³¹)
    ///     otherwise          →  (a·b + nudge) / 2³¹,   nudge = a·b ≥ 0 ? 2³⁰ : 1 − 2³⁰
    ///
    /// in Int64 (|a·b| ≤ 2⁶², so nothing overflows), `/` truncating toward
    /// zero as in C.
    public static func saturatingRoundingDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 {
        if a == .min && b == .min { return .max }
        let ab = Int64(a) * Int64(b)
        let nudge: Int64 = ab >= 0 ? 1 << 30 : 1 - (1 << 30)
        return Int32((ab + nudge) / (1 << 31))
    }

    /// gemmlowp's `RoundingDivideByPOT`: `x / 2^exponent` rounded to nearest,
    /// ties away from zero, for `exponent` in 0...31.
    ///
    ///     mask = 2^exponent − 1,  remainder = x & mask
    ///     threshold = (mask >> 1) + (x < 0 ? 1 : 0)
    ///     result = (x >> exponent) + (remainder > threshold ? 1 : 0)
    ///
    /// `>>` is arithmetic (rounds toward −∞); the remainder against the
    /// threshold decides whether to round up. `(x >> exponent) + 1` cannot
    /// overflow: rounding up needs a nonzero remainder, so `exponent ≥ 1`.
    public static func roundingDivideByPOT(_ x: Int32, exponent: Int32) -> Int32 {
        precondition((0...31).contains(exponent), "RoundingDivideByPOT needs an exponent in 0...31, got \(exponent)")
        let mask = Int32(truncatingIfNeeded: (Int64(1) << exponent) - 1)
        let remainder = x & mask
        let threshold = (mask >> 1) + (x < 0 ? 1 : 0)
        return (x >> exponent) + (remainder > threshold ? 1 : 0)
    }
}

extension FixedPointMultiplier: CustomStringConvertible {
    /// `1717986918·2^(-3-31)`, the fixed-point form and its shift.
    public var description: String { "\(multiplier)·2^(\(shift)-31)" }
}
