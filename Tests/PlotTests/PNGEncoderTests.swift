import CCairo
import Foundation
import Testing
@testable import Plot
import TestSupport

@Suite struct PNGEncoderTests {
    /// Every pixel of an arbitrary image survives encoding and decoding by an
    /// independent reader (Cairo's, through libpng), for both filters.
    @Test func encodedPixelsDecodeExactly() throws {
        let (width, height) = (37, 23)
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))!
        defer { cairo_surface_destroy(surface) }
        let base = cairo_image_surface_get_data(surface)!
        let stride = Int(cairo_image_surface_get_stride(surface))
        var state: UInt32 = 12345
        var expected: [UInt32] = []
        for y in 0..<height {
            let row = UnsafeMutableRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width {
                // Flat runs (favouring Up/Sub) mixed with noise rows, and junk in the unused top byte.
                state = state &* 1_103_515_245 &+ 12345
                let value: UInt32 = y % 3 == 0 ? 0x00FF_FFFF : (y % 3 == 1 ? UInt32(x * 7) << 8 : state >> 8)
                row[x] = value | 0xAB00_0000
                expected.append(value & 0xFF_FFFF)
            }
        }
        cairo_surface_mark_dirty(surface)
        let png = try PNGEncoder.encode(surface: surface, dpi: 150)
        let image = try #require(PNGImage(png))
        #expect(image.width == width && image.height == height)
        var mismatches = 0
        for y in 0..<height {
            for x in 0..<width {
                let c = image.color(x: x, y: y)
                let v = expected[y * width + x]
                let decoded = UInt32((c.red * 255).rounded()) << 16 | UInt32((c.green * 255).rounded()) << 8 | UInt32((c.blue * 255).rounded())
                if decoded != v { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func pngRecordsTheDPI() throws {
        let png = try errorChart(dpi: 150).pngData()
        let bytes = [UInt8](png)
        let tag = Array("pHYs".utf8)
        let at = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == tag })
        let perMetre = bytes[(at + 4)..<(at + 8)].reduce(0) { $0 << 8 | Int($1) }
        #expect(perMetre == 5906)  // 150 / 0.0254, rounded
        #expect(bytes[at + 12] == 1)
    }
}
