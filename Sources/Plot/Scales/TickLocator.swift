import Foundation

/// Chooses tick positions for an axis range.
///
/// Linear axes use Heckbert's "nice numbers": steps of 1, 2 or 5 × 10^k,
/// the smallest such step giving at most `maxCount` ticks inside the limits.
/// Logarithmic axes put major ticks on whole powers of the base (every k-th
/// power when there are many decades) with minor ticks at 2…9 × 10^k; a
/// range narrower than two powers falls back to 1-2-5 ticks. Symlog axes
/// tick 0 and ±c·10^k.
///
/// ```swift
/// TickLocator.linear(lower: 0, upper: 17, maxCount: 8).major  // [0, 5, 10, 15]
/// ```
struct TickLocator {
    var major: [Double]
    var minor: [Double]
    /// Distance between neighbouring major ticks, for label formatting.
    var step: Double

    static func linear(lower: Double, upper: Double, maxCount: Int, integerSteps: Bool = false) -> TickLocator {
        let span = upper - lower
        guard span > 0, span.isFinite else { return TickLocator(major: [lower], minor: [], step: 1) }
        let maxCount = max(2, maxCount)
        var exponent = Foundation.log10(span / Double(maxCount)).rounded(.down)
        while true {
            let unit = pow(10, exponent)
            for m in [1.0, 2, 5] {
                let step = m * unit
                if integerSteps, step < 1 { continue }
                let first = (lower / step - 1e-9).rounded(.up)
                let last = (upper / step + 1e-9).rounded(.down)
                if last - first + 1 <= Double(maxCount) {
                    let ticks = stride(from: first, through: last, by: 1).map { $0 * step }
                    return TickLocator(major: ticks.map { abs($0) < step * 1e-9 ? 0 : $0 }, minor: [], step: step)
                }
            }
            exponent += 1
        }
    }

    static func logarithmic(lower: Double, upper: Double, base: Double, maxCount: Int) -> TickLocator {
        guard lower > 0, upper > lower else { return linear(lower: lower, upper: upper, maxCount: maxCount) }
        let logOf = { (v: Double) in Foundation.log(v) / Foundation.log(base) }
        let e0 = (logOf(lower) - 1e-9).rounded(.up)
        let e1 = (logOf(upper) + 1e-9).rounded(.down)
        let powers = Int(e1 - e0) + 1
        if powers < 2 {
            // Less than two whole powers visible: label 1-2-5 values instead.
            var ticks: [Double] = []
            var e = (logOf(lower)).rounded(.down)
            while pow(base, e) <= upper * (1 + 1e-9) {
                for m in base == 10 ? [1.0, 2, 5] : [1.0] {
                    let v = m * pow(base, e)
                    if v >= lower * (1 - 1e-9), v <= upper * (1 + 1e-9) { ticks.append(v) }
                }
                e += 1
            }
            if ticks.count >= 2, ticks.count <= maxCount {
                return TickLocator(major: ticks, minor: [], step: 0)
            }
            return linear(lower: lower, upper: upper, maxCount: maxCount)
        }
        let every = max(1, Int((Double(powers) / Double(max(2, maxCount))).rounded(.up)))
        var major: [Double] = []
        var minor: [Double] = []
        var e = (logOf(lower)).rounded(.down)
        while e <= e1 + 1 {
            let v = pow(base, e)
            let isMajor = Int(e) % every == 0
            if v >= lower * (1 - 1e-9), v <= upper * (1 + 1e-9) {
                if isMajor { major.append(v) } else { minor.append(v) }
            }
            if base == 10, every == 1 {
                for m in 2...9 {
                    let w = Double(m) * v
                    if w >= lower, w <= upper { minor.append(w) }
                }
            }
            e += 1
        }
        return TickLocator(major: major, minor: minor, step: 0)
    }

    static func symlog(lower: Double, upper: Double, threshold c: Double, maxCount: Int) -> TickLocator {
        let c = c > 0 ? c : 1
        var candidates: [Double] = [0]
        var v = c
        while v <= max(abs(lower), abs(upper)) * (1 + 1e-9) {
            candidates.append(v)
            candidates.append(-v)
            v *= 10
        }
        let inside = candidates.filter { $0 >= lower - 1e-12 && $0 <= upper + 1e-12 }.sorted()
        guard inside.count >= 2 else { return linear(lower: lower, upper: upper, maxCount: maxCount) }
        let every = max(1, Int((Double(inside.count) / Double(max(2, maxCount))).rounded(.up)))
        let zero = inside.firstIndex(of: 0) ?? 0
        let major = inside.enumerated().filter { abs($0.offset - zero) % every == 0 }.map(\.element)
        return TickLocator(major: major, minor: [], step: 0)
    }
}
