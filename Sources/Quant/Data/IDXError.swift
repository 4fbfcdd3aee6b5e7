/// Why an IDX file could not be read. Every case names the file.
public enum IDXError: Error, Equatable, Sendable {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The file is gzip-compressed but the compressed stream is damaged.
    case compression(path: String, GzipError)
    /// The file is shorter than its header (`needed` bytes).
    case truncatedHeader(path: String, byteCount: Int, needed: Int)
    /// The first two bytes are not zero, or the rank is zero.
    case badMagic(path: String, magic: [UInt8])
    /// The element type is not unsigned byte (`0x08`).
    case unsupportedElementType(path: String, code: UInt8)
    /// The body does not hold exactly `Π shape` elements.
    case lengthMismatch(path: String, shape: [Int], expectedBytes: Int, foundBytes: Int)
}

extension IDXError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read IDX file \(path): \(reason)"
        case .compression(let path, let error):
            return "IDX file \(path): \(error)"
        case .truncatedHeader(let path, let n, let needed):
            return "IDX file \(path) is truncated: \(n) bytes, but its header needs \(needed); download it again"
        case .badMagic(let path, let magic):
            let hex = magic.map { String($0, radix: 16) }.joined(separator: " ")
            return "\(path) is not an IDX file: magic number \(hex), expected 00 00 08 <rank ≥ 1>"
        case .unsupportedElementType(let path, let code):
            return "IDX file \(path) has element type 0x\(String(code, radix: 16)); only unsigned bytes (0x08) are supported"
        case .lengthMismatch(let path, let shape, let expected, let found):
            let what = found < expected ? "truncated" : "longer than its header says"
            return "IDX file \(path) is \(what): shape \(shape) needs \(expected) bytes of data, found \(found); download it again"
        }
    }
}
