/// Reading `results.json` back: every JSON value but `null` is a result
/// (the file never holds `null`; non-finite numbers are strings there).
///
/// JSON does not mark a number as integer or floating: `3` reads as
/// `.int(3)` and `3.5` as `.double(3.5)`, and ``Double/init(resultValue:)``
/// takes both.
extension ResultValue: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let items = try? container.decode([ResultValue].self) {
            self = .array(items)
        } else if let members = try? container.decode([String: ResultValue].self) {
            self = .object(members)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a result value (null?)")
        }
    }
}
