import Foundation

/// An axis with its limits fixed and its ticks chosen for a given length.
struct ResolvedAxis {
    var scale: Scale
    var lower: Double
    var upper: Double
    var inverted: Bool
    var categories: [String]?
    var format: TickFormat
    var explicitTicks: [Double]?
    var explicitLabels: [String]?
    var showsTickLabels: Bool
    var label: String?
    /// Whether automatic ticks must be whole numbers.
    var integerSteps = false
    /// Whether tick labels are turned a quarter turn (long category names).
    var rotatedLabels = false
    var ticks: [(value: Double, label: String)] = []
    var minor: [Double] = []

    /// The transform placing `lower…upper` on `start…end` (swapped when inverted).
    func transform(from start: Double, to end: Double) -> AxisTransform {
        inverted
            ? AxisTransform(scale: scale, lower: lower, upper: upper, start: end, end: start)
            : AxisTransform(scale: scale, lower: lower, upper: upper, start: start, end: end)
    }

    /// Fixes the limits of `axis` from the data `extents` of its marks.
    ///
    /// Automatic ends are the data range widened by `axis.margin` of the span
    /// (in the scale's terms), stopped at sticky values (the zero under bars);
    /// an empty axis shows 0…1 (1…10 on a log scale).
    static func limits(axis: Axis, name: String, ranges: [DataRange], sticky: [Double], headroom: Double,
                       categoryCount: Int?) throws -> (Double, Double) {
        let scale = axis.scale
        var lo: Double
        var hi: Double
        let data = ranges.dropFirst().reduce(ranges.first) { $0?.union($1) }
        if let data {
            lo = data.min
            hi = data.max
            if scale.isLogarithmic {
                if hi <= 0 { (lo, hi) = (1, 10) } else if lo <= 0 { lo = data.minPositive ?? hi / 10 }
            }
        } else if let n = categoryCount, n > 0 {
            (lo, hi) = (-0.5, Double(n) - 0.5)
        } else {
            (lo, hi) = scale.isLogarithmic ? (1, 10) : (0, 1)
        }
        if lo == hi {
            if scale.isLogarithmic {
                (lo, hi) = (lo / 2, hi * 2)
            } else {
                let d = lo == 0 ? 0.5 : abs(lo) * 0.05
                (lo, hi) = (lo - d, hi + d)
            }
        }
        let t0 = scale.transform(lo), t1 = scale.transform(hi)
        let d = (t1 - t0) * max(0, axis.margin)
        var newLo = scale.inverse(t0 - d)
        var newHi = scale.inverse(t1 + max(d, (t1 - t0) * headroom))
        for s in sticky {
            if s <= lo, s > newLo { newLo = s }
            if s >= hi, s < newHi { newHi = s }
        }
        if let m = axis.min { newLo = m }
        if let m = axis.max { newHi = m }
        guard newLo.isFinite, newHi.isFinite, newLo < newHi else {
            throw PlotError.invalidFigure(reason: "the \(name) axis limits \(newLo)…\(newHi) are empty or not finite; set min < max")
        }
        if scale.isLogarithmic, newLo <= 0 {
            throw PlotError.invalidFigure(reason: "the \(name) axis is logarithmic but its lower limit is \(newLo); set a positive min")
        }
        return (newLo, newHi)
    }

    /// Chooses ticks for an axis `length` points long: at most one per
    /// `minSpacing` points, and fewer while neighbouring labels would touch.
    mutating func chooseTicks(length: Double, minSpacing: Double, canvas: Canvas, fontSize: Double, horizontal: Bool) {
        minor = []
        let (lo, hi) = (Swift.min(lower, upper), Swift.max(lower, upper))
        let slack = 1e-9 * (hi - lo)
        let inRange = { (v: Double) in v >= lo - slack && v <= hi + slack }
        if let categories {
            ticks = categories.indices.map { (Double($0), categories[$0]) }.filter { inRange($0.0) }
            rotatedLabels = horizontal && showsTickLabels && overlaps(length: length, canvas: canvas, fontSize: fontSize, horizontal: true)
            return
        }
        if let explicitTicks {
            let step = zip(explicitTicks.dropFirst(), explicitTicks).map { abs($0 - $1) }.min() ?? 1
            ticks = explicitTicks.enumerated().compactMap { i, v in
                guard inRange(v) else { return nil }
                if let labels = explicitLabels, i < labels.count { return (v, labels[i]) }
                return (v, format.label(v, step: step, scale: scale))
            }
            return
        }
        var maxCount = Swift.max(2, Swift.min(11, Int(length / minSpacing)))
        while true {
            let locator: TickLocator
            switch scale {
            case .linear: locator = .linear(lower: lower, upper: upper, maxCount: maxCount, integerSteps: integerSteps)
            case .log10: locator = .logarithmic(lower: lower, upper: upper, base: 10, maxCount: maxCount)
            case .log2: locator = .logarithmic(lower: lower, upper: upper, base: 2, maxCount: maxCount)
            case .symlog(let c): locator = .symlog(lower: lower, upper: upper, threshold: c, maxCount: maxCount)
            }
            let step = locator.step > 0 ? locator.step : Self.smallestGap(locator.major)
            ticks = locator.major.map { ($0, format.label($0, step: step, scale: scale)) }
            minor = locator.minor
            if maxCount <= 2 || !showsTickLabels || !overlaps(length: length, canvas: canvas, fontSize: fontSize, horizontal: horizontal) {
                return
            }
            maxCount = Swift.min(maxCount, ticks.count) - 1
        }
    }

    private static func smallestGap(_ values: [Double]) -> Double {
        zip(values.dropFirst(), values).map { abs($0 - $1) }.min() ?? 1
    }

    /// Whether neighbouring labels would be closer than half a character.
    private func overlaps(length: Double, canvas: Canvas, fontSize: Double, horizontal: Bool) -> Bool {
        let t = transform(from: 0, to: length)
        let spans: [(Double, Double)] = ticks.map { tick in
            let m = canvas.measure(tick.label, size: fontSize)
            let p = t.position(tick.value)
            let half = horizontal ? m.width / 2 : m.height / 2
            return (p - half, p + half)
        }.sorted { $0.0 < $1.0 }
        let gap = horizontal ? fontSize * 0.5 : fontSize * 0.1
        return zip(spans, spans.dropFirst()).contains { $0.1 + gap > $1.0 }
    }
}
