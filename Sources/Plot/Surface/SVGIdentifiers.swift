/// Renumbers the element ids Cairo writes into SVG so that they depend only
/// on the document.
///
/// Cairo 1.16 names some SVG elements after process-wide counters
/// (`<g id="surface70">`, `image12`, `pattern3`), so the same figure rendered
/// twice in one process would differ in those numbers. This pass renames every
/// `id="<letters><digits>"` to `<letters>1`, `<letters>2`, … in order of first
/// appearance and rewrites the references to them (`#name"` and `#name)`).
/// Ids with other shapes (Cairo's per-document `glyph0-1`) are left alone.
///
/// ```swift
/// SVGIdentifiers.normalize(Array(#"<g id="surface70"><use xlink:href="#surface70"/>"#.utf8))
/// // <g id="surface1"><use xlink:href="#surface1"/>
/// ```
enum SVGIdentifiers {
    static func normalize(_ bytes: [UInt8]) -> [UInt8] {
        let quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#"), paren = UInt8(ascii: ")")
        /// The `<letters><digits>` token starting at `i`, if one ends at a quote or parenthesis.
        func token(at i: Int) -> (letters: Range<Int>, end: Int)? {
            var j = i
            while j < bytes.count, bytes[j] >= UInt8(ascii: "a"), bytes[j] <= UInt8(ascii: "z") { j += 1 }
            let lettersEnd = j
            guard lettersEnd > i else { return nil }
            while j < bytes.count, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") { j += 1 }
            guard j > lettersEnd, j < bytes.count, bytes[j] == quote || bytes[j] == paren else { return nil }
            return (i..<lettersEnd, j)
        }
        // Pass 1: the new name of every id, in order of appearance.
        let marker = Array(#"id=""#.utf8)
        var renamed: [ArraySlice<UInt8>: [UInt8]] = [:]
        var counters: [ArraySlice<UInt8>: Int] = [:]
        var i = 0
        while i + marker.count < bytes.count {
            if bytes[i] == UInt8(ascii: "i"), bytes[i..<(i + marker.count)].elementsEqual(marker),
               let t = token(at: i + marker.count) {
                let old = bytes[(i + marker.count)..<t.end]
                if renamed[old] == nil {
                    let prefix = bytes[t.letters]
                    counters[prefix, default: 0] += 1
                    renamed[old] = Array(prefix) + Array(String(counters[prefix]!).utf8)
                }
                i = t.end
            } else {
                i += 1
            }
        }
        guard !renamed.isEmpty else { return bytes }
        // Pass 2: rewrite ids and references.
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        i = 0
        while i < bytes.count {
            let b = bytes[i]
            out.append(b)
            i += 1
            guard b == quote || b == hash, let t = token(at: i), let name = renamed[bytes[i..<t.end]] else { continue }
            out += name
            i = t.end
        }
        return out
    }
}
