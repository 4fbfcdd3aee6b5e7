import Foundation

extension Figure {
    /// A grid of small images, each with an optional caption, as for a page
    /// of MNIST digits with their predicted labels.
    ///
    /// Every image is `width × height` values stored row by row, mapped
    /// through `colormap` over `range` (grey, 0 black to 1 white, by default),
    /// drawn with square pixels and no axes. The figure's height follows from
    /// the number of rows, so pixels stay square.
    ///
    /// ```swift
    /// let figure = Figure.imageGrid(digits.prefix(32).map(\.pixels), width: 28, height: 28,
    ///                               columns: 8, captions: predictions.map { "pred \($0)" },
    ///                               title: "Test digits, int4 model")
    /// try figure.save(to: URL(fileURLWithPath: "Figures/mnist/digits.png"))
    /// ```
    public static func imageGrid<Image: Sequence>(
        _ images: [Image], width: Int, height: Int, columns: Int, captions: [String]? = nil,
        colormap: Colormap = .gray, range: ClosedRange<Double> = 0...1, title: String? = nil,
        figureWidth: Double = 6.4, dpi: Double = 100
    ) -> Figure where Image.Element: PlottableValue {
        let columns = max(1, columns)
        let rows = max(1, (images.count + columns - 1) / columns)
        let theme = Theme.report
        let pad = 2 * theme.figurePad / 72, gap = theme.panelGap / 72
        let captionHeight = captions == nil ? 0 : (theme.fontSize * 1.2 + theme.titlePad) / 72
        let cell = (figureWidth - pad - gap * Double(columns - 1)) / Double(columns)
        let aspect = width > 0 ? Double(height) / Double(width) : 1
        let titleHeight = title == nil ? 0 : (theme.figureTitleSize * 1.2 + theme.titlePad) / 72
        let figureHeight = pad + titleHeight + Double(rows) * (cell * aspect + captionHeight) + gap * Double(rows - 1)
        var figure = Figure(rows: rows, columns: columns, width: figureWidth, height: figureHeight, dpi: dpi)
        figure.title = title
        figure.panels = images.enumerated().map { index, image in
            var axes = Axes(title: captions.flatMap { index < $0.count ? $0[index] : nil })
            axes.showsFrame = false
            axes.showsColorBar = false
            axes.add(Heatmap(values: image, rows: height, columns: width, colormap: colormap, range: range))
            return axes
        }
        return figure
    }
}
