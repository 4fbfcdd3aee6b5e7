import Foundation

/// A table of text: the same rows as aligned plain text (for the terminal
/// and the `.ipynb`'s `text/plain`) and as a Markdown table (for the `.md`
/// and the `.ipynb`'s `text/markdown`, which Jupyter shows as HTML).
///
/// ```swift
/// let t = TextTable(headers: ["x", "q"], rows: [["0.5", "128"], ["-1", "0"]])
/// print(t.plainText())
/// //   x    q
/// // ───  ───
/// // 0.5  128
/// //  -1    0
/// ```
public struct TextTable: Equatable, Sendable {
    public enum Alignment: Equatable, Sendable { case left, right, center }

    public var headers: [String]
    public var rows: [[String]]
    /// One per column. Defaults: right for columns whose cells are all
    /// numbers (so digits line up), left otherwise.
    public var alignments: [Alignment]

    public init(headers: [String], rows: [[String]], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments ?? headers.indices.map { column in
            let cells = rows.compactMap { column < $0.count ? $0[column] : nil }
            return !cells.isEmpty && cells.allSatisfy(Self.looksNumeric) ? .right : .left
        }
    }

    private static func looksNumeric(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
        return Double(t) != nil || ["inf", "-inf", "nan", "∞", "-∞"].contains(t.lowercased())
    }

    /// Aligned columns with a rule under the header; `style` styles the
    /// header (it must not change the visible width), `width` measures a
    /// cell as shown (so that inline styling can be measured without its
    /// escape codes).
    func plainText(indent: String = "", styleHeader: (String) -> String = { $0 },
                   width: (String) -> Int = { $0.count }) -> String {
        let columns = headers.count
        var widths = headers.map(width)
        for row in rows {
            for (c, cell) in row.prefix(columns).enumerated() { widths[c] = max(widths[c], width(cell)) }
        }
        func render(_ cells: [String], header: Bool) -> String {
            var parts: [String] = []
            for c in 0..<columns {
                let cell = c < cells.count ? cells[c] : ""
                let padding = widths[c] - width(cell)
                let shown = header ? styleHeader(cell) : cell
                switch alignments[c] {
                case .left: parts.append(shown + String(repeating: " ", count: padding))
                case .right: parts.append(String(repeating: " ", count: padding) + shown)
                case .center:
                    let left = padding / 2
                    parts.append(String(repeating: " ", count: left) + shown + String(repeating: " ", count: padding - left))
                }
            }
            return indent + trimTrailing(parts.joined(separator: "  "))
        }
        var lines = [render(headers, header: true)]
        lines.append(indent + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        lines += rows.map { render($0, header: false) }
        return lines.joined(separator: "\n")
    }

    /// A GitHub-flavoured Markdown table (pipes in cells escaped).
    public var markdown: String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + alignments.map {
            switch $0 {
            case .left: return " --- "
            case .right: return " ---: "
            case .center: return " :---: "
            }
        }.joined(separator: "|") + "|"
        return ([row(headers), rule] + rows.map(row)).joined(separator: "\n")
    }

    private func trimTrailing(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }
}
