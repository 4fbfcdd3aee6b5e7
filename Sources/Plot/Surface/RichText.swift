/// A label split into runs of normal, superscript and subscript text.
///
/// Labels use a small TeX-like markup: `^{…}` raises, `_{…}` lowers, and a
/// single character may follow `^`/`_` without braces. It is enough for
/// powers of ten (`10^{-3}`), units (`m^2`) and indices (`x_{i}`), and it
/// keeps plain text plain: a string without `^`/`_` is one run.
///
/// ```swift
/// RichText("10^{-3}").runs  // [("10", .normal), ("−3", .superscript)]
/// ```
struct RichText: Hashable {
    enum Shift: Hashable { case normal, superscript, `subscript` }

    struct Run: Hashable {
        var text: String
        var shift: Shift
    }

    var runs: [Run]

    init(_ source: String) {
        guard source.contains(where: { $0 == "^" || $0 == "_" }) else {
            runs = [Run(text: source, shift: .normal)]
            return
        }
        var runs: [Run] = []
        var current = ""
        var chars = Array(source)[...]
        func flush() {
            if !current.isEmpty { runs.append(Run(text: current, shift: .normal)) }
            current = ""
        }
        while let c = chars.popFirst() {
            guard (c == "^" || c == "_"), let next = chars.first else {
                current.append(c)
                continue
            }
            flush()
            let shift: Shift = c == "^" ? .superscript : .subscript
            var body = ""
            if next == "{" {
                chars.removeFirst()
                while let d = chars.popFirst(), d != "}" { body.append(d) }
            } else {
                body.append(chars.removeFirst())
            }
            // A typographic minus reads better than a hyphen in exponents.
            runs.append(Run(text: body.replacingCharacter("-", with: "\u{2212}"), shift: shift))
        }
        flush()
        self.runs = runs
    }

    /// The text without markup, as a screen reader or PDF search sees it.
    var plain: String { runs.map(\.text).joined() }
}

extension String {
    func replacingCharacter(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
