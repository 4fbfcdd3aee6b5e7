import Foundation

extension Safetensors {
    /// The largest header the format allows (the reference implementation's limit).
    static let maximumHeaderBytes: UInt64 = 100_000_000

    /// The metadata key that names the framework a file is laid out for.
    static let formatKey = "format"

    /// The file's bytes: header length, JSON header, tensor data.
    ///
    /// Tensors are laid out by dtype (F32, I32, I8, U8) then by name, and the
    /// header lists `__metadata__` (keys sorted) first, then the tensors in
    /// data order — the Python package's layout.
    ///
    /// `__metadata__` always holds `"format"`, `"pt"` unless `metadata`
    /// names another: `safetensors.torch.save_file` writes it, and
    /// Hugging Face `transformers` refuses to load a checkpoint without it
    /// ("does not contain the valid metadata"). The tensors are row-major
    /// little-endian, which is what "pt" promises.
    public func serialized() -> [UInt8] {
        let order = tensors.keys.sorted { a, b in
            let (x, y) = (tensors[a]!.dtype.writeOrder, tensors[b]!.dtype.writeOrder)
            return x != y ? x > y : a < b
        }
        var header = "{"
        var fields = [String]()
        let metadata = self.metadata.merging([Self.formatKey: "pt"]) { given, _ in given }
        let pairs = metadata.keys.sorted().map { "\(Self.jsonString($0)):\(Self.jsonString(metadata[$0]!))" }
        fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        var offset = 0
        for name in order {
            let t = tensors[name]!
            let shape = t.shape.map(String.init).joined(separator: ",")
            fields.append("\(Self.jsonString(name)):{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + t.bytes.count)]}")
            offset += t.bytes.count
        }
        header += fields.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        headerBytes += [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8)
        var out = [UInt8]()
        out.reserveCapacity(8 + headerBytes.count + offset)
        let n = UInt64(headerBytes.count)
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: n >> UInt64(shift))) }
        out += headerBytes
        for name in order { out += tensors[name]!.bytes }
        return out
    }

    /// Writes the file atomically (a temporary file renamed into place), so
    /// an interrupted run never leaves a half-written checkpoint.
    public func write(to url: URL) throws(SafetensorsError) {
        do {
            try Data(serialized()).write(to: url, options: .atomic)
        } catch {
            throw .io(path: url.path, reason: "cannot write (\(error.localizedDescription)); check that the folder exists and is writable")
        }
    }

    /// Reads and checks the file at `url`.
    public init(contentsOf url: URL) throws(SafetensorsError) {
        let data: Data
        do { data = try InputFile.contents(of: url) } catch {
            throw .io(path: url.path, reason: "cannot read (\(error.reason))")
        }
        try self.init(bytes: [UInt8](data), source: url.path)
    }

    /// Decodes a file's bytes; `source` names it in errors.
    public init(bytes: [UInt8], source: String = "<memory>") throws(SafetensorsError) {
        guard bytes.count >= 8 else { throw .truncated(source: source, byteCount: bytes.count, needed: 8) }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << UInt64(8 * i) }
        guard n <= Self.maximumHeaderBytes else { throw .headerTooLarge(source: source, byteCount: n) }
        let headerEnd = 8 + Int(n)
        guard bytes.count >= headerEnd else { throw .truncated(source: source, byteCount: bytes.count, needed: headerEnd) }
        guard n > 0, bytes[8] == UInt8(ascii: "{") else { throw .invalidHeader(source: source, detail: "it does not start with '{'") }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) as? [String: Any] else {
                throw SafetensorsError.invalidHeader(source: source, detail: "not a JSON object")
            }
            object = parsed
        } catch let error as SafetensorsError {
            throw error
        } catch {
            throw .invalidHeader(source: source, detail: "not valid JSON (\(error.localizedDescription))")
        }
        var metadata = [String: String]()
        if let raw = object["__metadata__"] {
            guard let pairs = raw as? [String: String] else {
                throw .invalidHeader(source: source, detail: "__metadata__ must map strings to strings")
            }
            metadata = pairs
        }
        struct Entry { let name: String; let dtype: SafetensorsDType; let shape: [Int]; let begin: Int; let end: Int }
        var entries = [Entry]()
        for (name, value) in object where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
                  let shapeValues = info["shape"] as? [Any], let offsetValues = info["data_offsets"] as? [Any] else {
                throw .invalidHeader(source: source, detail: "tensor \(name) needs dtype, shape and data_offsets")
            }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw .unsupportedDType(source: source, tensor: name, dtype: dtypeName)
            }
            let shape = shapeValues.compactMap(Self.nonNegativeInteger)
            let offsets = offsetValues.compactMap(Self.nonNegativeInteger)
            guard shape.count == shapeValues.count else {
                throw .invalidHeader(source: source, detail: "tensor \(name) has shape \(shapeValues); dimensions must be non-negative integers")
            }
            guard offsets.count == 2, offsetValues.count == 2, offsets[0] <= offsets[1] else {
                throw .invalidOffsets(source: source, tensor: name, detail: "data_offsets \(offsetValues) is not [begin, end] with begin ≤ end")
            }
            // Π shape · byteCount, every product overflow-checked: a shape of
            // 2³⁰ × 2³² F32 has 2⁶² elements, which fit an Int, but 2⁶⁴ bytes.
            var byteCount = dtype.byteCount
            for d in shape {
                let (p, overflow) = byteCount.multipliedReportingOverflow(by: d)
                guard !overflow else { throw .invalidOffsets(source: source, tensor: name, detail: "shape \(shape) is too large") }
                byteCount = p
            }
            guard byteCount == offsets[1] - offsets[0] else {
                throw .invalidOffsets(source: source, tensor: name,
                                      detail: "shape \(shape) of \(dtype.rawValue) needs \(byteCount) bytes, data_offsets \(offsets) give \(offsets[1] - offsets[0])")
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1]))
        }
        // The byte ranges must tile the data exactly: no gaps, no overlaps, nothing after.
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        let dataLength = bytes.count - headerEnd
        var expectedBegin = 0
        var tensors = [String: SafetensorsTensor]()
        for e in entries {
            guard e.begin == expectedBegin else {
                throw .invalidOffsets(source: source, tensor: e.name,
                                      detail: "starts at byte \(e.begin) of the data, expected \(expectedBegin) (a gap or an overlap)")
            }
            guard e.end <= dataLength else {
                throw .truncated(source: source, byteCount: bytes.count, needed: headerEnd + e.end)
            }
            tensors[e.name] = SafetensorsTensor(unchecked: e.dtype, shape: e.shape,
                                                bytes: Array(bytes[(headerEnd + e.begin)..<(headerEnd + e.end)]))
            expectedBegin = e.end
        }
        guard expectedBegin == dataLength else {
            throw .invalidOffsets(source: source, tensor: entries.last?.name ?? "(none)",
                                  detail: "the tensors cover \(expectedBegin) bytes of data but the file holds \(dataLength)")
        }
        self.init(metadata: metadata, tensors: tensors)
    }

    /// A JSON number that is a non-negative integer, or `nil`.
    private static func nonNegativeInteger(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let x = number.doubleValue
        return x >= 0 && x == x.rounded() && x < 0x1p53 ? Int(x) : nil
    }

    /// `s` as a JSON string literal, escaped as serde_json (and so the Python
    /// package) escapes it: `\"`, `\\`, `\b \f \n \r \t`, other controls as `\u00XX`.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
