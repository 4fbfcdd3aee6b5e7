import Foundation
import Testing
@testable import Plot
import TestSupport

@Suite struct MarkTests {
    @Test func heatmapFromRowsMatchesFlatValuesAndRejectsRaggedRows() throws {
        let rows = Heatmap([[1, 2, 3], [4, 5, 6]])
        let flat = Heatmap(values: [1, 2, 3, 4, 5, 6], rows: 2, columns: 3)
        #expect(rows.values == flat.values && rows.rows == 2 && rows.columns == 3)
        try rows.validate()
        #expect(throws: PlotError.self) { try Heatmap([[1, 2, 3], [4, 5]]).validate() }
    }

    @Test func histogramCountsMatchNumPy() {
        // numpy.histogram([0, 0, 1, 2, 2, 2, 3, 9.5, 10], bins=4) → [6, 1, 0, 2]
        let x = [0, 0, 1, 2, 2, 2, 3, 9.5, 10]
        #expect(Histogram(x, bins: .count(4)).binned().heights == [6, 1, 0, 2])
        #expect(Histogram(x, bins: .count(4)).binned().edges == [0, 2.5, 5, 7.5, 10])
        // numpy.histogram(x, bins=[0, 1, 5, 10]) → [2, 5, 2]: half-open bins, last one closed.
        #expect(Histogram(x, bins: .edges([0, 1, 5, 10])).binned().heights == [2, 5, 2])
        // Values outside the range and NaN are not counted.
        #expect(Histogram(x + [.nan, -3, 11], bins: .count(4), range: 0...10).binned().heights == [6, 1, 0, 2])
    }

    @Test func automaticBinsFollowNumPysAutoRule() {
        // len(numpy.histogram_bin_edges(v, "auto")) − 1 for these data: 8 and 11.
        #expect(Histogram((0..<100).map(Double.init)).binned().heights.count == 8)
        let v = (0..<1000).map { Double($0).squareRoot() * Double($0) }.map { $0.truncatingRemainder(dividingBy: 97) }
        #expect(Histogram(v).binned().heights.count == 11)
    }

    @Test func densityIntegratesToOneAndFractionSumsToOne() {
        let x = (0..<500).map { sin(Double($0)) * 3 }
        let (edges, density) = Histogram(x, bins: .edges([-3, -1, 0, 0.5, 3]), normalization: .density).binned()
        let area = density.indices.reduce(0) { $0 + density[$1] * (edges[$1 + 1] - edges[$1]) }
        expectClose(area, 1, atol: 1e-12)
        let fraction = Histogram(x, bins: .count(7), normalization: .fraction).binned().heights
        expectClose(fraction.reduce(0, +), 1, atol: 1e-12)
    }

    @Test func stackedBarsStackPositiveAndNegativeSeparately() {
        let bars = Bars(categories: ["a", "b"], series: [.init(values: [1, -1]), .init(values: [2, -3])], arrangement: .stacked)
        let segments = bars.segments().map { [$0.from, $0.to] }
        #expect(segments == [[0, 1], [0, -1], [1, 3], [-1, -4]])
        let e = bars.extent()
        #expect(e.y?.min == -4 && e.y?.max == 3 && e.xCategories == ["a", "b"])
    }

    @Test func groupedBarsSitSideBySideWithinTheirCategory() {
        let bars = Bars(categories: ["a"], series: [.init(values: [1]), .init(values: [2])], width: 0.8)
        let s = bars.segments()
        expectClose(s.map(\.center), [-0.2, 0.2], atol: 1e-12)
        expectClose(s.map(\.thickness), [0.4, 0.4], atol: 1e-12)
    }

    @Test func stepLinesExpandTheirVertices() {
        let post = Line(x: [0, 1, 2], y: [5, 6, 7], steps: .post).vertices().map { [$0.0, $0.1] }
        #expect(post == [[0, 5], [1, 5], [1, 6], [2, 6], [2, 7]])
        let pre = Line(x: [0, 1], y: [5, 6], steps: .pre).vertices().map { [$0.0, $0.1] }
        #expect(pre == [[0, 5], [0, 6], [1, 6]])
        let mid = Line(x: [0, 2], y: [5, 6], steps: .mid).vertices().map { [$0.0, $0.1] }
        #expect(mid == [[0, 5], [1, 5], [1, 6], [2, 6]])
    }

    @Test func heatmapRangesAndValidation() throws {
        #expect(Heatmap([[1, 2], [3, 4]]).colorRange == 1...4)
        #expect(Heatmap([[-1, 0.5], [2, 0]], colormap: .redBlue).colorRange == -2...2)
        #expect(Heatmap([[1, 2]], range: 0...10).colorRange == 0...10)
        #expect { try Heatmap([[1, 2], [3]]).validate() } throws: { "\($0)".contains("rectangular") }
        #expect { try Heatmap(values: [1, 2, 3], rows: 2, columns: 2).validate() } throws: { "\($0)".contains("3 values for 2 × 2") }
        #expect { try Heatmap([[1, 2]], rowLabels: ["a", "b"]).validate() } throws: { "\($0)".contains("2 row labels for 1 rows") }
    }

