import CCairo
import Foundation
import Plot

/// A decoded PNG (through Cairo's own reader), for checking pixel colours:
/// that a mark is drawn where its layout says, in its colour.
///
/// ```swift
/// let image = try #require(PNGImage(try figure.pngData()))
/// #expect(image.color(x: 1, y: 1) == .white)
/// ```
public struct PNGImage: Sendable {
    public let width: Int
    public let height: Int
    private let pixels: [UInt32]

    /// Decodes `data`; nil when it is not a PNG Cairo can read.
    public init?(_ data: Data) {
        final class Source { var data: Data; var offset = 0; init(_ d: Data) { data = d } }
        let source = Source(data)
        let read: cairo_read_func_t = { closure, buffer, length in
            let s = Unmanaged<Source>.fromOpaque(closure!).takeUnretainedValue()
            let n = Int(length)
            guard s.offset + n <= s.data.count, let buffer else { return CAIRO_STATUS_READ_ERROR }
            s.data.copyBytes(to: buffer, from: s.offset..<(s.offset + n))
            s.offset += n
            return CAIRO_STATUS_SUCCESS
        }
        let surface = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(source).toOpaque())
        }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let base = cairo_image_surface_get_data(surface) else { return nil }
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        var pixels = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { pixels[y * width + x] = row[x] }
        }
        self.pixels = pixels
    }

    /// The colour at pixel (`x`, `y`), alpha ignored (figures are opaque).
    public func color(x: Int, y: Int) -> Color {
        let p = pixels[y * width + x]
        return Color(red: Double((p >> 16) & 0xFF) / 255, green: Double((p >> 8) & 0xFF) / 255, blue: Double(p & 0xFF) / 255)
    }

    /// The colour at canvas point `point` (in points, 1/72 inch) of a figure rendered at `dpi`.
    public func color(at point: Point, dpi: Double) -> Color {
        color(x: Int(point.x * dpi / 72), y: Int(point.y * dpi / 72))
    }
}
