/// Why a compressed stream could not be decoded.
public enum GzipError: Error, Equatable, Sendable {
    /// The data ended before the end of the compressed stream.
    case truncated(decodedBytes: Int)
    /// zlib rejected the data (bad header, bad block, or CRC/length mismatch).
    case corrupt(detail: String, decodedBytes: Int)
    /// Bytes that are not another gzip member follow the end of the stream.
    case trailingGarbage(bytes: Int)
}

extension GzipError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let n):
            return "the compressed data ends early (after \(n) decoded bytes); the file is incomplete — download it again"
        case .corrupt(let detail, let n):
            return "the compressed data is corrupt (\(detail), after \(n) decoded bytes); download the file again"
        case .trailingGarbage(let n):
            return "\(n) unexpected bytes follow the end of the compressed data"
        }
    }
}
