import CCairo
@testable import Plot

/// Whether two colours agree within `tolerance` per channel (0…1).
func close(_ a: Color, _ b: Color, tolerance: Double = 3.0 / 255) -> Bool {
    abs(a.red - b.red) <= tolerance && abs(a.green - b.green) <= tolerance && abs(a.blue - b.blue) <= tolerance
}

/// A canvas on a 1 × 1 surface, for measuring text in tests.
func measuringCanvas() -> Canvas {
    let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)
    let cr = cairo_create(surface)!
    cairo_surface_destroy(surface)  // the context keeps its own reference
    return Canvas(context: cr, pixelsPerPoint: 1, theme: .report)
}
