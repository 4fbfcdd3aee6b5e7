/// The header dictionary of a `.npy` file, parsed from its Python literal.
///
/// NumPy writes exactly three keys — `descr`, `fortran_order`, `shape` —
/// as a dict of Python literals; this is a small recursive-descent parser
/// for that subset (strings in single or double quotes, `True`/`False`,
/// tuples of non-negative integers), not a Python evaluator. Anything else
/// is a ``NPYError/malformedHeader(reason:)`` saying what was found where.
struct NPYHeader: Equatable {
    let dtype: NPYDType
    let shape: [Int]

    init(parsing text: String) throws(NPYError) {
        var parser = Parser(text: Array(text.unicodeScalars))
        var fields: [String: Value] = [:]
        try parser.expect("{")
        while true {
            parser.skipSpace()
            if parser.consume("}") { break }
            guard case .string(let key) = try parser.value() else {
                throw .malformedHeader(reason: "expected a string key at offset \(parser.position)")
            }
            try parser.expect(":")
            guard fields.updateValue(try parser.value(), forKey: key) == nil else {
                throw .malformedHeader(reason: "duplicate key '\(key)'")
            }
            parser.skipSpace()
            if parser.consume("}") { break }
            try parser.expect(",")
        }
        parser.skipSpace()
        guard parser.atEnd else { throw .malformedHeader(reason: "unexpected text after the dictionary") }
        guard Set(fields.keys) == ["descr", "fortran_order", "shape"] else {
            throw .malformedHeader(reason: "keys are \(fields.keys.sorted()), expected descr, fortran_order, shape")
        }
        guard case .string(let descr) = fields["descr"] else {
            throw .malformedHeader(reason: "descr is not a string (structured dtypes are not supported)")
        }
        guard case .bool(let fortran) = fields["fortran_order"] else {
            throw .malformedHeader(reason: "fortran_order is not True or False")
        }
        guard case .tuple(let shape) = fields["shape"] else {
            throw .malformedHeader(reason: "shape is not a tuple of integers")
        }
        guard let dtype = NPYDType(descr: descr) else { throw .unsupportedDType(descr) }
        if fortran { throw .fortranOrder }
        self.dtype = dtype
        self.shape = shape
    }

    enum Value {
        case string(String)
        case bool(Bool)
        case tuple([Int])
    }

    struct Parser {
        let text: [Unicode.Scalar]
        var position = 0

        var atEnd: Bool { position == text.count }

        mutating func skipSpace() {
            while position < text.count, text[position].properties.isWhitespace { position += 1 }
        }

        mutating func consume(_ c: Unicode.Scalar) -> Bool {
            guard position < text.count, text[position] == c else { return false }
            position += 1
            return true
        }

        mutating func expect(_ c: Unicode.Scalar) throws(NPYError) {
            skipSpace()
            guard consume(c) else {
                let found = position < text.count ? "'\(text[position])'" : "the end"
                throw .malformedHeader(reason: "expected '\(c)' at offset \(position), found \(found)")
            }
        }

        mutating func value() throws(NPYError) -> Value {
            skipSpace()
            guard position < text.count else { throw .malformedHeader(reason: "the header ends inside the dictionary") }
            let c = text[position]
            if c == "'" || c == "\"" {
                position += 1
                var s = String.UnicodeScalarView()
                while position < text.count, text[position] != c {
                    s.append(text[position])
                    position += 1
                }
                guard consume(c) else { throw .malformedHeader(reason: "unterminated string") }
                return .string(String(s))
            }
            if c == "(" {
                position += 1
                var items: [Int] = []
                while true {
                    skipSpace()
                    if consume(")") { break }
                    var digits = ""
                    while position < text.count, ("0"..."9").contains(text[position]) {
                        digits.unicodeScalars.append(text[position])
                        position += 1
                    }
                    if position < text.count, text[position] == "L" { position += 1 }   // Python 2 longs
                    guard let n = Int(digits) else {
                        throw .malformedHeader(reason: "expected a non-negative integer in shape at offset \(position)")
                    }
                    items.append(n)
                    skipSpace()
                    if consume(")") { break }
                    try expect(",")
                }
                return .tuple(items)
            }
            for (word, flag) in [("True", true), ("False", false)] where text[position...].starts(with: word.unicodeScalars) {
                position += word.unicodeScalars.count
                return .bool(flag)
            }
            throw .malformedHeader(reason: "unexpected '\(c)' at offset \(position)")
        }
    }
}
