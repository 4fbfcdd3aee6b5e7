/// Why a safetensors file could not be read, written, or a tensor taken from it.
public enum SafetensorsError: Error, Equatable, Sendable {
    /// The file could not be read or written.
    case io(path: String, reason: String)
    /// The file is shorter than its 8-byte header length, or than the header it announces.
    case truncated(source: String, byteCount: Int, needed: Int)
    /// The announced header length is beyond the 100 MB the format allows.
    case headerTooLarge(source: String, byteCount: UInt64)
    /// The header is not a JSON object of the expected form.
    case invalidHeader(source: String, detail: String)
    /// A tensor's dtype is not one of F32, I32, I8, U8.
    case unsupportedDType(source: String, tensor: String, dtype: String)
    /// A tensor's byte range does not match its shape and dtype, overlaps
    /// another, leaves a gap, or runs past the data.
    case invalidOffsets(source: String, tensor: String, detail: String)
    /// No tensor of that name.
    case missingTensor(name: String, available: [String])
    /// The tensor exists with another dtype than asked for.
    case dtypeMismatch(name: String, expected: SafetensorsDType, found: SafetensorsDType)
    /// The tensor exists with another shape than asked for.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
}

extension SafetensorsError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .io(let path, let reason):
            return "safetensors file \(path): \(reason)"
        case .truncated(let source, let n, let needed):
            return "safetensors file \(source) is truncated: \(n) bytes, needs at least \(needed)"
        case .headerTooLarge(let source, let n):
            return "safetensors file \(source) announces a \(n)-byte header (more than 100 MB): not a safetensors file"
        case .invalidHeader(let source, let detail):
            return "safetensors file \(source) has an invalid header: \(detail)"
        case .unsupportedDType(let source, let tensor, let dtype):
            return "safetensors file \(source): tensor \(tensor) has dtype \(dtype); Quant reads F32, I32, I8 and U8"
        case .invalidOffsets(let source, let tensor, let detail):
            return "safetensors file \(source): tensor \(tensor): \(detail)"
        case .missingTensor(let name, let available):
            return "no tensor named \(name); the file has \(available.joined(separator: ", "))"
        case .dtypeMismatch(let name, let expected, let found):
            return "tensor \(name) is \(found.rawValue), expected \(expected.rawValue)"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor \(name) has shape \(found), expected \(expected)"
        }
    }
}
