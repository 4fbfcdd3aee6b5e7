import Foundation

/// Finds the Swift source of a code cell — the body of the closure passed to
/// `Notebook.code(_:file:line:_:)` — so that the `.ipynb` shows the code that
/// ran, as Jupyter would.
///
/// The call site's `#filePath` and `#line` locate the call; the closure's
/// opening `{` is the first one outside string literals on that line or the
/// next few (for calls split over lines); the body is every following line up
/// to the first `}` line indented no deeper than the line with the `{`, which
/// is how formatted Swift closes a trailing closure. The body is de-indented
/// to its least-indented line. A closure that opens and closes on one line
/// (`{ cell in cell.print(x) }`) yields what stands between `in` and `}`.
///
/// A cell whose value is kept (`let loaded = try nb.code(…) { … return data }`)
/// ends with the comment `// this cell's result is `loaded` in the cells below`,
/// so that a reader of the `.ipynb`, who sees only closure bodies, can tell
/// where a name used in a later cell comes from.
///
/// When the file is not there (a binary moved to another machine) or the
/// layout is not recognised, the source is the title as a comment, so the
/// export still has a code cell.
///
/// ```swift
/// var sources = CellSource()
/// let code = sources.body(file: #filePath, line: 42) ?? "// Scale and zero-point"
/// ```
struct CellSource {
    /// Each file's lines, read once per run (`nil` when unreadable).
    private var files: [String: [String]?] = [:]

    /// The closure body of the call at `line` (1-based) of `file`, or nil.
    mutating func body(file: String, line: Int) -> String? {
        if files[file] == nil {
            files[file] = (try? String(contentsOfFile: file, encoding: .utf8))
                .map { $0.components(separatedBy: "\n") }
        }
        guard let lines = files[file] ?? nil else { return nil }
        return Self.body(lines: lines, line: line)
    }

    static func body(lines: [String], line: Int) -> String? {
        guard line >= 1, line <= lines.count else { return nil }
        for opening in (line - 1)..<min(lines.count, line + 9) {
            guard let brace = firstBraceOutsideStrings(lines[opening]) else { continue }
            let text = lines[opening]
            let after = text[text.index(after: brace)...]
            let rest = stripParameters(after).trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty {
                guard rest.hasSuffix("}") else { return nil }
                return String(rest.dropLast()).trimmingCharacters(in: .whitespaces)
            }
            let indent = indentation(text)
            var body: [String] = []
            for candidate in lines[(opening + 1)...] {
                let trimmed = candidate.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty && indentation(candidate) <= indent {
                    guard trimmed.hasPrefix("}") else { return nil }
                    guard let name = boundName(lines[line - 1]) else { return dedent(body) }
                    return dedent(body) + "\n// this cell's result is `\(name)` in the cells below"
                }
                body.append(candidate)
            }
            return nil
        }
        return nil
    }

    /// The name in `let name = try nb.code(`, the binding of a cell's result.
    private static func boundName(_ line: String) -> String? {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 4, words[0] == "let", words[2] == "=", words[3] == "try",
              words.count >= 5, words[4].contains(".code("),
              words[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return String(words[1])
    }

    /// The first `{` not inside a `"…"` string literal (escapes honoured;
    /// interpolations `\(…)` hold no braces in practice).
    private static func firstBraceOutsideStrings(_ line: String) -> String.Index? {
        var inString = false, escaped = false
        var i = line.startIndex
        while i < line.endIndex {
            let ch = line[i]
            if inString {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
            } else if ch == "\"" {
                inString = true
            } else if ch == "/" && line[i...].hasPrefix("//") {
                return nil
            } else if ch == "{" {
                return i
            }
            i = line.index(after: i)
        }
        return nil
    }

    /// Drops a closure's parameter clause (`cell in`, `(cell: inout CodeCell) in`):
    /// everything up to the first ` in` that ends a word, when what precedes
    /// it can only be a parameter list.
    private static func stripParameters(_ s: Substring) -> Substring {
        var searchStart = s.startIndex
        while let range = s.range(of: " in", range: searchStart..<s.endIndex) {
            let tail = s[range.upperBound...]
            if tail.isEmpty || tail.first == " " {
                let head = s[..<range.lowerBound]
                let isClause = head.allSatisfy { $0.isLetter || $0.isNumber || "_(),: ".contains($0) }
                return isClause ? tail : s
            }
            searchStart = range.upperBound
        }
        return s
    }

    private static func indentation(_ line: String) -> Int {
        line.prefix { $0 == " " || $0 == "\t" }.count
    }

    private static func dedent(_ lines: [String]) -> String {
        var lines = lines
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        let margin = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(indentation).min() ?? 0
        return lines.map { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "" : String($0.dropFirst(margin)) }
            .joined(separator: "\n")
    }
}
