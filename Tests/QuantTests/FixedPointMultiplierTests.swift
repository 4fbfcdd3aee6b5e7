import CIntegerGEMM
import Testing
@testable import Quant

/// TFLite's fixed-point requantization arithmetic, on values worked out by
/// hand from the definitions.
@Suite struct FixedPointMultiplierTests {
    /// QuantizeMultiplier: m = q·2^shift with q ∈ [0.5, 1) (frexp), multiplier = round(q·2³¹).
    @Test func quantizeMultiplierKnownValues() throws {
        let cases: [(Double, Int32, Int32)] = [
            (0.5, 1 << 30, 0),                     // q = 0.5, shift 0
            (1, 1 << 30, 1),                       // 1 = 0.5·2¹
            (0.75, 1_610_612_736, 0),              // 0.75·2³¹ = 3·2²⁹
            (3, 1_610_612_736, 2),                 // 3 = 0.75·2²: m ≥ 1 gives a positive shift
            (0.1, 1_717_986_918, -3),              // 0.1 = 0.8·2⁻³, 0.8·2³¹ = 1717986918.4
            (1 - 0x1p-31, 2_147_483_647, 0),       // q·2³¹ = 2³¹ − 1 exactly
            (1 - 0x3p-32, 2_147_483_647, 0),       // 2³¹ − 1.5 rounds away from zero (half-even would give …646)
            (1 - 0x1p-32, 1 << 30, 1),             // 2³¹ − 0.5 rounds to 2³¹: halved, shift + 1
            (1.0.nextDown, 1 << 30, 1),            // just below 1: rounds up to exactly 1
            (0x1p-31, 1 << 30, -30),
            (0x1p-32, 1 << 30, -31),               // the smallest shift
            (0x1p-32.nextDown, 1 << 30, -31),      // frexp's shift −32, carried back to −31 by the rounding
            (0x1p-33, 0, 0),                       // shift −32: every product would round to 0
            (0x1p-300, 0, 0),
            (0, 0, 0), (-0.0, 0, 0),
            (0x1p29, 1 << 30, 30),                 // the largest shift
            (0x1p30 - 0.5, 2_147_483_647, 30),     // q = 1 − 2⁻³¹: q·2³¹ = 2³¹ − 1, just below the carry
        ]
        for (real, multiplier, shift) in cases {
            let m = try FixedPointMultiplier(real)
            #expect(m.multiplier == multiplier && m.shift == shift, "\(real): got \(m)")
        }
        #expect(try FixedPointMultiplier(0.1).description == "1717986918·2^(-3-31)")
    }

    @Test func quantizeMultiplierRefusesWhatAShiftCannotHold() {
        for bad in [-1e-9, -1, .infinity, -.infinity, .nan, 0x1p30, 0x1p30.nextDown, 0x1p40] {
            #expect(throws: Int8KernelError.self, "\(bad)") { try FixedPointMultiplier(bad) }
        }
        #expect(throws: Int8KernelError.invalidMultiplier(-1)) { try FixedPointMultiplier(-1) }
    }

