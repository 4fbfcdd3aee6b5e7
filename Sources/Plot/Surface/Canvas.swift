import CCairo
import Foundation

/// Drawing commands over one Cairo context, in points (1/72 inch), y down.
///
/// Marks draw through a `Canvas`; it is the one place that talks to Cairo, so
/// a new mark needs no C. It caches the font faces and the widths of labels
/// it has measured, because a figure measures each tick label twice (layout,
/// then drawing).
///
/// ```swift
/// struct Cross: Mark {
///     func draw(in context: PlotContext) {
///         let c = context.canvas
///         c.setColor(.black); c.setLineWidth(1)
///         c.move(to: context.point(0, 0)); c.line(to: context.point(1, 1)); c.stroke()
///     }
/// }
/// ```
public final class Canvas {
    let cr: OpaquePointer
    /// Device pixels per point (DPI/72 for PNG, 1 for SVG/PDF); used to snap
    /// thin axis lines to the pixel grid so they stay crisp in PNG.
    let pixelsPerPoint: Double
    /// Pixels per point that rasters are upscaled to before embedding, or
    /// `nil` to embed them at their own size (see `drawImage`).
    let rasterPixelsPerPoint: Double?
    public let theme: Theme
    let faces: [OpaquePointer]
    var widthCache: [WidthKey: Double] = [:]
    var extentsCache: [FontKey: (ascent: Double, descent: Double)] = [:]
    var currentFont: FontKey?

    struct FontKey: Hashable { var size: Double; var bold: Bool }
    struct WidthKey: Hashable { var text: String; var font: FontKey }

    init(context: OpaquePointer, pixelsPerPoint: Double, rasterPixelsPerPoint: Double? = nil, theme: Theme) {
        cr = context
        self.pixelsPerPoint = pixelsPerPoint
        self.rasterPixelsPerPoint = rasterPixelsPerPoint
        self.theme = theme
        faces = [CAIRO_FONT_WEIGHT_NORMAL, CAIRO_FONT_WEIGHT_BOLD].map {
            cairo_toy_font_face_create(theme.fontFamily, CAIRO_FONT_SLANT_NORMAL, $0)
        }
        // Unhinted metrics scale linearly with size, so text measured for the
        // layout is the same size in PNG, SVG and PDF.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
    }

    deinit {
        faces.forEach { cairo_font_face_destroy($0) }
    }

    // MARK: Paint state

    public func setColor(_ color: Color) {
        cairo_set_source_rgba(cr, color.red, color.green, color.blue, color.alpha)
    }

    public func setLineWidth(_ width: Double) {
        cairo_set_line_width(cr, width)
    }

    /// Sets the dash pattern of `dash` for lines `lineWidth` points wide.
    public func setDash(_ dash: Dash, lineWidth: Double) {
        let pattern = dash.pattern(lineWidth: lineWidth)
        pattern.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
    }

    /// Runs `body` and restores colour, line style and clipping afterwards.
    public func withSavedState<T>(_ body: () throws -> T) rethrows -> T {
        cairo_save(cr)
        defer {
            cairo_restore(cr)
            currentFont = nil  // restore may have reverted the font
        }
        return try body()
    }

    /// Restricts drawing to `rect` until the enclosing `withSavedState` ends.
    public func clip(to rect: Rect) {
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
    }

    /// Moves `value` (a coordinate in points) to the centre of a device pixel
    /// for a line `lineWidth` points wide, so that 1-pixel lines are not
    /// smeared over two pixels. Identity on vector surfaces.
    public func snap(_ value: Double, lineWidth: Double) -> Double {
        guard pixelsPerPoint != 1 else { return value }
        let px = (lineWidth * pixelsPerPoint).rounded()
        let odd = Int(max(px, 1)) % 2 == 1
        let device = value * pixelsPerPoint
        let snapped = odd ? device.rounded(.down) + 0.5 : device.rounded()
        return snapped / pixelsPerPoint
    }

    /// `rect` with each edge moved to the nearest device-pixel boundary, so
    /// that adjoining filled boxes (bars side by side) meet without a faint
    /// antialiased seam. Identity on vector surfaces.
    public func alignedToPixels(_ rect: Rect) -> Rect {
        guard pixelsPerPoint != 1 else { return rect }
        func edge(_ v: Double) -> Double { (v * pixelsPerPoint).rounded() / pixelsPerPoint }
        let x0 = edge(rect.minX), x1 = edge(rect.maxX), y0 = edge(rect.minY), y1 = edge(rect.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    // MARK: Paths

    public func move(to p: Point) { cairo_move_to(cr, p.x, p.y) }
    public func line(to p: Point) { cairo_line_to(cr, p.x, p.y) }
    public func closePath() { cairo_close_path(cr) }
    public func rectangle(_ r: Rect) { cairo_rectangle(cr, r.x, r.y, r.width, r.height) }

    public func circle(center: Point, radius: Double) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, center.x, center.y, radius, 0, 2 * Double.pi)
        cairo_close_path(cr)
    }

    /// A polyline through `points`, starting a new sub-path; non-finite points
    /// break the line (as NaN does in matplotlib).
    public func polyline(_ points: [Point]) {
        var penDown = false
        for p in points {
            guard p.x.isFinite, p.y.isFinite else { penDown = false; continue }
            if penDown { cairo_line_to(cr, p.x, p.y) } else { cairo_move_to(cr, p.x, p.y) }
            penDown = true
        }
    }

