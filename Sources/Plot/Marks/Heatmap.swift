/// A matrix drawn as coloured cells: weight matrices, confusion matrices,
/// attention maps, and images such as MNIST digits.
///
/// Row 0 is at the top and cell (r, c) is centred on x = c, y = r, so axis
/// ticks are row and column indices (or the given labels). Colours come from
/// `colormap` over `range`: by default the data's min…max, or ±max|value|
/// for a diverging map so that 0 is the neutral centre. A colour bar is shown
/// beside the axes (turn it off with `Axes.showsColorBar = false`). With
/// `valueLabels`, each cell prints its value in black or white, whichever
/// reads better on the cell's colour. NaN cells are left blank.
///
/// ```swift
/// // A confusion matrix with counts in the cells.
/// axes.add(Heatmap(confusion, valueLabels: .integer,
///                  rowLabels: digits, columnLabels: digits, colorBarLabel: "count"))
/// axes.x.label = "predicted"; axes.y.label = "true"
/// ```
public struct Heatmap: Mark {
    public var values: [Double]
    public var rows: Int
    public var columns: Int
    public var colormap: Colormap
    /// Values mapped to the two ends of the colormap; `nil` chooses from the data.
    public var range: ClosedRange<Double>?
    public var valueLabels: TickFormat?
    public var rowLabels: [String]?
    public var columnLabels: [String]?
    public var colorBarLabel: String?
    /// Whether cells are square (one data unit as long on x as on y).
    public var squareCells: Bool
    /// How the colour bar labels its ticks; `.integer` also keeps the ticks
    /// on whole numbers, for counts (no "0.5 images").
    public var colorBarFormat: TickFormat = .automatic

    /// A heatmap of `matrix`, given as rows of equal length.
    public init<Row: Sequence>(_ matrix: [Row], colormap: Colormap = .viridis, range: ClosedRange<Double>? = nil,
                               valueLabels: TickFormat? = nil, rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                               colorBarLabel: String? = nil, squareCells: Bool = true) where Row.Element: PlottableValue {
        let rowsValues = matrix.map(\.plotValues)
        let width = rowsValues.map(\.count).max() ?? 0
        // Ragged rows are padded with NaN here and reported by `validate`.
        self.init(values: rowsValues.flatMap { $0 + Array(repeating: .nan, count: width - $0.count) },
                  rows: rowsValues.count, columns: width, colormap: colormap, range: range, valueLabels: valueLabels,
                  rowLabels: rowLabels, columnLabels: columnLabels, colorBarLabel: colorBarLabel, squareCells: squareCells)
        ragged = rowsValues.contains { $0.count != width }
    }

    /// A heatmap of `rows × columns` values stored row by row (a flat tensor).
    public init<VS: Sequence>(values: VS, rows: Int, columns: Int, colormap: Colormap = .viridis,
                              range: ClosedRange<Double>? = nil, valueLabels: TickFormat? = nil,
                              rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                              colorBarLabel: String? = nil, squareCells: Bool = true) where VS.Element: PlottableValue {
        self.values = values.plotValues
        self.rows = rows
        self.columns = columns
        ragged = false
        self.colormap = colormap
        self.range = range
        self.valueLabels = valueLabels
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.colorBarLabel = colorBarLabel
        self.squareCells = squareCells
    }

    private var ragged: Bool

    /// Whether there is exactly one value per cell (checked without
    /// multiplying, which could overflow for absurd sizes).
    private var fits: Bool {
        rows > 0 && columns > 0 && values.count % columns == 0 && values.count / columns == rows
    }

    public var paletteSlots: Int { 0 }

    public func validate() throws {
        let name = "Heatmap"
        guard !ragged else { throw PlotError.invalidData(mark: name, reason: "rows have different lengths; give a rectangular matrix") }
        guard rows > 0, columns > 0 else { throw PlotError.invalidData(mark: name, reason: "the matrix is empty (\(rows) × \(columns))") }
        guard fits else {
            throw PlotError.invalidData(mark: name, reason: "\(values.count) values for \(rows) × \(columns) cells; give rows·columns values")
        }
        if let r = rowLabels, r.count != rows {
            throw PlotError.invalidData(mark: name, reason: "\(r.count) row labels for \(rows) rows")
        }
        if let c = columnLabels, c.count != columns {
            throw PlotError.invalidData(mark: name, reason: "\(c.count) column labels for \(columns) columns")
        }
    }

    /// The value range mapped onto the colormap.
    public var colorRange: ClosedRange<Double> {
        if let range, range.upperBound > range.lowerBound { return range }
        guard let data = DataRange(values) else { return 0...1 }
        if colormap.isDiverging {
            let m = max(abs(data.min), abs(data.max))
            return m > 0 ? -m...m : -1...1
        }
        return data.max > data.min ? data.min...data.max : (data.min - 0.5)...(data.max + 0.5)
    }

    public func extent() -> Extent {
        let xs = [-0.5, Double(columns) - 0.5], ys = [-0.5, Double(rows) - 0.5]
        var e = Extent(x: xs, y: ys)
        e.stickyX = xs
        e.stickyY = ys
        e.xCategories = columnLabels
        e.yCategories = rowLabels
        e.invertsY = true
        e.equalAspect = squareCells
        e.integerTicks = true
        return e
    }

    public func draw(in context: PlotContext) {
        guard rows > 0, columns > 0, fits else { return }
        let r = colorRange
        let span = r.upperBound - r.lowerBound
        let a = context.point(-0.5, -0.5), b = context.point(Double(columns) - 0.5, Double(rows) - 0.5)
        let rect = Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y))
        // The raster's first row goes where row 0 lands (top unless the y axis was flipped).
        let flipRows = a.y > b.y, flipColumns = a.x > b.x
        let colors = values.map { colormap.color(at: ($0 - r.lowerBound) / span) }
        context.canvas.drawImage(width: columns, height: rows, in: rect) { row, column in
            colors[(flipRows ? rows - 1 - row : row) * columns + (flipColumns ? columns - 1 - column : column)]
        }
        guard let format = valueLabels else { return }
        let size = context.theme.valueLabelSize
        let cellWidth = rect.width / Double(columns), cellHeight = rect.height / Double(rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let v = values[row * columns + column]
                guard v.isFinite else { continue }
                let text = format.label(v, step: 0, scale: .linear)
                let m = context.canvas.measure(text, size: size)
                guard m.width + 2 <= cellWidth, m.height <= cellHeight + 1 else { continue }
                let ink: Color = colors[row * columns + column].luminance > 0.35 ? Color(hex: 0x111111) : .white
                context.canvas.drawText(text, at: context.point(Double(column), Double(row)), size: size, color: ink,
                                        horizontal: .center, vertical: .center)
            }
        }
    }

    public var colorBar: ColorBar? {
        ColorBar(colormap: colormap, range: colorRange, label: colorBarLabel, format: colorBarFormat)
    }
}
