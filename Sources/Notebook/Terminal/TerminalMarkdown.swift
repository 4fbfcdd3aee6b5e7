import Foundation

/// Renders a markdown cell's prose for a terminal: paragraphs wrapped to the
/// console width, headings set off (bold, or underlined with `═`/`─` in
/// plain output), bullet and numbered lists with hanging indents, tables as
/// aligned columns, fenced code indented and unwrapped, block quotes with a
/// bar, and inline code/bold/links (see `InlineMarkdown`).
///
/// This is the subset of CommonMark that notebook prose uses, not a full
/// parser: a line is a heading (`#`…`######`), a list item (`-`, `*`, `+`,
/// `1.`), a table row (starts with `|`), a fence (```` ``` ````), a quote
/// (`>`), blank, or paragraph text; anything unrecognised is shown as
/// paragraph text, so nothing the author wrote is lost.
///
/// ```swift
/// let text = TerminalMarkdown(console: console).render("## Title\nSome `code` here.")
/// ```
struct TerminalMarkdown {
    let console: Console

    func render(_ markdown: String) -> String {
        var blocks: [String] = []
        let lines = markdown.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                i += 1
            } else if trimmed.hasPrefix("```") {
                var code: [String] = []
                i += 1
                while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    code.append("    " + lines[i])
                    i += 1
                }
                i += 1
                blocks.append(code.map { console.style($0, .cyan) }.joined(separator: "\n"))
            } else if let heading = Self.heading(trimmed) {
                blocks.append(renderHeading(heading.text, level: heading.level))
                i += 1
            } else if trimmed.hasPrefix("|") {
                var rows: [String] = []
                while i < lines.count, lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                    rows.append(lines[i].trimmingCharacters(in: .whitespaces))
                    i += 1
                }
                blocks.append(renderTable(rows))
            } else if let item = Self.listItem(line) {
                var items: [(marker: String, depth: Int, text: String)] = []
                var current = item
                i += 1
                while i < lines.count {
                    let next = lines[i]
                    let nextTrimmed = next.trimmingCharacters(in: .whitespaces)
                    if let another = Self.listItem(next) {
                        items.append((current.marker, current.depth, current.text))
                        current = another
                    } else if nextTrimmed.isEmpty || Self.startsBlock(nextTrimmed) {
                        break
                    } else {
                        current.text += " " + nextTrimmed
                    }
                    i += 1
                }
                items.append((current.marker, current.depth, current.text))
                blocks.append(items.map { item in
                    let indent = String(repeating: "  ", count: item.depth + 1)
                    let marker = item.marker.first!.isNumber ? item.marker : "•"
                    let first = indent + marker + " "
                    let rest = indent + String(repeating: " ", count: marker.count + 1)
                    return wrap(item.text, first: first, rest: rest)
                }.joined(separator: "\n"))
            } else if trimmed.hasPrefix(">") {
                var quote: [String] = []
                while i < lines.count, lines[i].trimmingCharacters(in: .whitespaces).hasPrefix(">") {
                    quote.append(String(lines[i].trimmingCharacters(in: .whitespaces).dropFirst())
                        .trimmingCharacters(in: .whitespaces))
                    i += 1
                }
                let bar = console.style("  │ ", .dim)
                blocks.append(wrap(quote.joined(separator: " "), first: bar, rest: bar, barWidth: 4))
            } else {
                var paragraph: [String] = []
                while i < lines.count {
                    let t = lines[i].trimmingCharacters(in: .whitespaces)
                    if t.isEmpty || (!paragraph.isEmpty && (Self.startsBlock(t) || Self.listItem(lines[i]) != nil)) { break }
                    paragraph.append(t)
                    i += 1
                }
                blocks.append(wrap(paragraph.joined(separator: " "), first: "", rest: ""))
            }
        }
        return blocks.joined(separator: "\n\n")
    }

    // MARK: Blocks

    private static func heading(_ trimmed: String) -> (level: Int, text: String)? {
        let hashes = trimmed.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = trimmed.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " else { return nil }
        return (hashes, rest.trimmingCharacters(in: .whitespaces))
    }

    /// `- item`, `* item`, `+ item`, `1. item` or `1) item`, with the depth
    /// given by the leading spaces (two per level).
    private static func listItem(_ line: String) -> (marker: String, depth: Int, text: String)? {
        let leading = line.prefix { $0 == " " }.count
        let body = line.dropFirst(leading)
        if let first = body.first, "-*+".contains(first), body.dropFirst().first == " " {
            return (String(first), leading / 2, body.dropFirst(2).trimmingCharacters(in: .whitespaces))
        }
        let digits = body.prefix { $0.isNumber }
        let afterDigits = body.dropFirst(digits.count)
        if !digits.isEmpty, digits.count <= 3, let dot = afterDigits.first, ".)".contains(dot),
           afterDigits.dropFirst().first == " " {
            return (digits + ".", leading / 2, afterDigits.dropFirst(2).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    private static func startsBlock(_ trimmed: String) -> Bool {
        trimmed.hasPrefix("```") || trimmed.hasPrefix("|") || trimmed.hasPrefix(">") || heading(trimmed) != nil
    }

    private func renderHeading(_ text: String, level: Int) -> String {
        let pieces = InlineMarkdown.parse(text)
        let shown = pieces.map { InlineMarkdown.render($0, with: console) }.joined()
        let width = pieces.map { InlineMarkdown.width($0, styled: console.styled) }.reduce(0, +)
        if console.styled {
            return level == 1 ? console.style(shown, .underline) : console.style(shown, .bold)
        }
        switch level {
        case 1: return shown + "\n" + String(repeating: "═", count: width)
        case 2: return shown + "\n" + String(repeating: "─", count: width)
        default: return shown
        }
    }

    private func renderTable(_ rows: [String]) -> String {
        func cells(_ row: String) -> [String] {
            var inner = Substring(row)
            if inner.hasPrefix("|") { inner = inner.dropFirst() }
            if inner.hasSuffix("|") && !inner.hasSuffix("\\|") { inner = inner.dropLast() }
            var result: [String] = [], cell = "", escaped = false
            for ch in inner {
                if escaped { cell.append(ch); escaped = false }
                else if ch == "\\" { escaped = true }
                else if ch == "|" { result.append(cell); cell = "" }
                else { cell.append(ch) }
            }
            result.append(cell)
            return result.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let parsed = rows.map(cells)
        let isRule: ([String]) -> Bool = { row in
            row.allSatisfy { !$0.isEmpty && $0.allSatisfy { ":-".contains($0) } }
        }
        guard parsed.count >= 2, isRule(parsed[1]) else {
            return rows.map { wrap($0, first: "", rest: "") }.joined(separator: "\n")
        }
        let alignments: [TextTable.Alignment] = parsed[1].map {
            switch ($0.hasPrefix(":"), $0.hasSuffix(":")) {
            case (true, true): return .center
            case (false, true): return .right
            default: return .left
            }
        }
        let columns = parsed[0].count
        func shown(_ cell: String) -> String {
            InlineMarkdown.parse(cell).map { InlineMarkdown.render($0, with: console) }.joined()
        }
        let widthOf: [String: Int] = Dictionary(
            (parsed[0] + parsed.dropFirst(2).flatMap { $0 }).map { cell in
                (shown(cell), InlineMarkdown.parse(cell).map { InlineMarkdown.width($0, styled: console.styled) }.reduce(0, +))
            }, uniquingKeysWith: { a, _ in a })
        let body = parsed.dropFirst(2).map { row in (0..<columns).map { $0 < row.count ? shown(row[$0]) : "" } }
        let table = TextTable(
            headers: parsed[0].map(shown), rows: Array(body),
            alignments: (0..<columns).map { $0 < alignments.count ? alignments[$0] : .left })
        return table.plainText(indent: "  ", styleHeader: { console.style($0, .bold) },
                               width: { widthOf[$0] ?? $0.count })
    }

    // MARK: Wrapping

    /// Greedy word wrap of inline markdown: `first` prefixes the first line,
    /// `rest` the others (a hanging indent for list items). Code spans are
    /// never broken; a word longer than the line gets a line of its own.
    private func wrap(_ text: String, first: String, rest: String, barWidth: Int? = nil) -> String {
        var words: [[InlineMarkdown.Piece]] = []
        var word: [InlineMarkdown.Piece] = []
        func append(_ ch: Character, _ style: InlineMarkdown.Style) {
            if let last = word.last, last.style == style { word[word.count - 1].text.append(ch) }
            else { word.append(.init(text: String(ch), style: style)) }
        }
        for piece in InlineMarkdown.parse(text) {
            if piece.style == .code {
                word.append(piece)
                continue
            }
            for ch in piece.text {
                if ch == " " {
                    if !word.isEmpty { words.append(word); word = [] }
                } else {
                    append(ch, piece.style)
                }
            }
        }
        if !word.isEmpty { words.append(word) }

        let firstWidth = barWidth ?? first.count, restWidth = barWidth ?? rest.count
        var lines: [String] = []
        var line = "", lineWidth = 0
        for w in words {
            let shown = w.map { InlineMarkdown.render($0, with: console) }.joined()
            let width = w.map { InlineMarkdown.width($0, styled: console.styled) }.reduce(0, +)
            let limit = console.width - (lines.isEmpty ? firstWidth : restWidth)
            if lineWidth > 0 && lineWidth + 1 + width > limit {
                lines.append(line)
                line = shown
                lineWidth = width
            } else {
                line += (lineWidth > 0 ? " " : "") + shown
                lineWidth += (lineWidth > 0 ? 1 : 0) + width
            }
        }
        lines.append(line)
        return lines.enumerated().map { ($0.offset == 0 ? first : rest) + $0.element }.joined(separator: "\n")
    }
}
