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

/// Renders figures through the Cairo surface of each format.
///
/// PNG draws on an image surface `width·dpi × height·dpi` pixels, scaled so
/// that one unit is one point; SVG and PDF surfaces are in points already.
/// Output is deterministic: no clocks, no random ids (PDF dates are pinned).
enum Surface {
    /// A fixed date for the PDF Info dictionary, so reruns are byte-identical.
    static let pdfDate = "2000-01-01T00:00:00Z"

    static func render(_ figure: Figure, as format: OutputFormat) throws -> Data {
        try figure.validate()
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let width = figure.width * 72, height = figure.height * 72
        let surface: OpaquePointer
        var scale = 1.0
        switch format {
        case .png:
            let size = figure.pixelSize
            surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(size.width), Int32(size.height))
            scale = figure.dpi / 72
        case .svg:
            surface = cairo_svg_surface_create_for_stream(writeToSink, closure, width, height)
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT)
        case .pdf:
            surface = cairo_pdf_surface_create_for_stream(writeToSink, closure, width, height)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, pdfDate)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, pdfDate)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Quant Plot")
            if let title = figure.title {
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, RichText(title).plain)
            }
        }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "creating the \(format) surface")
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_scale(cr, scale, scale)
        let canvas = Canvas(context: cr, pixelsPerPoint: scale, theme: figure.theme)
        _ = try FigureRenderer(figure: figure, canvas: canvas).draw()
        try check(cairo_status(cr), "drawing the figure")
        if format == .png {
            return try PNGEncoder.encode(surface: surface, dpi: figure.dpi)
        } else {
            cairo_surface_finish(surface)
            try check(cairo_surface_status(surface), "finishing the \(format) document")
        }
        return format == .svg ? Data(SVGImages.pixelated(SVGIdentifiers.normalize(Array(sink.data)))) : sink.data
    }

    /// The layout alone, measured on a tiny image surface.
    static func layout(_ figure: Figure) throws -> FigureLayout {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        let canvas = Canvas(context: cr, pixelsPerPoint: 1, theme: figure.theme)
        return try LayoutEngine(figure: figure, canvas: canvas).run().0
    }

    private static func check(_ status: cairo_status_t, _ operation: String) throws {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError.cairo(operation: operation, status: String(cString: cairo_status_to_string(status)))
        }
    }
}
