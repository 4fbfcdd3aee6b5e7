/// One plot panel: two axes, a title, a legend, a grid, and the marks drawn
/// in it, in order (later marks on top).
///
/// `Axes` is a value: build it, append marks, put it in a `Figure`.
///
/// ```swift
/// var axes = Axes(title: "Max error vs bit-width", xLabel: "bits", yLabel: "max |x − x̂|")
/// axes.y.scale = .log10
/// axes.add(Line(x: bits, y: uniformError, label: "uniform", marker: .circle))
/// axes.add(Line(x: bits, y: gaussianError, label: "Gaussian", marker: .square))
/// axes.legend = .upperRight
/// try Figure(axes).save(to: URL(fileURLWithPath: "Figures/max_error.png"))
/// ```
public struct Axes: Sendable {
    public var title: String?
    public var x: Axis
    public var y: Axis
    public var marks: [any Mark] = []
    public var legend: LegendPlacement = .best
    public var grid: GridLines = .automatic
    /// Whether the frame, ticks and tick labels are drawn (off for image grids).
    public var showsFrame = true
    /// Whether to draw the colour bar of a heatmap or image mark.
    public var showsColorBar = true

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                xScale: Scale = .linear, yScale: Scale = .linear) {
        self.title = title
        x = Axis(label: xLabel, scale: xScale)
        y = Axis(label: yLabel, scale: yScale)
    }

    /// Appends a mark on top of those already there.
    public mutating func add(_ mark: some Mark) {
        marks.append(mark)
    }

    /// A copy with `mark` appended, for building an axes in one expression.
    public func adding(_ mark: some Mark) -> Axes {
        var copy = self
        copy.add(mark)
        return copy
    }
}