    @Test func paletteColoursGoOnlyToSeriesWithoutTheirOwn() throws {
        var axes = Axes()
        axes.add(Line(x: [0, 1], y: [0, 1], label: "a"))
        axes.add(Line(x: [0, 1], y: [1, 0], label: "b", color: .black))
        axes.add(ReferenceLine.horizontal(y: 0.5, label: "ref"))
        axes.add(Line(x: [0, 1], y: [0.5, 0.5], label: "c"))
        let layout = try LayoutEngine(figure: Figure(axes), canvas: measuringCanvas()).run().1[0]
        let theme = Theme.report
        #expect(layout.colors == [[theme.palette[0]], [], [], [theme.palette[1]]])
    }

    @Test func colormapsInterpolateAndClamp() {
        let map = Colormap(stops: [.black, .white])
        #expect(map.color(at: 0.25) == Color(red: 0.25, green: 0.25, blue: 0.25))
        #expect(map.color(at: -1) == .black && map.color(at: 2) == .white)
        #expect(map.color(at: .nan) == .clear)
        #expect(Colormap.viridis.color(at: 0) == Colormap.viridis.stops[0])
        // Viridis gets lighter from end to end; the diverging map is light in the middle.
        #expect(Colormap.viridis.color(at: 1).luminance > Colormap.viridis.color(at: 0.5).luminance)
        #expect(Colormap.redBlue.color(at: 0.5).luminance > 0.85)
    }

    @Test func svgIdentifiersAreRenumberedInOrderOfAppearance() {
        let svg = ##"<g id="surface70"><use xlink:href="#surface70"/><path id="glyph0-1"/><image id="image12" mask="url(#image12)"/><g id="surface99"/></g>"##
        let out = String(decoding: SVGIdentifiers.normalize(Array(svg.utf8)), as: UTF8.self)
        #expect(out == ##"<g id="surface1"><use xlink:href="#surface1"/><path id="glyph0-1"/><image id="image1" mask="url(#image1)"/><g id="surface2"/></g>"##)
    }

    @Test func svgImagesAreMarkedPixelated() throws {
        let svg = String(decoding: try ReferenceFigures.heatmap().svgData(), as: UTF8.self)
        let images = svg.components(separatedBy: "<image ").count - 1
        #expect(images == 2)  // the matrix and the colour-bar ramp
        #expect(svg.components(separatedBy: #"<image image-rendering="optimizeSpeed" style="image-rendering:pixelated" "#).count - 1 == images)
    }

    @Test func decorationsExtendLimitsOnlyAlongTheirAxis() throws {
        var axes = Axes()
        axes.add(Line(x: [0, 10], y: [0, 1]))
        axes.add(ReferenceLine.horizontal(y: 2, label: "FP32"))
        axes.add(Span.vertical(from: -5, to: -4))
        let panel = try LayoutEngine(figure: Figure(axes), canvas: measuringCanvas()).run().1[0]
        #expect(panel.y.upper > 2 && panel.y.lower < 0)
        #expect(panel.x.lower < -5 && panel.x.upper > 10)
        #expect(panel.legendEntries.map(\.label) == ["FP32"])
    }

    @Test func bandAndAreaValidateAndStickToTheirBaseline() throws {
        #expect { try Band(x: [1, 2], lower: [0], upper: [1, 2]).validate() } throws: { "\($0)".contains("one lower and one upper per x") }
        var axes = Axes()
        axes.add(Band.area(x: [0, 1, 2], y: [1, 3, 2]))
        let panel = try LayoutEngine(figure: Figure(axes), canvas: measuringCanvas()).run().1[0]
        #expect(panel.y.lower == 0 && panel.y.upper > 3)
    }

    @Test func annotationsAreNotClippedAndTakeNoColour() {
        let note = Annotation("peak", at: (1, 2))
        #expect(!note.clipsToPlotArea && note.paletteSlots == 0)
        #expect(note.dx == 30 && note.dy == 30)
        let label = Annotation("here", at: (1, 2), arrow: false)
        #expect(label.dx == 0 && label.dy == 0)
    }

    @Test func histogramRejectsBadBins() {
        #expect { try Histogram([1, 2], bins: .count(0)).validate() } throws: { "\($0)".contains("use 1 to") }
        #expect { try Histogram([1, 2], bins: .count(Int.max)).validate() } throws: { "\($0)".contains("use 1 to") }
        let infinite = Histogram([1, 2], range: -Double.infinity...0)
        #expect(throws: PlotError.self) { try infinite.validate() }
        #expect(infinite.binned().heights.isEmpty)
        #expect { try Histogram([1, 2], bins: .edges([0, 2, 1])).validate() } throws: { "\($0)".contains("increasing") }
    }
}
