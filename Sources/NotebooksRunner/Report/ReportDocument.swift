import Foundation
import Notebook

/// The write-up as a list of blocks, rendered two ways from one source: as
/// Markdown beside the figures (`REPORT.md`, images linked) and as one
/// self-contained HTML page (`REPORT.html`, images inlined as base64, no
/// network needed to read it).
///
/// Inline text uses the notebooks' Markdown subset (`code`, **bold**).
struct ReportDocument {
    enum Block {
        case heading(level: Int, text: String)
        case paragraph(String)
        case bullets([String])
        case table(headers: [String], rows: [[String]])
        /// A PNG under the output folder (`mini4/pareto.png`), with its caption.
        case figure(path: String, caption: String)
    }

    var title: String
    var blocks: [Block] = []

    mutating func add(_ block: Block) { blocks.append(block) }

    /// Markdown, with figure paths relative to the report's folder.
    func markdown() -> String {
        var out = "# \(title)\n"
        for block in blocks {
            out += "\n"
            switch block {
            case .heading(let level, let text):
                out += String(repeating: "#", count: level) + " " + text + "\n"
            case .paragraph(let text):
                out += text + "\n"
            case .bullets(let items):
                out += items.map { "- " + $0 }.joined(separator: "\n") + "\n"
            case .table(let headers, let rows):
                out += TextTable(headers: headers, rows: rows).markdown + "\n"
            case .figure(let path, let caption):
                out += "![\(caption)](\(path))\n\n*\(caption)*\n"
            }
        }
        return out
    }

    /// One HTML page; `image(path)` gives the PNG bytes of a figure (nil: shown as missing).
    func html(image: (String) -> Data?) -> String {
        var body = "<h1>\(Self.escape(title))</h1>\n"
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                body += "<h\(level + 1)>\(Self.inline(text))</h\(level + 1)>\n"
            case .paragraph(let text):
                body += "<p>\(Self.inline(text))</p>\n"
            case .bullets(let items):
                body += "<ul>\n" + items.map { "<li>\(Self.inline($0))</li>\n" }.joined() + "</ul>\n"
            case .table(let headers, let rows):
                body += "<table>\n<tr>" + headers.map { "<th>\(Self.inline($0))</th>" }.joined() + "</tr>\n"
                body += rows.map { "<tr>" + $0.map { "<td>\(Self.inline($0))</td>" }.joined() + "</tr>\n" }.joined()
                body += "</table>\n"
            case .figure(let path, let caption):
                if let png = image(path) {
                    body += "<figure><img alt=\"\(Self.escape(caption))\" src=\"data:image/png;base64,\(png.base64EncodedString())\">"
                } else {
                    body += "<figure><p class=\"missing\">(figure \(Self.escape(path)) was not drawn in this run)</p>"
                }
                body += "<figcaption>\(Self.inline(caption))</figcaption></figure>\n"
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body { font-family: "DejaVu Sans", sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
            table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
            th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; }
            th { background: #f2f2f2; }
            code { background: #f4f4f4; padding: 0 0.2rem; }
            figure { margin: 1.5rem 0; } img { max-width: 100%; }
            figcaption { font-style: italic; color: #555; }
            </style></head>
            <body>
            \(body)</body></html>

            """
    }

    /// `text`'s inline Markdown as HTML: `code`, **bold**, everything else escaped.
    static func inline(_ text: String) -> String {
        InlineMarkdown.parse(text).map { piece in
            switch piece.style {
            case .plain, .link: return escape(piece.text)
            case .code: return "<code>\(escape(piece.text))</code>"
            case .bold: return "<strong>\(escape(piece.text))</strong>"
            }
        }.joined()
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
