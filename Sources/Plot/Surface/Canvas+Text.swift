import CCairo

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

/// Text: measured and drawn with the theme's font, with `^{}`/`_{}` markup.
extension Canvas {
    func selectFont(_ key: FontKey) {
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

    /// Distance between the baselines of consecutive lines, as a multiple of the size.
    private static let lineSpacing = 1.2

    private func measureLine(_ text: String, size: Double, bold: Bool) -> TextMetrics {
        let base = fontExtents(FontKey(size: size, bold: bold))
        var metrics = TextMetrics(width: 0, ascent: base.ascent, descent: base.descent)
        for (run, key, dx, dy) in runLayout(RichText(text), size: size, bold: bold) {
            metrics.width = dx + advance(run.text, key)
            let e = fontExtents(key)
            metrics.ascent = max(metrics.ascent, e.ascent - dy)
            metrics.descent = max(metrics.descent, e.descent + dy)
        }
        return metrics
    }

    /// The size of `text` (with `^{}`/`_{}` markup) at `size` points. Lines
    /// split at `\n` are stacked 1.2 × size apart; the ascent is the first
    /// line's and the descent reaches the bottom of the last.
    public func measure(_ text: String, size: Double, bold: Bool = false) -> TextMetrics {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { measureLine(String($0), size: size, bold: bold) }
        var metrics = lines[0]
        metrics.width = lines.map(\.width).max() ?? 0
        metrics.descent = Double(lines.count - 1) * Self.lineSpacing * size + lines[lines.count - 1].descent
        return metrics
    }

    /// The box `text` occupies when drawn at `anchor` with the given
    /// alignment; `rotated` turns it a quarter turn counter-clockwise (for
    /// y-axis labels), and alignments then refer to the reading direction.
    public func textBox(_ text: String, at anchor: Point, size: Double, bold: Bool = false,
                        horizontal: HorizontalAlignment, vertical: VerticalAlignment, rotated: Bool = false) -> Rect {
        let m = measure(text, size: size, bold: bold)
        let (dx, baseline) = offsets(m, lines: lineCount(text), size: size, horizontal: horizontal, vertical: vertical)
        if rotated {
            // Reading direction is up: text x runs along −y, text y along +x.
            return Rect(x: anchor.x + baseline - m.ascent, y: anchor.y - dx - m.width, width: m.height, height: m.width)
        }
        return Rect(x: anchor.x + dx, y: anchor.y + baseline - m.ascent, width: m.width, height: m.height)
    }

    private func lineCount(_ text: String) -> Int {
        text.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// Offset of the block's left edge and of the first baseline from the anchor.
    private func offsets(_ m: TextMetrics, lines: Int, size: Double, horizontal: HorizontalAlignment,
                         vertical: VerticalAlignment) -> (Double, Double) {
        let dx: Double
        switch horizontal {
        case .left: dx = 0
        case .center: dx = -m.width / 2
        case .right: dx = -m.width
        }
        let baseline: Double
        switch vertical {
        case .top: baseline = m.ascent
        // Half the height of DejaVu's digits, with a block of lines centred as a whole.
        case .center: baseline = 0.365 * size - Double(lines - 1) * Self.lineSpacing * size / 2
        case .baseline: baseline = 0
        case .bottom: baseline = -m.descent
        }
        return (dx, baseline)
    }

    /// Draws `text` (with `^{}`/`_{}` markup, lines split at `\n`, each
    /// aligned like the block) and returns the box it occupies (the same box
    /// `textBox` computes).
    @discardableResult
    public func drawText(_ text: String, at anchor: Point, size: Double, bold: Bool = false, color: Color,
                         horizontal: HorizontalAlignment, vertical: VerticalAlignment, rotated: Bool = false) -> Rect {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let m = measure(text, size: size, bold: bold)
        let (dx, baseline) = offsets(m, lines: lines.count, size: size, horizontal: horizontal, vertical: vertical)
        setColor(color)
        withSavedState {
            cairo_translate(cr, anchor.x, anchor.y)
            if rotated { cairo_rotate(cr, -Double.pi / 2) }
            for (i, line) in lines.enumerated() {
                let width = lines.count == 1 ? m.width : measureLine(line, size: size, bold: bold).width
                let lineX: Double
                switch horizontal {
                case .left: lineX = dx
                case .center: lineX = dx + (m.width - width) / 2
                case .right: lineX = dx + m.width - width
                }
                let y = baseline + Double(i) * Self.lineSpacing * size
                for (run, key, x, dy) in runLayout(RichText(line), size: size, bold: bold) {
                    selectFont(key)
                    cairo_move_to(cr, lineX + x, y + dy)
                    cairo_show_text(cr, run.text)
                }
            }
        }
        return textBox(text, at: anchor, size: size, bold: bold, horizontal: horizontal, vertical: vertical, rotated: rotated)
    }
}
