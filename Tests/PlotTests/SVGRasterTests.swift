import Foundation
import FoundationXML
import Testing
@testable import Plot
import TestSupport

/// The rasters an SVG embeds and the patterns that place them, read with
/// an XML parser: Cairo writes `<image id width height xlink:href="data:…">`
/// and paints it through `<pattern patternTransform="matrix(sx,0,0,sy,tx,ty)">
/// <use xlink:href="#id"/>`, so sx × sy points is one embedded pixel.
private final class SVGRasters: NSObject, XMLParserDelegate {
    struct Raster { var width: Int; var height: Int; var png: Data }
    var rasters: [String: Raster] = [:]
    /// (x, y) points per embedded pixel of each pattern's raster, by raster id.
    var pointsPerPixel: [String: (x: Double, y: Double)] = [:]
    private var scale: (x: Double, y: Double)?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "image":
            let href = attributes["xlink:href"] ?? ""
            let base64 = href.split(separator: ",", maxSplits: 1).last.map(String.init) ?? ""
            rasters[attributes["id"] ?? ""] = Raster(width: Int(attributes["width"] ?? "") ?? 0,
                                                     height: Int(attributes["height"] ?? "") ?? 0,
                                                     png: Data(base64Encoded: base64) ?? Data())
        case "pattern":
            let numbers = (attributes["patternTransform"] ?? "")
                .split(whereSeparator: { "matrix(), ".contains($0) }).compactMap { Double($0) }
            scale = numbers.count == 6 ? (numbers[0], numbers[3]) : nil
        case "use":
            if let scale, let id = attributes["xlink:href"]?.dropFirst() { pointsPerPixel[String(id)] = scale }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "pattern" { scale = nil }
    }
}

@Suite struct SVGRasterTests {
    private func rasters(of figure: Figure) throws -> SVGRasters {
        let parser = XMLParser(data: try figure.svgData())
        let found = SVGRasters()
        parser.delegate = found
        #expect(parser.parse())
        return found
    }

    /// librsvg ignores `image-rendering` and smooths an embedded raster it
    /// magnifies; a 10 × 10 heatmap embedded as 10 × 10 pixels and shown
    /// 270 points wide came out as blurred blobs in `rsvg-convert`.
    @Test func svgRastersAreUpscaledSoViewersNeverMagnifyThem() throws {
        for figure in [ReferenceFigures.heatmap(), ReferenceFigures.digits()] {
            let found = try rasters(of: figure)
            #expect(!found.pointsPerPixel.isEmpty)
            #expect(found.pointsPerPixel.count == found.rasters.count)
            for (id, scale) in found.pointsPerPixel {
                // At least Surface.svgRasterPixelsPerPoint embedded pixels per point, both ways.
                #expect(scale.x * Surface.svgRasterPixelsPerPoint <= 1 + 1e-9, "\(id) is \(scale.x) pt per pixel across")
                #expect(scale.y * Surface.svgRasterPixelsPerPoint <= 1 + 1e-9, "\(id) is \(scale.y) pt per pixel down")
            }
        }
    }

    @Test func upscaledHeatmapCellsAreSolidBlocksOfTheirColour() throws {
        let found = try rasters(of: ReferenceFigures.heatmap())
        let matrix = try #require(found.rasters.values.first { $0.width == $0.height })
        #expect(matrix.width % 10 == 0 && matrix.width >= 20 * Int(Surface.svgRasterPixelsPerPoint))
        let image = try #require(PNGImage(matrix.png))
        #expect(image.width == matrix.width && image.height == matrix.height)
        let block = matrix.width / 10
        let heatmap = Heatmap(ReferenceFigures.confusion())
        for (row, column) in [(0, 0), (0, 1), (4, 7), (9, 9)] {
            let expected = heatmap.colormap.color(at: (ReferenceFigures.confusion()[row][column] - heatmap.colorRange.lowerBound)
                                                  / (heatmap.colorRange.upperBound - heatmap.colorRange.lowerBound))
            // Every pixel of the cell's block, corners included, is the cell's colour: nothing to smooth inside.
            for (dy, dx) in [(0, 0), (0, block - 1), (block - 1, 0), (block - 1, block - 1), (block / 2, block / 2)] {
                let pixel = image.color(x: column * block + dx, y: row * block + dy)
                #expect(close(pixel, expected), "cell (\(row), \(column)) pixel (\(dx), \(dy)) is \(pixel), not \(expected)")
            }
        }
    }
}
