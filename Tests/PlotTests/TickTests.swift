import Testing
@testable import Plot
import TestSupport

@Suite struct TickTests {
    @Test func linearTicksAreNiceMultiplesInsideTheLimits() {
        #expect(TickLocator.linear(lower: 0, upper: 17, maxCount: 8).major == [0, 5, 10, 15])
        #expect(TickLocator.linear(lower: 0.25, upper: 16.75, maxCount: 9).major == [2, 4, 6, 8, 10, 12, 14, 16])
        #expect(TickLocator.linear(lower: -1, upper: 1, maxCount: 5).major == [-1, -0.5, 0, 0.5, 1])
        let tiny = TickLocator.linear(lower: 0, upper: 0.003, maxCount: 4)
        #expect(tiny.major.count == 4 && abs(tiny.step - 0.001) < 1e-15)
    }

    @Test func integerStepsNeverGoBelowOne() {
        #expect(TickLocator.linear(lower: 0.5, upper: 3.5, maxCount: 10, integerSteps: true).major == [1, 2, 3])
    }

    @Test func logTicksSitOnDecadesWithMinorTicksBetween() {
        let t = TickLocator.logarithmic(lower: 2e-5, upper: 3, base: 10, maxCount: 8)
        #expect(t.major.count == 5)  // 1e-4 … 1
        expectClose(t.major, (-4...0).map(pow10), rtol: 1e-12)
        #expect(t.minor.contains { abs($0 - 2) < 1e-12 } && t.minor.contains { abs($0 - 9e-5) < 1e-17 })
        // Many decades: every second one.
        let wide = TickLocator.logarithmic(lower: 1e-12, upper: 1, base: 10, maxCount: 7)
        #expect(wide.major.count == 7)
    }

    @Test func narrowLogRangesFallBackToOneTwoFive() {
        let t = TickLocator.logarithmic(lower: 1.5, upper: 9, base: 10, maxCount: 8)
        #expect(t.major == [2, 5])
    }

    @Test func log2TicksArePowersOfTwoLabelledAsIntegers() {
        let t = TickLocator.logarithmic(lower: 1, upper: 16, base: 2, maxCount: 8)
        #expect(t.major == [1, 2, 4, 8, 16])
        #expect(t.major.map { TickFormat.automatic.label($0, step: 0, scale: .log2) } == ["1", "2", "4", "8", "16"])
        #expect(TickFormat.automatic.label(0.25, step: 0, scale: .log2) == "2^{-2}")
    }

    @Test func symlogTicksAreZeroAndSignedDecades() {
        let t = TickLocator.symlog(lower: -100, upper: 100, threshold: 1, maxCount: 9)
        #expect(t.major == [-100, -10, -1, 0, 1, 10, 100])
        let s = Scale.symlog(linearThreshold: 1)
        for v in [-100.0, -0.5, 0, 0.3, 1, 42] { #expect(abs(s.inverse(s.transform(v)) - v) < 1e-9 * max(1, abs(v))) }
    }

    @Test func labelsUseEqualDecimalsTrueMinusPowersAndPercent() {
        let f = TickFormat.automatic
        #expect([-0.5, 0, 0.25].map { f.label($0, step: 0.25, scale: .linear) } == ["\u{2212}0.50", "0.00", "0.25"])
        #expect(f.label(1e-3, step: 0, scale: .log10) == "10^{-3}")
        #expect(f.label(1, step: 0, scale: .log10) == "10^{0}")
        #expect(TickFormat.percent().label(0.931, step: 0, scale: .linear) == "93%")
        #expect(TickFormat.percent(places: 1).label(0.931, step: 0, scale: .linear) == "93.1%")
        #expect(TickFormat.powerOfTen.label(2.5e6, step: 0, scale: .linear) == "2.5×10^{6}")
        #expect(TickFormat.integer.label(-0.4, step: 0, scale: .linear) == "0")
        #expect(f.label(3e6, step: 1e6, scale: .linear) == "3×10^{6}")
    }

    @Test func richTextSplitsSuperscriptsAndSubscripts() {
        let r = RichText("10^{-3} x_i")
        #expect(r.runs.map(\.text) == ["10", "\u{2212}3", " x", "i"])
        #expect(r.runs.map(\.shift) == [.normal, .superscript, .normal, .subscript])
        #expect(RichText("plain").runs.count == 1)
    }

    private func pow10(_ k: Int) -> Double { (0..<abs(k)).reduce(1.0) { v, _ in k < 0 ? v / 10 : v * 10 } }
}
