/// A filled region between two series over the same x: an error band
/// (mean ± std), a min–max envelope, or the area under a curve.
///
/// ```swift
/// axes.add(Band(x: steps, lower: mean.map { $0 - std }, upper: mean.map { $0 + std }, label: "±1 σ"))
/// axes.add(Line(x: steps, y: mean, label: "mean loss"))
/// axes.add(Band.area(x: grid, y: density))     // filled down to 0
/// ```
public struct Band: Mark {
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var label: String?
    /// `nil` takes the next palette colour.
    public var color: Color?
    public var opacity: Double
    /// Values the band's edges may rest on without a margin (0 for an area).
    var sticky: [Double] = []

    public init<XS: Sequence, LS: Sequence, US: Sequence>(
        x: XS, lower: LS, upper: US, label: String? = nil, color: Color? = nil, opacity: Double = 0.25
    ) where XS.Element: PlottableValue, LS.Element: PlottableValue, US.Element: PlottableValue {
        self.x = x.plotValues
        self.lower = lower.plotValues
        self.upper = upper.plotValues
        self.label = label
        self.color = color
        self.opacity = opacity
    }

    /// The area between `y` and a constant `baseline` (0 by default), which
    /// stays at the plot edge when it is the lowest value.
    public static func area<XS: Sequence, YS: Sequence>(
        x: XS, y: YS, baseline: Double = 0, label: String? = nil, color: Color? = nil, opacity: Double = 0.35
    ) -> Band where XS.Element: PlottableValue, YS.Element: PlottableValue {
        let xs = x.plotValues
        var band = Band(x: xs, lower: xs.map { _ in baseline }, upper: y, label: label, color: color, opacity: opacity)
        band.sticky = [baseline]
        return band
    }

    /// A series with its own colour leaves the palette to the others.
    public var paletteSlots: Int { color == nil ? 1 : 0 }

    public func validate() throws {
        guard x.count == lower.count, x.count == upper.count else {
            throw PlotError.invalidData(mark: "Band\(label.map { " '\($0)'" } ?? "")",
                                        reason: "x, lower and upper have \(x.count), \(lower.count) and \(upper.count) values; give one lower and one upper per x")
        }
    }

    public func extent() -> Extent {
        var e = Extent(x: x, y: lower + upper)
        e.stickyY = sticky
        return e
    }

    private func fill(_ colors: [Color], _ theme: Theme) -> Color {
        let c = color ?? colors.first ?? theme.seriesColor(0)
        return c.opacity(c.alpha * opacity)
    }

    public func draw(in context: PlotContext) {
        let n = min(x.count, lower.count, upper.count)
        guard n > 1 else { return }
        let canvas = context.canvas
        canvas.setColor(fill(context.colors, context.theme))
        // One polygon per run of finite values, so a NaN leaves a gap.
        var start = 0
        while start < n {
            while start < n, !(x[start].isFinite && lower[start].isFinite && upper[start].isFinite) { start += 1 }
            var end = start
            while end < n, x[end].isFinite, lower[end].isFinite, upper[end].isFinite { end += 1 }
            if end - start > 1 {
                canvas.move(to: context.point(x[start], upper[start]))
                for i in (start + 1)..<end { canvas.line(to: context.point(x[i], upper[i])) }
                for i in (start..<end).reversed() { canvas.line(to: context.point(x[i], lower[i])) }
                canvas.closePath()
            }
            start = end
        }
        canvas.fill()
    }

    public func legendEntries(theme: Theme, colors: [Color]) -> [LegendEntry] {
        guard let label else { return [] }
        return [LegendEntry(label: label, key: .patch(fill: fill(colors, theme), edge: nil))]
    }

    public func obstacles(in context: PlotContext) -> [Point] {
        (0..<min(x.count, lower.count, upper.count)).flatMap { i in
            (0...3).map { k in context.point(x[i], lower[i] + (upper[i] - lower[i]) * Double(k) / 3) }
        }
    }
}
