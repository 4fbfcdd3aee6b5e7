/// A whole figure: its size, a grid of panels (`Axes`), a title and a theme.
///
/// Sizes follow matplotlib: inches and dots per inch, 6.4 × 4.8 in by
/// default, so a figure written at `dpi: 150` is 960 × 720 pixels. Text and
/// lines are sized in points and look the same at every DPI. One description
/// renders to PNG, SVG and PDF.
///
/// ```swift
/// var axes = Axes(title: "SQNR vs bits", xLabel: "bits", yLabel: "SQNR (dB)")
/// axes.add(Line(x: bits, y: sqnr, label: "Gaussian", marker: .circle))
/// var figure = Figure(axes, dpi: 150)
/// try figure.save(to: URL(fileURLWithPath: "Figures/sqnr.png"))
///
/// // Subplots: 1 × 2 panels sharing the y axis.
/// var pair = Figure(rows: 1, columns: 2, width: 9, height: 3.5)
/// pair[0, 0] = left
/// pair[0, 1] = right
/// pair.sharesY = true
/// pair.title = "Before and after quantization"
/// ```
public struct Figure: Sendable {
    /// Width in inches.
    public var width: Double
    /// Height in inches.
    public var height: Double
    /// Pixels per inch of the PNG output (SVG and PDF are resolution-free).
    public var dpi: Double
    /// A title above all panels.
    public var title: String?
    public var rows: Int
    public var columns: Int
    /// The panels, row by row; fewer than `rows × columns` leaves cells empty.
    public var panels: [Axes]
    /// All panels share the x limits; only the bottom panel of each column
    /// shows x tick labels and the x label.
    public var sharesX = false
    /// All panels share the y limits; only the left column shows y tick
    /// labels and the y label.
    public var sharesY = false
    public var theme = Theme.report

    /// A figure with one panel.
    public init(_ axes: Axes, width: Double = 6.4, height: Double = 4.8, dpi: Double = 100) {
        self.width = width
        self.height = height
        self.dpi = dpi
        rows = 1
        columns = 1
        panels = [axes]
    }

    /// A figure with a `rows × columns` grid of empty panels.
    public init(rows: Int, columns: Int, width: Double = 6.4, height: Double = 4.8, dpi: Double = 100) {
        self.width = width
        self.height = height
        self.dpi = dpi
        self.rows = rows
        self.columns = columns
        panels = Array(repeating: Axes(), count: max(0, rows) * max(0, columns))
    }

    /// The panel at `row`, `column` (0-based). Like an array index, a position
    /// outside the grid is a programming error and traps.
    public subscript(row: Int, column: Int) -> Axes {
        get { panels[row * columns + column] }
        set { panels[row * columns + column] = newValue }
    }

    /// The first panel, for single-panel figures.
    public var axes: Axes {
        get { panels.first ?? Axes() }
        set {
            if panels.isEmpty { panels = [newValue] } else { panels[0] = newValue }
        }
    }

    /// Width and height of the PNG output in pixels: inches × DPI, rounded.
    public var pixelSize: (width: Int, height: Int) {
        (Int((width * dpi).rounded()), Int((height * dpi).rounded()))
    }

    /// Throws unless size, DPI and grid make sense and every mark's data does.
    func validate() throws {
        guard width.isFinite, height.isFinite, width > 0, height > 0, width <= 200, height <= 200 else {
            throw PlotError.invalidFigure(reason: "size \(width) × \(height) in; use positive sizes up to 200 in")
        }
        guard dpi.isFinite, dpi > 0, pixelSize.width >= 1, pixelSize.height >= 1, width * dpi <= 32767, height * dpi <= 32767 else {
            throw PlotError.invalidFigure(reason: "dpi \(dpi) gives \(width * dpi) × \(height * dpi) pixels; use a dpi giving 1 to 32767 pixels per side")
        }
        guard rows >= 1, columns >= 1 else {
            throw PlotError.invalidFigure(reason: "grid \(rows) × \(columns); use at least one row and one column")
        }
        guard panels.count <= rows * columns else {
            throw PlotError.invalidFigure(reason: "\(panels.count) panels do not fit a \(rows) × \(columns) grid; raise rows or columns")
        }
        for panel in panels {
            for mark in panel.marks { try mark.validate() }
        }
    }
}
