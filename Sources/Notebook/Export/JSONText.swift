/// A JSON value with one deterministic text form, for files that must be
/// byte-identical on every rerun (`.ipynb`, `results.json`).
///
/// Foundation's `JSONSerialization` neither promises a number format nor a
/// stable layout on every platform, so the runtime writes JSON itself:
/// object keys sorted by their UTF-8 bytes, numbers in Swift's shortest
/// round-trip form (`0.1`, `1e-07`, `3.0`), strings escaped per RFC 8259
/// (quote, backslash and control characters; everything else verbatim as
/// UTF-8), and a fixed indent.
///
/// ```swift
/// let doc = JSONText.object(["nbformat": .int(4), "cells": .array([])])
/// doc.serialized(indent: 1)   // "{\n \"cells\": [],\n \"nbformat\": 4\n}"
/// ```
enum JSONText: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A finite double. Non-finite values have no JSON form; callers map
    /// them first (see `ResultValue`).
    case double(Double)
    case string(String)
    case array([JSONText])
    case object([String: JSONText])

    /// The text of this value, with `indent` spaces per level (0: one line).
    func serialized(indent: Int) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private func write(to out: inout String, indent: Int, level: Int) {
        let newline = indent > 0 ? "\n" : ""
        let separator = indent > 0 ? ": " : ":"
        func pad(_ level: Int) -> String { String(repeating: " ", count: indent * level) }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += Self.number(d)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[" + newline
            for (i, item) in items.enumerated() {
                out += pad(level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < items.count ? "," : "") + newline
            }
            out += pad(level) + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{" + newline
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                out += pad(level + 1)
                Self.quote(key, into: &out)
                out += separator
                members[key]!.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < keys.count ? "," : "") + newline
            }
            out += pad(level) + "}"
        }
    }

    /// Swift's shortest round-trip text, which is already valid JSON for
    /// finite values (`1e-07` and `1e+16` are legal JSON exponents).
    private static func number(_ d: Double) -> String {
        d.isFinite ? d.description : "null"
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let c where c.value < 0x20 || c.value == 0x7F:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
