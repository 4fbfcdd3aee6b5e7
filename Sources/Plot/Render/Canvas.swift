import CCairo
import Foundation

/// Horizontal placement of text relative to its anchor point.
public enum HorizontalAlignment: Sendable { case left, center, right }

/// Vertical placement of text relative to its anchor point.
public enum VerticalAlignment: Sendable {
    /// The top of the font's ascent is at the anchor.
    case top
    /// The middle of the digits' height is at the anchor (what tick labels
    /// beside an axis should line up on).
    case center
    /// The baseline is at the anchor.
    case baseline
    /// The bottom of the font's descent is at the anchor.
    case bottom
}

/// The size of a laid-out label: `width`, and the `ascent` above and
/// `descent` below its baseline, in points.
public struct TextMetrics: Sendable, Hashable {
    public var width: Double
    public var ascent: Double
    public var descent: Double
    public var height: Double { ascent + descent }
}

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
    public let theme: Theme
    private let faces: [OpaquePointer]
    private var widthCache: [WidthKey: Double] = [:]
    private var extentsCache: [FontKey: (ascent: Double, descent: Double)] = [:]
    private var currentFont: FontKey?

    private struct FontKey: Hashable { var size: Double; var bold: Bool }
    private struct WidthKey: Hashable { var text: String; var font: FontKey }

    init(context: OpaquePointer, pixelsPerPoint: Double, theme: Theme) {
        cr = context
        self.pixelsPerPoint = pixelsPerPoint
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
    public func drawImage(width: Int, height: Int, in rect: Rect, pixel: (Int, Int) -> Color) {
        guard width > 0, height > 0 else { return }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { return }
        let stride = Int(cairo_image_surface_get_stride(surface))
        for row in 0..<height {
            let line = (data + row * stride).withMemoryRebound(to: UInt32.self, capacity: width) { $0 }
            for column in 0..<width {
                let c = pixel(row, column)
                let a = max(0, min(1, c.alpha))
                func channel(_ v: Double) -> UInt32 { UInt32((max(0, min(1, v)) * a * 255).rounded()) }
                line[column] = UInt32((a * 255).rounded()) << 24 | channel(c.red) << 16 | channel(c.green) << 8 | channel(c.blue)
            }
        }
        cairo_surface_mark_dirty(surface)
        withSavedState {
            cairo_translate(cr, rect.x, rect.y)
            cairo_scale(cr, rect.width / Double(width), rect.height / Double(height))
            cairo_set_source_surface(cr, surface, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
            cairo_rectangle(cr, 0, 0, Double(width), Double(height))
            cairo_fill(cr)
        }
    }

    // MARK: Text

    private func selectFont(_ key: FontKey) {
        guard currentFont != key else { return }
        cairo_set_font_face(cr, faces[key.bold ? 1 : 0])
        cairo_set_font_size(cr, key.size)
        currentFont = key
    }

    private func advance(_ text: String, _ key: FontKey) -> Double {
        let wk = WidthKey(text: text, font: key)
        if let w = widthCache[wk] { return w }
        selectFont(key)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        widthCache[wk] = extents.x_advance
        return extents.x_advance
    }

    private func fontExtents(_ key: FontKey) -> (ascent: Double, descent: Double) {
        if let e = extentsCache[key] { return e }
        selectFont(key)
        var extents = cairo_font_extents_t()
        cairo_font_extents(cr, &extents)
        let e = (extents.ascent, extents.descent)
        extentsCache[key] = e
        return e
    }

    private static let scriptScale = 0.7

    private func runLayout(_ text: RichText, size: Double, bold: Bool) -> [(run: RichText.Run, key: FontKey, dx: Double, dy: Double)] {
        var x = 0.0
        return text.runs.map { run in
            let key = FontKey(size: run.shift == .normal ? size : size * Self.scriptScale, bold: bold)
            let dy: Double
            switch run.shift {
            case .normal: dy = 0
            case .superscript: dy = -0.42 * size
            case .subscript: dy = 0.18 * size
            }
            defer { x += advance(run.text, key) }
            return (run, key, x, dy)
        }
    }

    /// The size of `text` (with `^{}`/`_{}` markup) at `size` points.
    public func measure(_ text: String, size: Double, bold: Bool = false) -> TextMetrics {
        let rich = RichText(text)
        let base = fontExtents(FontKey(size: size, bold: bold))
        var metrics = TextMetrics(width: 0, ascent: base.ascent, descent: base.descent)
        for (run, key, dx, dy) in runLayout(rich, size: size, bold: bold) {
            metrics.width = dx + advance(run.text, key)
            let e = fontExtents(key)
            metrics.ascent = max(metrics.ascent, e.ascent - dy)
            metrics.descent = max(metrics.descent, e.descent + dy)
        }
        return metrics
    }

    /// The box `text` occupies when drawn at `anchor` with the given
    /// alignment; `vertical` rotates it a quarter turn counter-clockwise
    /// (for y-axis labels), alignments then refer to the rotated reading
    /// direction.
    public func textBox(_ text: String, at anchor: Point, size: Double, bold: Bool = false,
                        horizontal: HorizontalAlignment, vertical: VerticalAlignment, rotated: Bool = false) -> Rect {
        let m = measure(text, size: size, bold: bold)
        let (dx, baseline) = offsets(m, size: size, horizontal: horizontal, vertical: vertical)
        if rotated {
            // Reading direction is up: text x runs along −y, text y along +x.
            return Rect(x: anchor.x + baseline - m.ascent, y: anchor.y - dx - m.width, width: m.height, height: m.width)
        }
        return Rect(x: anchor.x + dx, y: anchor.y + baseline - m.ascent, width: m.width, height: m.height)
    }

    private func offsets(_ m: TextMetrics, size: Double, horizontal: HorizontalAlignment, vertical: VerticalAlignment) -> (Double, Double) {
        let dx: Double
        switch horizontal {
        case .left: dx = 0
        case .center: dx = -m.width / 2
        case .right: dx = -m.width
        }
        let baseline: Double
        switch vertical {
        case .top: baseline = m.ascent
        case .center: baseline = 0.365 * size  // half the height of DejaVu's digits
        case .baseline: baseline = 0
        case .bottom: baseline = -m.descent
        }
        return (dx, baseline)
    }

    /// Draws `text` (with `^{}`/`_{}` markup) and returns the box it occupies
    /// (the same box `textBox` computes).
    @discardableResult
    public func drawText(_ text: String, at anchor: Point, size: Double, bold: Bool = false, color: Color,
                         horizontal: HorizontalAlignment, vertical: VerticalAlignment, rotated: Bool = false) -> Rect {
        let rich = RichText(text)
        let m = measure(text, size: size, bold: bold)
        let (dx, baseline) = offsets(m, size: size, horizontal: horizontal, vertical: vertical)
        setColor(color)
        withSavedState {
            cairo_translate(cr, anchor.x, anchor.y)
            if rotated { cairo_rotate(cr, -Double.pi / 2) }
            for (run, key, x, dy) in runLayout(rich, size: size, bold: bold) {
                selectFont(key)
                cairo_move_to(cr, dx + x, baseline + dy)
                cairo_show_text(cr, run.text)
            }
        }
        return textBox(text, at: anchor, size: size, bold: bold, horizontal: horizontal, vertical: vertical, rotated: rotated)
    }
}
