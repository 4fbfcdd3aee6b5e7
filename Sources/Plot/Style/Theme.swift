/// The look shared by every figure: fonts, sizes, line widths and palette.
///
/// Sizes are in points (1/72 inch) so that a figure looks the same at any DPI,
/// as in matplotlib. The default suits printed reports and light slides:
/// 10 pt text (readable at 100% zoom on a 6.4 in wide figure), 1.5 pt lines,
/// and the Okabe–Ito palette, which stays distinguishable for the common
/// forms of colour blindness.
///
/// ```swift
/// var theme = Theme.report
/// theme.fontSize = 12            // for slides
/// var figure = Figure(axes)
/// figure.theme = theme
/// ```
public struct Theme: Sendable, Hashable {
    /// Font family for all text; DejaVu Sans is installed by `Scripts/bootstrap.sh`.
    public var fontFamily = "DejaVu Sans"
    /// Tick labels, axis labels, legend and annotations.
    public var fontSize: Double = 10
    /// Axes titles.
    public var titleSize: Double = 12
    /// The figure title above all panels.
    public var figureTitleSize: Double = 13
    /// Numbers printed on bars and in heatmap cells.
    public var valueLabelSize: Double = 8

    public var background = Color.white
    public var textColor = Color(hex: 0x1A1A1A)
    public var spineColor = Color(hex: 0x333333)
    public var gridColor = Color(hex: 0xDDDDDD)

    public var lineWidth: Double = 1.5
    public var markerSize: Double = 6
    public var spineWidth: Double = 0.8
    public var gridWidth: Double = 0.6
    public var tickLength: Double = 3.5
    /// Gap between a tick and its label.
    public var tickPad: Double = 3.5
    /// Gap between tick labels and the axis label.
    public var labelPad: Double = 4
    /// Gap between the plot area and its title.
    public var titlePad: Double = 6
    /// Blank border around the whole figure.
    public var figurePad: Double = 8
    /// Extra blank space between neighbouring panels, beyond their text.
    public var panelGap: Double = 10

    /// Series colours, used in order (Okabe & Ito, 2008).
    public var palette: [Color] = [
        0x0072B2, 0xD55E00, 0x009E73, 0xE69F00, 0xCC79A7, 0x56B4E9, 0xF0E442, 0x000000,
    ].map { Color(hex: $0) }

    public init() {}

    /// The default theme.
    public static let report = Theme()

    /// The `index`-th palette colour, wrapping around.
    public func seriesColor(_ index: Int) -> Color {
        palette.isEmpty ? .black : palette[index % palette.count]
    }
}
