/// A number (or small structure of numbers) that a notebook run records in
/// `results.json`, so that the write-up and checks read numbers, not prose.
///
/// Floats are stored through their shortest decimal text (`Float(0.1)` is
/// written `0.1`, not `0.10000000149011612`), so the file shows the digits
/// the run printed. JSON has no infinity or NaN: non-finite values are
/// written as the strings `"Infinity"`, `"-Infinity"` and `"NaN"` (an SQNR
/// of a lossless code is `"Infinity"`), which Python reads back with
/// `float(v)`.
///
/// ```swift
/// try cell.record("scale_8bit", p.scale)                        // Float
/// try cell.record("sqnr_db", ["uniform": uniform, "laplace": laplace])  // nested
/// ```
public enum ResultValue: Equatable, Sendable {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case array([ResultValue])
    case object([String: ResultValue])

    /// The JSON form (see the type's comment for non-finite values).
    var json: JSONText {
        switch self {
        case .int(let i): return .int(i)
        case .double(let d):
            if d.isFinite { return .double(d) }
            return .string(d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"))
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .array(let items): return .array(items.map(\.json))
        case .object(let members): return .object(members.mapValues(\.json))
        }
    }
}

/// A value that `CodeCell.record(_:_:)` can store in `results.json`, and
/// that ``NotebookResults`` reads back as the same type.
public protocol ResultConvertible {
    /// This value as a result.
    var resultValue: ResultValue { get }
    /// The value `resultValue` stands for, as read back from `results.json`,
    /// or nil when it holds another kind of value.
    init?(resultValue: ResultValue)
}

extension ResultValue: ResultConvertible {
    public var resultValue: ResultValue { self }
    public init?(resultValue: ResultValue) { self = resultValue }
}

extension Double: ResultConvertible {
    public var resultValue: ResultValue { .double(self) }

    /// Also from an integer (JSON does not tell `3` from `3.0`) and from the
    /// strings that stand for non-finite values.
    public init?(resultValue: ResultValue) {
        switch resultValue {
        case .double(let d): self = d
        case .int(let i): self = Double(i)
        case .string("Infinity"): self = .infinity
        case .string("-Infinity"): self = -.infinity
        case .string("NaN"): self = .nan
        default: return nil
        }
    }
}

extension Float: ResultConvertible {
    /// Through the shortest decimal text of the `Float`, so that `0.1` stays
    /// `0.1` (the exact binary value is still recovered by `Float("0.1")`).
    public var resultValue: ResultValue {
        isFinite ? .double(Double(description)!) : .double(Double(self))
    }

    /// The `Float` whose shortest text was written (the nearest `Float`).
    public init?(resultValue: ResultValue) {
        guard let d = Double(resultValue: resultValue) else { return nil }
        self = Float(d)
    }
}

extension Int: ResultConvertible {
    public var resultValue: ResultValue { .int(self) }

    public init?(resultValue: ResultValue) {
        guard case .int(let i) = resultValue else { return nil }
        self = i
    }
}

extension Int32: ResultConvertible {
    public var resultValue: ResultValue { .int(Int(self)) }

    public init?(resultValue: ResultValue) {
        guard case .int(let i) = resultValue else { return nil }
        self.init(exactly: i)
    }
}

extension UInt8: ResultConvertible {
    public var resultValue: ResultValue { .int(Int(self)) }

    public init?(resultValue: ResultValue) {
        guard case .int(let i) = resultValue else { return nil }
        self.init(exactly: i)
    }
}

extension String: ResultConvertible {
    public var resultValue: ResultValue { .string(self) }

    public init?(resultValue: ResultValue) {
        guard case .string(let s) = resultValue else { return nil }
        self = s
    }
}

extension Bool: ResultConvertible {
    public var resultValue: ResultValue { .bool(self) }

    public init?(resultValue: ResultValue) {
        guard case .bool(let b) = resultValue else { return nil }
        self = b
    }
}

extension Array: ResultConvertible where Element: ResultConvertible {
    public var resultValue: ResultValue { .array(map(\.resultValue)) }

    /// Nil unless every item reads as an `Element`.
    public init?(resultValue: ResultValue) {
        guard case .array(let items) = resultValue else { return nil }
        var elements: [Element] = []
        for item in items {
            guard let element = Element(resultValue: item) else { return nil }
            elements.append(element)
        }
        self = elements
    }
}

extension Dictionary: ResultConvertible where Key == String, Value: ResultConvertible {
    public var resultValue: ResultValue { .object(mapValues(\.resultValue)) }

    /// Nil unless every member reads as a `Value`.
    public init?(resultValue: ResultValue) {
        guard case .object(let members) = resultValue else { return nil }
        var values: [String: Value] = [:]
        for (key, member) in members {
            guard let value = Value(resultValue: member) else { return nil }
            values[key] = value
        }
        self = values
    }
}

extension ResultValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// Literals let a notebook record mixed structures directly:
    /// `["bits": 8, "symmetric": false, "sqnr_db": sqnr.resultValue]`.
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: ResultValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, ResultValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
