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

/// A value that `CodeCell.record(_:_:)` can store in `results.json`.
public protocol ResultConvertible {
    /// This value as a result.
    var resultValue: ResultValue { get }
}

extension ResultValue: ResultConvertible {
    public var resultValue: ResultValue { self }
}

extension Double: ResultConvertible {
    public var resultValue: ResultValue { .double(self) }
}

extension Float: ResultConvertible {
    /// Through the shortest decimal text of the `Float`, so that `0.1` stays
    /// `0.1` (the exact binary value is still recovered by `Float("0.1")`).
    public var resultValue: ResultValue {
        isFinite ? .double(Double(description)!) : .double(Double(self))
    }
}

extension Int: ResultConvertible {
    public var resultValue: ResultValue { .int(self) }
}

extension Int32: ResultConvertible {
    public var resultValue: ResultValue { .int(Int(self)) }
}

extension UInt8: ResultConvertible {
    public var resultValue: ResultValue { .int(Int(self)) }
}

extension String: ResultConvertible {
    public var resultValue: ResultValue { .string(self) }
}

extension Bool: ResultConvertible {
    public var resultValue: ResultValue { .bool(self) }
}

extension Array: ResultConvertible where Element: ResultConvertible {
    public var resultValue: ResultValue { .array(map(\.resultValue)) }
}

extension Dictionary: ResultConvertible where Key == String, Value: ResultConvertible {
    public var resultValue: ResultValue { .object(mapValues(\.resultValue)) }
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
