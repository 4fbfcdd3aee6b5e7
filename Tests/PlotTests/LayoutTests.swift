import Testing
@testable import Plot

/// Structural checks every figure must pass: text inside the canvas, tick
/// labels apart, legend inside its plot (unless placed outside).
func expectSoundLayout(_ figure: Figure, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let layout = try figure.layout()
    for box in layout.textBoxes {
        #expect(layout.canvas.contains(box, tolerance: 0.01), "text box \(box) leaves the canvas", sourceLocation: sourceLocation)
    }
    for (i, panel) in layout.panels.enumerated() {
        #expect(layout.canvas.contains(panel.plotArea), sourceLocation: sourceLocation)
        for ticks in [panel.xTicks, panel.yTicks, panel.colorBarTicks] {
            let boxes = ticks.compactMap(\.labelBox)
            for (a, b) in zip(boxes, boxes.dropFirst()) {
                #expect(!a.intersects(b), "panel \(i): tick labels \(a) and \(b) overlap", sourceLocation: sourceLocation)
            }
            for box in boxes {
                #expect(!box.intersects(panel.plotArea), "panel \(i): tick label inside the plot", sourceLocation: sourceLocation)
            }
        }
        if let legend = panel.legend, figure.panels[i].legend != .outsideRight {
            #expect(panel.plotArea.contains(legend), sourceLocation: sourceLocation)
        }
        for other in layout.panels.indices where other != i {
            #expect(!panel.plotArea.intersects(layout.panels[other].plotArea), sourceLocation: sourceLocation)
        }
    }
}

@Suite struct LayoutTests {
    @Test func errorChartLayoutIsSound() throws {
        try expectSoundLayout(errorChart())
        try expectSoundLayout(errorChart(dpi: 300))
    }

    @Test func logAxisTicksAreDecadesLabelledAsPowers() throws {
        let layout = try errorChart().layout()
        let labels = layout.panels[0].yTicks.map(\.label)
        #expect(labels.allSatisfy { $0.hasPrefix("10^{") })
        #expect(labels.contains("10^{-3}"))
        #expect(layout.panels[0].xTicks.map(\.label) == ["2", "4", "6", "8", "10", "12", "14", "16"])
    }

    @Test func bestLegendAvoidsTheData() throws {
        // Lines fall from upper left to lower right: the legend goes upper right.
        let layout = try errorChart().layout()
        let panel = layout.panels[0]
        let legend = try #require(panel.legend)
        #expect(legend.midX > panel.plotArea.midX && legend.midY < panel.plotArea.midY)
        // Rising lines: upper right is taken; upper left is free and comes next.
        var rising = Axes()
        rising.add(Line(x: [0, 1, 2, 3], y: [0, 1, 2, 3], label: "a"))
        rising.add(Line(x: [0, 1, 2, 3], y: [0.2, 1.2, 2.2, 3.2], label: "b"))
        let r = try Figure(rising).layout().panels[0]
        let box = try #require(r.legend)
        #expect(box.midX < r.plotArea.midX && box.midY < r.plotArea.midY)
    }

    @Test func bestLegendAvoidsTheInsideOfBarsAndBins() throws {
        // A bar reaching the top of the plot on the right, short ones elsewhere:
        // the upper right box would sit on the bar's face, between its corners.
        var bars = Axes()
        bars.add(Bars(categories: ["a", "b", "c"], values: [0.5, 0.5, 10], label: "value"))
        bars.y.max = 10
        try expectLegendClear(of: bars) { panel in
            let left = panel.xTransform.position(2 - 0.4), right = panel.xTransform.position(2 + 0.4)
            return [Rect(x: left, y: panel.yTransform.position(10), width: right - left,
                         height: panel.yTransform.position(0) - panel.yTransform.position(10))]
        }
        // The same with a histogram's tall bins on the right, on a log axis.
        var histogram = Axes(yScale: .log10)
        histogram.add(Histogram([0, 1, 2, 3] + [Double](repeating: 9.5, count: 1000), bins: .edges([0, 8, 10]), label: "counts"))
        histogram.y.min = 1
        histogram.y.max = 1000
        try expectLegendClear(of: histogram) { panel in
            let left = panel.xTransform.position(8), right = panel.xTransform.position(10)
            return [Rect(x: left, y: panel.yTransform.position(1000), width: right - left,
                         height: panel.yTransform.position(1) - panel.yTransform.position(1000))]
        }
    }

    /// Lays `axes` out alone and checks that its legend meets none of the
    /// canvas boxes `covered` computes from the resolved panel.
    private func expectLegendClear(of axes: Axes, _ covered: (ResolvedPanel) -> [Rect],
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let figure = Figure(axes)
        let panel = try #require(try Surface.measuring(theme: figure.theme) { try LayoutEngine(figure: figure, canvas: $0).run().1 }.first)
        let legend = try #require(panel.layout.legend)
        for box in covered(panel) {
            #expect(!legend.intersects(box), "legend \(legend) covers \(box)", sourceLocation: sourceLocation)
        }
    }

    @Test func integerColorBarsTickOnWholeNumbers() throws {
        var heatmap = Heatmap([[-1, 0], [1, 0]], colormap: .redBlue, range: -1...1)
        heatmap.colorBarFormat = .integer
        let ticks = try Figure(Axes().adding(heatmap)).layout().panels[0].colorBarTicks
        #expect(ticks.map(\.value) == [-1, 0, 1], "\(ticks.map(\.label))")
    }

    @Test func tinyFiguresThrowInsteadOfOverlapping() {
        var figure = errorChart()
        figure.width = 0.5
        figure.height = 0.5
        #expect(throws: PlotError.self) { try figure.layout() }
    }

    @Test func multilineTextStacksLinesAndCentresThem() throws {
        let canvas = measuringCanvas()
        let one = canvas.measure("SQNR", size: 10)
        let two = canvas.measure("SQNR\nin dB, 8 bits", size: 10)
        #expect(abs(two.height - (one.height + 12)) < 1e-9)
        #expect(two.width == canvas.measure("in dB, 8 bits", size: 10).width)
        // A two-line title gets the room it needs.
        var axes = Axes(title: "first line\nsecond line")
        axes.add(Line(x: [0, 1], y: [0, 1]))
        let layout = try Figure(axes).layout()
        let title = try #require(layout.panels[0].title)
        #expect(title.maxY <= layout.panels[0].plotArea.minY && title.minY >= 0)
        #expect(abs(title.height - (canvas.measure("first line", size: 12).height + 14.4)) < 1e-9)
    }
}
