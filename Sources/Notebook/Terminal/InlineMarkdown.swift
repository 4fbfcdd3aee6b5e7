/// The inline part of Markdown that notebook prose uses: `code`, **bold**
/// and [links](url), split into styled pieces that the terminal renderer
/// wraps and styles.
///
/// On a terminal, code is cyan and bold is bold, without the markers; in
/// plain output, code keeps its backticks (so `q` still reads as code) and
/// bold loses its asterisks. A link shows as `text (url)`. Anything else —
/// `*`, `_`, `$` — is left as written, since in quantization prose it is
/// more often arithmetic than emphasis.
///
/// A link becomes two pieces, its text (underlined on a terminal) and a
/// plain ` (url)`, so both wrap like words.
///
/// ```swift
/// InlineMarkdown.parse("store `q` **exactly**")
/// // [("store ", .plain), ("q", .code), (" ", .plain), ("exactly", .bold)]
/// ```
public struct InlineMarkdown {
    public enum Style: Equatable, Sendable { case plain, code, bold, link }

    public struct Piece: Equatable, Sendable {
        public var text: String
        public var style: Style
    }

    /// The pieces of `source`, in order (the write-up renders them as HTML).
    public static func parse(_ source: String) -> [Piece] {
        var pieces: [Piece] = []
        var plain = ""
        func flush() {
            if !plain.isEmpty { pieces.append(Piece(text: plain, style: .plain)); plain = "" }
        }
        var i = source.startIndex
        while i < source.endIndex {
            let rest = source[i...]
            if rest.hasPrefix("`"), let close = source[source.index(after: i)...].firstIndex(of: "`") {
                flush()
                pieces.append(Piece(text: String(source[source.index(after: i)..<close]), style: .code))
                i = source.index(after: close)
            } else if rest.hasPrefix("**"), let close = source[source.index(i, offsetBy: 2)...].range(of: "**") {
                flush()
                pieces.append(Piece(text: String(source[source.index(i, offsetBy: 2)..<close.lowerBound]), style: .bold))
                i = close.upperBound
            } else if rest.hasPrefix("["), let link = Self.link(in: rest) {
                flush()
                pieces.append(Piece(text: link.text, style: .link))
                pieces.append(Piece(text: " (\(link.url))", style: .plain))
                i = link.end
            } else {
                plain.append(source[i])
                i = source.index(after: i)
            }
        }
        flush()
        return pieces
    }

    /// `[text](url)` at the start of `s`, if it is one.
    private static func link(in s: Substring) -> (text: String, url: String, end: String.Index)? {
        guard let closeText = s.firstIndex(of: "]"),
              s[s.index(after: closeText)...].hasPrefix("("),
              let closeURL = s[closeText...].firstIndex(of: ")")
        else { return nil }
        let text = s[s.index(after: s.startIndex)..<closeText]
        let url = s[s.index(closeText, offsetBy: 2)..<closeURL]
        guard !text.contains("\n"), !url.contains(" ") else { return nil }
        return (String(text), String(url), s.index(after: closeURL))
    }

    /// How `piece` reads: styled for a terminal, or with plain-text markers.
    static func render(_ piece: Piece, with console: Console) -> String {
        switch piece.style {
        case .plain: return piece.text
        case .code: return console.styled ? console.style(piece.text, .cyan) : "`\(piece.text)`"
        case .bold: return console.style(piece.text, .bold)
        case .link: return console.style(piece.text, .underline)
        }
    }

    /// The visible width of `piece` once rendered (escape codes excluded).
    static func width(_ piece: Piece, styled: Bool) -> Int {
        switch piece.style {
        case .plain, .bold, .link: return piece.text.count
        case .code: return piece.text.count + (styled ? 0 : 2)
        }
    }
}
