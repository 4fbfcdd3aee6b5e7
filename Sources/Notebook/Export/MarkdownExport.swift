/// The run as one Markdown file, readable on GitHub or in any editor: the
/// title, each markdown cell verbatim, each code cell as a fenced `swift`
/// block followed by its output (text in a `text` block, tables as Markdown
/// tables, figures as image links to the PNG beside the file). No timings,
/// so the file is byte-identical on rerun.
enum MarkdownExport {
    static func document(of notebook: Notebook) -> String {
        var blocks = ["# " + notebook.info.title]
        for cell in notebook.cells {
            switch cell.kind {
            case .markdown:
                blocks.append(trimmed(cell.markdown))
            case .code(_, let source, _):
                blocks.append("```swift\n" + source + "\n```")
                for output in cell.outputs {
                    switch output {
                    case .text(let text): blocks.append("```text\n" + trimmed(text) + "\n```")
                    case .table(let table): blocks.append(table.markdown)
                    case .figure(let name, let caption, _):
                        blocks.append("![\(caption.replacingOccurrences(of: "]", with: "\\]"))](\(name).png)")
                    case .error(_, let message): blocks.append("```text\nerror: " + message + "\n```")
                    }
                }
            }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }
}
