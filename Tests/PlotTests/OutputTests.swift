import Foundation
import FoundationXML
import Testing
@testable import Plot
import TestSupport

/// The error-vs-bits chart the notebooks draw most: 3 series × 16 points, log y.
func errorChart(dpi: Double = 100) -> Figure {
    let bits = Array(1...16)
    var axes = Axes(title: "Max error vs bit-width", xLabel: "bits", yLabel: "max |x − x̂|", yScale: .log10)
    for (k, name) in ["uniform", "Gaussian", "Laplace"].enumerated() {
        let y = bits.map { 2.0 * Double(k + 1) / Double(1 << $0) }
        axes.add(Line(x: bits, y: y, label: name, marker: [Marker.circle, .square, .triangle][k]))
    }
    return Figure(axes, dpi: dpi)
}

@Suite struct OutputTests {
    @Test func pngHasThePixelSizeOfInchesTimesDPI() throws {
        let png = try errorChart(dpi: 150).pngData()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let image = try #require(PNGImage(png))
        #expect(image.width == 960 && image.height == 720)
        let small = try #require(PNGImage(try errorChart(dpi: 50).pngData()))
        #expect(small.width == 320 && small.height == 240)
    }

    @Test func svgIsWellFormedXMLWithPathsAndText() throws {
        let svg = try errorChart().svgData()
        let parser = XMLParser(data: svg)
        final class Names: NSObject, XMLParserDelegate {
            var seen: [String: Int] = [:]
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) { seen[name, default: 0] += 1 }
        }
        let names = Names()
        parser.delegate = names
        #expect(parser.parse())
        #expect(names.seen["svg"] == 1)
        #expect((names.seen["path"] ?? 0) > 20)
        // Text is drawn as glyphs (Cairo's SVG uses <use> of glyph symbols).
        #expect((names.seen["use"] ?? 0) > 20)
        let text = String(decoding: svg, as: UTF8.self)
        #expect(text.contains("width=\"460.8pt\"") && text.contains("height=\"345.6pt\""))
    }

    @Test func pdfHasHeaderFixedDatesAndSelectableText() throws {
        let pdf = try errorChart().pdfData()
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1."))
        // Cairo 1.16 writes the pinned date without the "D:" prefix.
        #expect(text.contains("/CreationDate (20000101000000Z)"))
        #expect(text.contains("/ModDate (20000101000000Z)"))
        // Selectable text needs a font with a ToUnicode map.
        #expect(text.contains("/ToUnicode"))
        #expect(text.hasSuffix("%%EOF\n"))
    }

    @Test(arguments: OutputFormat.allCases)
    func renderingTwiceGivesIdenticalBytes(format: OutputFormat) throws {
        let figure = errorChart()
        let first = try figure.data(as: format)
        let second = try figure.data(as: format)
        #expect(first == second)
        #expect(!first.isEmpty)
    }

    @Test func figuresWithImagesAreDeterministicToo() throws {
        // Heatmaps and image grids embed rasters, whose SVG ids Cairo numbers per process.
        for figure in [ReferenceFigures.heatmap(), ReferenceFigures.digits()] {
            for format in OutputFormat.allCases {
                #expect(try figure.data(as: format) == (try figure.data(as: format)))
            }
        }
    }

    @Test func saveWritesTheFormatOfTheExtensionAtomically() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plot-save-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let figure = errorChart()
        for format in OutputFormat.allCases {
            let url = folder.appendingPathComponent("chart.\(format.rawValue.uppercased())")
            try figure.save(to: url)
            #expect(try Data(contentsOf: url) == (try figure.data(as: format)))
        }
        // Nothing but the three figures: no temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 3)
    }

    @Test func saveRejectsUnknownExtensionsAndMissingFolders() {
        let figure = errorChart()
        #expect(throws: PlotError.unknownFormat(path: "/tmp/chart.gif", extension: "gif")) {
            try figure.save(to: URL(fileURLWithPath: "/tmp/chart.gif"))
        }
        #expect {
            try figure.save(to: URL(fileURLWithPath: "/nonexistent-folder-for-plot/chart.png"))
        } throws: { error in
            guard case PlotError.unwritableLocation(_, let reason) = error else { return false }
            return reason.contains("does not exist")
        }
        let message = PlotError.unknownFormat(path: "a.gif", extension: "gif").description
        #expect(message.contains(".png, .svg or .pdf"))
    }

    @Test func invalidFiguresAndDataThrowDescriptiveErrors() {
        var figure = errorChart()
        figure.width = 0
        #expect(throws: PlotError.self) { try figure.pngData() }
        var empty = Figure(rows: 1, columns: 1, width: 1, height: 1, dpi: 0.4)
        empty.panels = []
        #expect { try empty.pngData() } throws: { "\($0)".contains("1 to 32767 pixels") }
        #expect(throws: PlotError.self) { try Figure(rows: 0, columns: 2).svgData() }
        var axes = Axes()
        axes.add(Line(x: [1, 2, 3], y: [1, 2]))
        #expect {
            try Figure(axes).pngData()
        } throws: { error in
            "\(error)".contains("x has 3 values but y has 2")
        }
        var log = Axes(yScale: .log10)
        log.y.min = -1
        log.add(Line(x: [1, 2], y: [1, 10]))
        #expect { try Figure(log).svgData() } throws: { "\($0)".contains("positive min") }
    }
}