    /// The fixed-point value is the real one to 31 significant bits.
    @Test func realValueIsWithinHalfAUnitOfTheLast31Bits() throws {
        var g = SeededGenerator(seed: 41)
        for _ in 0..<10_000 {
            let real = Double(sign: .plus, exponent: Int(g.next() % 62) - 34, significand: 1 + Double(g.nextUnitFloat()))
            let m = try FixedPointMultiplier(real)
            if m.multiplier == 0 { #expect(real < 0x1p-32); continue }
            #expect((1 << 30 ... Int32.max).contains(m.multiplier))
            #expect(abs(m.realValue - real) <= real * 0x1p-31, "\(real) vs \(m.realValue)")
        }
    }

    /// gemmlowp's SaturatingRoundingDoublingHighMul: a·b / 2³¹ to nearest, ties toward +∞.
    @Test func saturatingRoundingDoublingHighMulKnownValues() {
        let srdhm = FixedPointMultiplier.saturatingRoundingDoublingHighMul
        #expect(srdhm(.min, .min) == .max)                 // the one overflow: 2⁶² / 2³¹ = 2³¹
        #expect(srdhm(.min, .max) == -2_147_483_647)       // −2³¹ + 1 − ½ + 2⁻³¹, truncated
        #expect(srdhm(.max, .max) == 2_147_483_646)        // 2³¹ − 2 + ½ + 2⁻³¹, truncated
        #expect(srdhm(.min, 1 << 30) == -(1 << 30))
        #expect(srdhm(1 << 30, 1 << 30) == 1 << 29)
        #expect(srdhm(1, 1 << 30) == 1)                    //  ½ → 1
        #expect(srdhm(-1, 1 << 30) == 0)                   // −½ → 0 (ties toward +∞, not away from zero)
        #expect(srdhm(3, 1 << 30) == 2)                    //  1.5 → 2
        #expect(srdhm(-3, 1 << 30) == -1)                  // −1.5 → −1
        #expect(srdhm(-5, 1 << 30) == -2)                  // −2.5 → −2
        #expect(srdhm(0, .min) == 0 && srdhm(12_345, 0) == 0)
    }

    /// The vector kernels compute SRDHM as ⌊(a·b + 2³⁰) / 2³¹⌋; that equals the
    /// definition (nudge, division truncating toward zero) for every a·b but the overflow.
    @Test func saturatingRoundingDoublingHighMulIsFloorOfProductPlusHalf() {
        var g = SeededGenerator(seed: 42)
        let special: [Int32] = [.min, .min + 1, -(1 << 30), -3, -1, 0, 1, 3, 1 << 30, .max - 1, .max]
        var pairs = special.flatMap { a in special.map { (a, $0) } }
        for _ in 0..<100_000 {
            pairs.append((Int32(truncatingIfNeeded: g.next()), Int32(truncatingIfNeeded: g.next() >> UInt64(g.next() % 32))))
        }
        for (a, b) in pairs where !(a == .min && b == .min) {
            let floor = Int32((Int64(a) * Int64(b) + (1 << 30)) >> 31)
            #expect(FixedPointMultiplier.saturatingRoundingDoublingHighMul(a, b) == floor, "\(a) · \(b)")
        }
    }

    /// RoundingDivideByPOT: x / 2^e to nearest, ties away from zero.
    @Test func roundingDivideByPOTKnownValues() {
        let divide = { (x: Int32, e: Int32) in FixedPointMultiplier.roundingDivideByPOT(x, exponent: e) }
        #expect(divide(-3, 1) == -2)          // −1.5: mask 1, remainder 1, threshold 0 + 1; −3 >> 1 = −2, 1 > 1 is false
        #expect(divide(3, 1) == 2)            //  1.5: remainder 1 > threshold 0 → 1 + 1
        #expect(divide(-5, 1) == -3 && divide(5, 1) == 3)      // ±2.5
        #expect(divide(-1, 1) == -1 && divide(1, 1) == 1)      // ±0.5
        #expect(divide(-6, 2) == -2)          // −1.5: remainder 2, threshold 2
        #expect(divide(-7, 2) == -2)          // −1.75
        #expect(divide(-5, 2) == -1)          // −1.25: remainder 3 > threshold 2 → −2 + 1
        #expect(divide(-4, 2) == -1 && divide(4, 2) == 1)
        #expect(divide(.min, 0) == .min && divide(.max, 0) == .max)
        #expect(divide(.min, 31) == -1)       // exactly −1
        #expect(divide(.max, 31) == 1)        // 0.99999…
        #expect(divide(1 << 30, 31) == 1)     //  ½ → 1
        #expect(divide(-(1 << 30), 31) == -1) // −½ → −1
        #expect(divide((1 << 30) - 1, 31) == 0 && divide(-(1 << 30) + 1, 31) == 0)
    }

    @Test func roundingDivideByPOTMatchesRoundedDivision() {
        var g = SeededGenerator(seed: 43)
        for _ in 0..<100_000 {
            let x = Int32(truncatingIfNeeded: g.next() >> UInt64(g.next() % 40)), e = Int32(g.next() % 32)
            let exact = (Double(x) / Double(sign: .plus, exponent: Int(e), significand: 1)).rounded(.toNearestOrAwayFromZero)
            #expect(FixedPointMultiplier.roundingDivideByPOT(x, exponent: e) == Int32(exact), "\(x) / 2^\(e)")
        }
    }

    /// MultiplyByQuantizedMultiplier on hand-worked values, the saturating left shift included.
    @Test func applyKnownValues() throws {
        let half = try FixedPointMultiplier(0.5), one = try FixedPointMultiplier(1), three = try FixedPointMultiplier(3)
        #expect(half.apply(7) == 4 && half.apply(-7) == -3)    // ±3.5: SRDHM's ties go toward +∞
        #expect(half.apply(-8) == -4 && half.apply(0) == 0)
        #expect(try FixedPointMultiplier(0.1).apply(1_000) == 100)
        #expect(try FixedPointMultiplier(0.25).apply(-6) == -2)   // SRDHM(−6, 2³⁰) = −3, then −3/2 = −1.5 → −2
        #expect(one.apply(-123_456) == -123_456 && one.apply(98_765) == 98_765)
        #expect(three.apply(-2) == -6)
        // 2·x saturates: INT32_MAX·2 → INT32_MAX, then halved; still ≥ 2³⁰, beyond any uint8 clamp.
        #expect(one.apply(.max) == 1 << 30)
        #expect(one.apply(.min) == -(1 << 30))
        #expect(try FixedPointMultiplier(0x1p29).apply(2) == 1 << 30)    // 2·2³⁰ saturates
        #expect(try FixedPointMultiplier(0x1p-32).apply(.max) == 1)      // 0.49999…, rounded twice
        #expect(try FixedPointMultiplier(0x1p-33).apply(.max) == 0)
    }

    /// The result is round(m·x) to within one unit, for multipliers across
    /// the shift range and accumulators that do not saturate.
    @Test func applyIsTheRoundedProductWithinOne() throws {
        var g = SeededGenerator(seed: 44)
        for _ in 0..<100_000 {
            let real = Double(sign: .plus, exponent: Int(g.next() % 40) - 30, significand: 1 + Double(g.nextUnitFloat()))
            let m = try FixedPointMultiplier(real)
            let limit = Swift.min(Double(1 << 26) / real, 0x1p30)   // |m·x| ≤ 2²⁶ and no saturation
            let x = Int32(Double(g.nextUnitFloat() * 2 - 1) * limit)
            let exact = (real * Double(x)).rounded()
            #expect(abs(Double(m.apply(x)) - exact) <= 1, "\(real) · \(x)")
        }
    }

    /// The C scalar and the Swift reference agree on every kind of input,
    /// including multipliers QuantizeMultiplier never makes.
    @Test func cAndSwiftAgreeBitForBit() {
        var g = SeededGenerator(seed: 45)
        let special: [Int32] = [.min, .min + 1, -(1 << 30), -1, 0, 1, 1 << 30, .max]
        for _ in 0..<200_000 {
            let x = g.next() % 8 == 0 ? special[Int(g.next() % 8)] : Int32(truncatingIfNeeded: g.next() >> UInt64(g.next() % 32))
            let multiplier = g.next() % 8 == 0 ? special[Int(g.next() % 8)] : Int32(truncatingIfNeeded: g.next())
            let shift = Int32(g.next() % 62) - 31
            let swift = FixedPointMultiplier.multiplyByQuantizedMultiplier(x, multiplier: multiplier, shift: shift)
            #expect(igemm_multiply_by_quantized_multiplier(x, multiplier, shift) == swift, "\(x) \(multiplier) \(shift)")
        }
    }
}
