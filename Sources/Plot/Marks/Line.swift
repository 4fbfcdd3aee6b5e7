/// A line through points in order: a data series, solid or dashed, with
/// optional markers, optionally drawn as steps.
///
/// Non-finite values break the line (a gap), as NaN does in matplotlib.
///
/// ```swift
/// axes.add(Line(x: bits, y: sqnr, label: "measured", marker: .circle))
/// axes.add(Line(x: bits, y: bits.map { 6.02 * Double($0) + 1.76 }, label: "6.02 dB/bit", dash: .dashed))
/// axes.add(Line(x: edges, y: cdf, steps: .post))       // a staircase
/// ```
public struct Line: Mark {
    /// Where the vertical jumps of a step line sit (matplotlib's `where`).
    public enum Steps: Sendable, Hashable {
        /// Straight segments between points.
        case none
        /// Jump at the start of each interval: y[i] holds on (x[i−1], x[i]].
        case pre
        /// Jump at the end: y[i] holds on [x[i], x[i+1]).
        case post
        /// Jump halfway between points.
        case mid
    }

    public var x: [Double]
    public var y: [Double]
    public var label: String?
    /// `nil` takes the next palette colour.
    public var color: Color?
    /// Line width in points; `nil` uses the theme's.
    public var width: Double?
    public var dash: Dash
    public var marker: Marker
    public var steps: Steps
    public var opacity: Double

    public init<XS: Sequence, YS: Sequence>(
        x: XS, y: YS, label: String? = nil, color: Color? = nil, width: Double? = nil,
        dash: Dash = .solid, marker: Marker = .none, steps: Steps = .none, opacity: Double = 1
    ) where XS.Element: PlottableValue, YS.Element: PlottableValue {
        self.x = x.plotValues
        self.y = y.plotValues
        self.label = label
        self.color = color
        self.width = width
        self.dash = dash
        self.marker = marker
        self.steps = steps
        self.opacity = opacity
    }

    /// A line at x = 0, 1, 2, … (for training curves by step).
    public init<YS: Sequence>(
        y: YS, label: String? = nil, color: Color? = nil, width: Double? = nil,
        dash: Dash = .solid, marker: Marker = .none, steps: Steps = .none, opacity: Double = 1
    ) where YS.Element: PlottableValue {
        let values = y.plotValues
        self.init(x: values.indices.map(Double.init), y: values, label: label, color: color, width: width,
                  dash: dash, marker: marker, steps: steps, opacity: opacity)
    }

    /// A series with its own colour leaves the palette to the others.
    public var paletteSlots: Int { color == nil ? 1 : 0 }

    public func validate() throws {
        guard x.count == y.count else {
            throw PlotError.invalidData(mark: "Line\(label.map { " '\($0)'" } ?? "")",
                                        reason: "x has \(x.count) values but y has \(y.count); give one y per x")
        }
    }

    public func extent() -> Extent {
        Extent(x: x, y: y)
    }

    /// The vertices actually drawn, in data coordinates (steps expanded).
    func vertices() -> [(Double, Double)] {
        let n = min(x.count, y.count)
        guard n > 1, steps != .none else { return (0..<n).map { (x[$0], y[$0]) } }
        var out: [(Double, Double)] = [(x[0], y[0])]
        out.reserveCapacity(3 * n)
        for i in 1..<n {
            switch steps {
            case .pre: out.append((x[i - 1], y[i]))
            case .post: out.append((x[i], y[i - 1]))
            case .mid:
                let m = (x[i - 1] + x[i]) / 2
                out.append((m, y[i - 1]))
                out.append((m, y[i]))
            case .none: break
            }
            out.append((x[i], y[i]))
        }
        return out
    }

    private func resolvedColor(_ context: PlotContext) -> Color {
        (color ?? context.color).opacity((color ?? context.color).alpha * opacity)
    }

    public func draw(in context: PlotContext) {
        let canvas = context.canvas
        let c = resolvedColor(context)
        let w = width ?? context.theme.lineWidth
        let points = vertices().map { context.point($0.0, $0.1) }
        if w > 0 {
            canvas.setColor(c)
            canvas.setLineWidth(w)
            canvas.setDash(dash, lineWidth: w)
            canvas.polyline(points)
            canvas.stroke()
            canvas.setDash(.solid, lineWidth: w)
        }
        if let shape = marker.shape {
            let size = marker.size ?? context.theme.markerSize
            for i in 0..<min(x.count, y.count) {
                let p = context.point(x[i], y[i])
                guard p.x.isFinite, p.y.isFinite else { continue }
                canvas.drawMarker(shape, at: p, size: size, fill: c)
            }
        }
    }

    public func legendEntries(theme: Theme, colors: [Color]) -> [LegendEntry] {
        guard let label else { return [] }
        let c = (color ?? colors.first ?? theme.textColor)
        return [LegendEntry(label: label, key: .line(color: c.opacity(c.alpha * opacity), width: width ?? theme.lineWidth,
                                                      dash: dash, marker: marker))]
    }

    /// The drawn path, sampled every few points, so a `.best` legend avoids
    /// crossing the line and not only its vertices.
    public func obstacles(in context: PlotContext) -> [Point] {
        let points = vertices().map { context.point($0.0, $0.1) }.filter { $0.x.isFinite && $0.y.isFinite }
        var out = points
        for (a, b) in zip(points, points.dropFirst()) {
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            let pieces = min(200, Int(length / 6))
            guard pieces > 1 else { continue }
            for k in 1..<pieces {
                let t = Double(k) / Double(pieces)
                out.append(Point(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t))
            }
        }
        return out
    }
}
