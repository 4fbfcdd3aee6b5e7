import Foundation
import Testing
@testable import Plot
import TestSupport

/// Reference figures covering every layout feature: each must lay out
/// soundly (see `expectSoundLayout`) and render to the right pixel size.
enum ReferenceFigures {
    static func groupedBars(dpi: Double = 100) -> Figure {
        var axes = Axes(title: "Accuracy by bit-width", xLabel: "bits", yLabel: "accuracy")
        axes.add(Bars(categories: ["8", "6", "4", "3"], series: [.init(label: "PTQ", values: [0.8, 0.7, 0.5, 0.3]),
                                                                 .init(label: "QAT", values: [0.8, 0.75, 0.7, 0.6])],
                      valueLabels: .percent()))
        axes.add(ReferenceLine.horizontal(y: 0.9, label: "FP32"))
        axes.y.min = 0
        axes.y.max = 1
        axes.y.format = .percent()
        axes.legend = .outsideRight
        return Figure(axes, dpi: dpi)
    }

    static func longCategories() -> Figure {
        var axes = Axes(title: "Per-layer error", yLabel: "MSE")
        let names = ["features.conv1", "features.conv2", "features.conv3", "classifier.fc1", "classifier.fc2", "classifier.out"]
        axes.add(Bars(categories: names, values: [3, 1, 4, 1, 5, 9]))
        return Figure(axes, width: 4, height: 3.5)
    }

    static func horizontalBars() -> Figure {
        var axes = Axes(xLabel: "SQNR (dB)")
        axes.add(Bars(categories: ["conv1", "a much longer layer name", "fc"], values: [20, 15, 25],
                      orientation: .horizontal, valueLabels: .decimal(places: 1)))
        return Figure(axes, width: 5, height: 3)
    }

    static func heatmap() -> Figure {
        var axes = Axes(title: "Confusion", xLabel: "predicted", yLabel: "true")
        let matrix = confusion()
        axes.add(Heatmap(matrix, valueLabels: .integer, rowLabels: (0..<10).map(String.init),
                         columnLabels: (0..<10).map(String.init), colorBarLabel: "count"))
        return Figure(axes, width: 6, height: 5)
    }

    /// A 10 × 10 confusion-like matrix: large diagonal, small counts elsewhere.
    static func confusion() -> [[Double]] {
        func count(_ r: Int, _ c: Int) -> Double { r == c ? 900 + Double(r) : Double((r * c) % 7) }
        return (0..<10).map { r in (0..<10).map { c in count(r, c) } }
    }

    static func subplots() -> Figure {
        var figure = Figure(rows: 3, columns: 4, width: 9, height: 6)
        figure.title = "A 3 × 4 grid with shared axes"
        figure.sharesX = true
        figure.sharesY = true
        figure.panels = (0..<12).map { i in
            var axes = Axes(title: "panel \(i)", xLabel: "bits", yLabel: "error", yScale: .log10)
            axes.add(Line(x: Array(1...8), y: (1...8).map { pow(2, -Double($0 + i)) }, label: "e", marker: .circle))
            axes.legend = .hidden
            return axes
        }
        return figure
    }

    static func digits() -> Figure {
        let images = (0..<12).map { k in (0..<64).map { Double(($0 + k) % 9) / 8 } }
        return Figure.imageGrid(images, width: 8, height: 8, columns: 6, captions: (0..<12).map { "digit \($0)" }, title: "Digits")
    }

    static func scales() -> Figure {
        var figure = Figure(rows: 1, columns: 3, width: 9, height: 3)
        var log2 = Axes(xLabel: "bits", yLabel: "levels", xScale: .log2, yScale: .log2)
        log2.add(Line(x: [1, 2, 4, 8, 16], y: [2, 4, 16, 256, 65536]))
        var symlog = Axes(xLabel: "step", yLabel: "g", yScale: .symlog(linearThreshold: 1))
        symlog.add(Line(x: [0, 1, 2, 3], y: [-1000, -1, 5, 300]))
        var inverted = Axes(xLabel: "x", yLabel: "rank")
        inverted.add(Scatter(x: [1, 2, 3], y: [1, 2, 3]))
        inverted.y.inverted = true
        figure.panels = [log2, symlog, inverted]
        return figure
    }

    static var all: [(String, Figure)] {
        [("error chart", errorChart()), ("grouped bars", groupedBars()), ("long categories", longCategories()),
         ("horizontal bars", horizontalBars()), ("heatmap", heatmap()), ("subplots", subplots()), ("digits", digits()),
         ("scales", scales())]
    }
}

