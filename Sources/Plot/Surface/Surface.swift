import CCairo
import Foundation

/// Collects the bytes Cairo streams out of an SVG, PDF or PNG writer.
private final class ByteSink {
    var data = Data()
}

private let writeToSink: cairo_write_func_t = { closure, bytes, length in
    guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
    Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
    return CAIRO_STATUS_SUCCESS
}

/// The Cairo surface of each output format, with a `Canvas` on it.
///
/// PNG draws on an image surface of the figure's pixel size, scaled so that
/// one unit is one point; SVG and PDF surfaces are in points already.
/// Output is deterministic: no clocks, no random ids (PDF dates are pinned).
enum Surface {
    /// A fixed date for the PDF Info dictionary, so reruns are byte-identical.
    static let pdfDate = "2000-01-01T00:00:00Z"
    /// Resolution that SVG rasters are upscaled to, in pixels per point: 2 is
    /// 144 dpi, above the 96 dpi that viewers (rsvg-convert, browsers at 100 %)
    /// show an SVG at and enough for a 1.5× zoom, so viewers shrink the
    /// already-blocky raster and smoothing cannot blur the cells.
    static let svgRasterPixelsPerPoint = 2.0

    /// Runs `draw` on a new `format` surface `width × height` points and
    /// returns the finished document: for PNG an opaque image of `pixels`
    /// tagged with `dpi`, for PDF one page with `title` in its metadata.
    static func render(_ format: OutputFormat, width: Double, height: Double, pixels: (width: Int, height: Int),
                       dpi: Double, title: String?, theme: Theme, draw: (Canvas) throws -> Void) throws -> Data {
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let surface: OpaquePointer
        var scale = 1.0
        switch format {
        case .png:
            surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(pixels.width), Int32(pixels.height))
            scale = dpi / 72
        case .svg:
            surface = cairo_svg_surface_create_for_stream(writeToSink, closure, width, height)
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT)
        case .pdf:
            surface = cairo_pdf_surface_create_for_stream(writeToSink, closure, width, height)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, pdfDate)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, pdfDate)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Quant Plot")
            if let title {
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, RichText(title).plain)
            }
        }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "creating the \(format) surface")
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_scale(cr, scale, scale)
        let rasterDensity = format == .svg ? svgRasterPixelsPerPoint : nil
        try draw(Canvas(context: cr, pixelsPerPoint: scale, rasterPixelsPerPoint: rasterDensity, theme: theme))
        try check(cairo_status(cr), "drawing the figure")
        if format == .png {
            return try PNGEncoder.encode(surface: surface, dpi: dpi)
        } else {
            cairo_surface_finish(surface)
            try check(cairo_surface_status(surface), "finishing the \(format) document")
        }
        return format == .svg ? Data(SVGImages.pixelated(SVGIdentifiers.normalize(Array(sink.data)))) : sink.data
    }

    /// Runs `body` with a canvas on a tiny image surface, for measuring text
    /// without drawing.
    static func measuring<T>(theme: Theme, _ body: (Canvas) throws -> T) rethrows -> T {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        return try body(Canvas(context: cr, pixelsPerPoint: 1, theme: theme))
    }

    private static func check(_ status: cairo_status_t, _ operation: String) throws {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError.cairo(operation: operation, status: String(cString: cairo_status_to_string(status)))
        }
    }
}