    public func stroke() { cairo_stroke(cr) }
    public func fill() { cairo_fill(cr) }
    public func fillPreserve() { cairo_fill_preserve(cr) }

    /// Fills `rect` with `color`.
    public func fill(_ rect: Rect, color: Color) {
        setColor(color)
        rectangle(rect)
        fill()
    }

    /// A straight line from `a` to `b`.
    public func strokeLine(from a: Point, to b: Point, color: Color, width: Double, dash: Dash = .solid) {
        setColor(color)
        setLineWidth(width)
        setDash(dash, lineWidth: width)
        move(to: a)
        line(to: b)
        stroke()
        if dash != .solid { setDash(.solid, lineWidth: width) }
    }

    // MARK: Markers

    /// Draws `shape` centred at `center`, `size` points across, filled with
    /// `fill` and outlined with `edge` (stroked shapes use `fill` as their stroke).
    public func drawMarker(_ shape: MarkerShape, at center: Point, size: Double, fill: Color, edge: Color? = nil, edgeWidth: Double = 0.8) {
        let r = size / 2
        let (x, y) = (center.x, center.y)
        switch shape {
        case .circle:
            circle(center: center, radius: r)
        case .square:
            let s = r * 0.886  // same area as the circle
            rectangle(Rect(x: x - s, y: y - s, width: 2 * s, height: 2 * s))
        case .triangle:
            let s = r * 1.15
            move(to: Point(x: x, y: y - s))
            line(to: Point(x: x + s * 0.866, y: y + s * 0.5))
            line(to: Point(x: x - s * 0.866, y: y + s * 0.5))
            closePath()
        case .diamond:
            move(to: Point(x: x, y: y - r)); line(to: Point(x: x + r * 0.8, y: y))
            line(to: Point(x: x, y: y + r)); line(to: Point(x: x - r * 0.8, y: y)); closePath()
        case .cross:
            let s = r * 0.8
            move(to: Point(x: x - s, y: y - s)); line(to: Point(x: x + s, y: y + s))
            move(to: Point(x: x - s, y: y + s)); line(to: Point(x: x + s, y: y - s))
        case .plus:
            move(to: Point(x: x - r, y: y)); line(to: Point(x: x + r, y: y))
            move(to: Point(x: x, y: y - r)); line(to: Point(x: x, y: y + r))
        }
        if shape.isStroked {
            setColor(fill)
            setLineWidth(max(1.2, size / 5))
            stroke()
            return
        }
        setColor(fill)
        if let edge {
            fillPreserve()
            setColor(edge)
            setLineWidth(edgeWidth)
            stroke()
        } else {
            self.fill()
        }
    }

    // MARK: Images

    /// Paints a `width`×`height` raster (row-major, row 0 at the top) into
    /// `rect`, each source pixel a sharp-edged block (nearest-neighbour), as
    /// for heatmaps and digit images.
    ///
    /// PNG and PDF keep the blocks sharp themselves (Cairo's nearest filter,
    /// PDF `/Interpolate false`), but an SVG viewer scales an embedded image
    /// as it likes, and librsvg (`rsvg-convert`, GNOME) ignores
    /// `image-rendering` and smooths a 10 × 10 confusion matrix into blobs.
    /// So with `rasterPixelsPerPoint` = d set, each source pixel is first
    /// replicated into a kx × ky block, kx = ⌈d · rect.width / width⌉ and
    /// ky = ⌈d · rect.height / height⌉: the embedded image is then at least
    /// d pixels per point, any viewer shrinks rather than magnifies it, and
    /// smoothing can blur a cell edge by at most one screen pixel.
    public func drawImage(width: Int, height: Int, in rect: Rect, pixel: (Int, Int) -> Color) {
        guard width > 0, height > 0 else { return }
        let (kx, ky) = rasterPixelsPerPoint.map { d in
            (Self.blockSize(d * rect.width / Double(width)), Self.blockSize(d * rect.height / Double(height)))
        } ?? (1, 1)
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width * kx), Int32(height * ky))
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { return }
        let stride = Int(cairo_image_surface_get_stride(surface))
        for row in 0..<height {
            let first = (data + row * ky * stride).withMemoryRebound(to: UInt32.self, capacity: width * kx) { $0 }
            for column in 0..<width {
                let c = pixel(row, column)
                let a = max(0, min(1, c.alpha))
                func channel(_ v: Double) -> UInt32 { UInt32((max(0, min(1, v)) * a * 255).rounded()) }
                let argb = UInt32((a * 255).rounded()) << 24 | channel(c.red) << 16 | channel(c.green) << 8 | channel(c.blue)
                for x in (column * kx)..<((column + 1) * kx) { first[x] = argb }
            }
            for copy in 1..<ky {
                memcpy(data + (row * ky + copy) * stride, first, width * kx * 4)
            }
        }
        cairo_surface_mark_dirty(surface)
        withSavedState {
            cairo_translate(cr, rect.x, rect.y)
            cairo_scale(cr, rect.width / Double(width * kx), rect.height / Double(height * ky))
            cairo_set_source_surface(cr, surface, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
            cairo_rectangle(cr, 0, 0, Double(width * kx), Double(height * ky))
            cairo_fill(cr)
        }
    }

    /// Whole pixels a source pixel `pixels` long becomes (at least one).
    private static func blockSize(_ pixels: Double) -> Int {
        pixels.isFinite ? max(1, Int(pixels.rounded(.up))) : 1
    }
}