@Suite struct GoldenTests {
    @Test(arguments: ReferenceFigures.all.map(\.0))
    func referenceFigureLayoutIsSound(name: String) throws {
        let figure = try #require(ReferenceFigures.all.first { $0.0 == name }?.1)
        try expectSoundLayout(figure)
        // No two pieces of text overlap anywhere in the figure.
        let boxes = try figure.layout().textBoxes
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                #expect(!boxes[i].intersects(boxes[j]), "\(name): \(boxes[i]) overlaps \(boxes[j])")
            }
        }
        let png = try #require(PNGImage(try figure.pngData()))
        #expect(png.width == figure.pixelSize.width && png.height == figure.pixelSize.height)
    }

    @Test func longCategoryLabelsTurnUpright() throws {
        let layout = try ReferenceFigures.longCategories().layout()
        let ticks = layout.panels[0].xTicks
        #expect(ticks.count == 6 && ticks.allSatisfy(\.rotated))
        #expect(ticks.allSatisfy { ($0.labelBox?.height ?? 0) > ($0.labelBox?.width ?? 0) })
    }

    @Test func sharedAxesShowLabelsOnlyOnTheOuterPanels() throws {
        let layout = try ReferenceFigures.subplots().layout()
        for (i, panel) in layout.panels.enumerated() {
            let (row, column) = (i / 4, i % 4)
            #expect(panel.xTicks.allSatisfy { ($0.labelBox != nil) == (row == 2) })
            #expect(panel.yTicks.allSatisfy { ($0.labelBox != nil) == (column == 0) })
            #expect((panel.xLabel != nil) == (row == 2) && (panel.yLabel != nil) == (column == 0))
        }
        // Shared limits: every panel has the same y ticks.
        let first = layout.panels[0].yTicks.map(\.value)
        #expect(layout.panels.allSatisfy { $0.yTicks.map(\.value) == first })
        // Equal plot sizes in the grid.
        let sizes = Set(layout.panels.map { [($0.plotArea.width * 1000).rounded(), ($0.plotArea.height * 1000).rounded()] })
        #expect(sizes.count == 1)
    }

    @Test func imageGridKeepsPixelsSquare() throws {
        let layout = try ReferenceFigures.digits().layout()
        for panel in layout.panels {
            #expect(abs(panel.plotArea.width - panel.plotArea.height) < 1e-9)
            #expect(panel.xTicks.isEmpty && panel.title != nil)
        }
    }

    @Test func pixelsInsideBarsOnGridlinesAndBackground() throws {
        // At 120 DPI a 0.6 pt grid line is exactly one pixel, snapped onto a pixel row.
        let dpi = 120.0
        let figure = ReferenceFigures.groupedBars(dpi: dpi)
        let layout = try figure.layout().panels[0]
        let image = try #require(PNGImage(try figure.pngData()))
        let plot = layout.plotArea
        let theme = Theme.report
        #expect(close(image.color(x: 1, y: 1), .white, tolerance: 0))
        // Category "8": PTQ bar (palette 0) left of the tick, QAT (palette 1) right; both up to 0.8 of the height.
        let tick = layout.xTicks[0].position
        let y = plot.maxY - 0.4 * plot.height
        #expect(close(image.color(at: Point(x: tick - 8, y: y), dpi: dpi), theme.palette[0], tolerance: 0))
        #expect(close(image.color(at: Point(x: tick + 8, y: y), dpi: dpi), theme.palette[1], tolerance: 0))
        // The 60% grid line between categories 8 and 6, behind nothing.
        let gridTick = try #require(layout.yTicks.first { abs($0.value - 0.6) < 1e-9 })
        let gapX = (layout.xTicks[0].position + layout.xTicks[1].position) / 2
        let row = Int(canvasSnap(gridTick.position, dpi: dpi))
        #expect(close(image.color(x: Int(gapX * dpi / 72), y: row), theme.gridColor, tolerance: 0))
        #expect(close(image.color(x: Int(gapX * dpi / 72), y: row + 3), .white, tolerance: 0))
    }

    @Test func heatmapCellsHaveTheirColormapColour() throws {
        let figure = ReferenceFigures.heatmap()
        let layout = try figure.layout().panels[0]
        let image = try #require(PNGImage(try figure.pngData()))
        let matrix = ReferenceFigures.confusion()
        let range = Heatmap(matrix).colorRange
        // Cell (row 2, column 5): value 3, away from its printed number (the cell's upper-left quarter).
        let cellWidth = layout.plotArea.width / 10, cellHeight = layout.plotArea.height / 10
        let point = Point(x: layout.plotArea.minX + 5.2 * cellWidth, y: layout.plotArea.minY + 2.15 * cellHeight)
        let expected = Colormap.viridis.color(at: (3 - range.lowerBound) / (range.upperBound - range.lowerBound))
        #expect(close(image.color(at: point, dpi: figure.dpi), expected, tolerance: 1.5 / 255))
        let bar = try #require(layout.colorBar)
        #expect(close(image.color(at: Point(x: bar.midX, y: bar.minY + 2), dpi: figure.dpi), Colormap.viridis.color(at: 1), tolerance: 4 / 255))
    }

    /// The device row a snapped one-pixel line at canvas coordinate `v` covers.
    private func canvasSnap(_ v: Double, dpi: Double) -> Double {
        (v * dpi / 72).rounded(.down)
    }
}
