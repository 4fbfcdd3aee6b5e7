import Foundation
import Plot
import Testing
import TestSupport

@Suite struct PNGImageTests {
    @Test func decodesPixels() throws {
        let image = try #require(PNGImage(PNGCheck.onePixel))
        #expect(image.width == 1 && image.height == 1)
        let orange = image.color(x: 0, y: 0)
        #expect(orange.red > 0.9 && orange.green > 0.4 && orange.green < 0.6 && orange.blue < 0.1, "\(orange)")
        #expect(PNGImage(Data("not a png".utf8)) == nil)
    }
}
