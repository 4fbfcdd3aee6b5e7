import Foundation
import Plot

/// A matrix drawn as a grid of coloured cells, row 0 at the top: a digit
/// image (pixel intensities, grey) or a confusion matrix (counts, with the
/// count written in each cell). Cell `(r, c)` covers `[c, c+1] × [r, r+1]`
/// in data units, so tick positions `c + 0.5` label columns.
///
/// ```swift
/// var axes = Axes()
/// axes.add(Raster(values: pixels, rows: 28, columns: 28, colormap: .gray, range: 0...1))
/// ```
struct Raster: Mark {
    /// Row-major values, `rows × columns`.
    var values: [Double]
    var rows: Int
    var columns: Int
    var colormap: Colormap
    /// The values mapped to the two ends of the colormap (clamped outside).
    var range: ClosedRange<Double>
    /// Maps a value into 0…1 before the colormap (e.g. a square root to
    /// show small counts beside a large diagonal); identity by default.
    var transform: @Sendable (Double) -> Double = { $0 }
    /// Writes each cell's value with this format when set (nothing for an empty string).
    var valueLabel: (@Sendable (Double) -> String)?
    /// The colour bar's label; `nil` shows no colour bar.
    var colorBarLabel: String?
    /// The colour bar's tick format (`.integer` for counts).
    var colorBarFormat: TickFormat = .automatic

    var paletteSlots: Int { 0 }

    func validate() throws {
        guard rows > 0, columns > 0, values.count == rows * columns else {
            throw PlotError.invalidData(mark: "Raster", reason: "\(values.count) values for \(rows) × \(columns) cells")
        }
    }

    func extent() -> Extent {
        var extent = Extent(x: [0, Double(columns)], y: [0, Double(rows)])
        extent.stickyX = [0, Double(columns)]
        extent.stickyY = [0, Double(rows)]
        extent.invertsY = true
        extent.equalAspect = true
        return extent
    }

    func draw(in context: PlotContext) {
        let a = context.point(0, 0), b = context.point(Double(columns), Double(rows))
        let rect = Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y))
        context.canvas.drawImage(width: columns, height: rows, in: rect) { r, c in
            colormap.color(at: unit(values[r * columns + c]))
        }
        guard let valueLabel else { return }
        for r in 0..<rows {
            for c in 0..<columns {
                let v = values[r * columns + c]
                let text = valueLabel(v)
                if text.isEmpty { continue }
                let background = colormap.color(at: unit(v))
                context.canvas.drawText(text, at: context.point(Double(c) + 0.5, Double(r) + 0.5), size: 7,
                                        color: background.luminance > 0.4 ? .black : .white, horizontal: .center, vertical: .center)
            }
        }
    }

    var colorBar: ColorBar? {
        colorBarLabel.map { ColorBar(colormap: colormap, range: range, label: $0, format: colorBarFormat) }
    }

    /// The value's position on the colormap, 0…1.
    private func unit(_ v: Double) -> Double {
        let lo = transform(range.lowerBound), hi = transform(range.upperBound)
        guard hi > lo else { return 0 }
        return min(max((transform(min(max(v, range.lowerBound), range.upperBound)) - lo) / (hi - lo), 0), 1)
    }
}
