import Foundation

/// An array of unsigned bytes read from an IDX file, the format of MNIST
/// and Fashion-MNIST.
///
/// An IDX file is a 4-byte magic number `00 00 tt r` — two zero bytes, the
/// element type `tt` (`0x08` = unsigned byte) and the rank `r` — then `r`
/// big-endian 32-bit dimensions, then `Π dims` elements in row-major order.
/// Files may be gzip-compressed (detected from the `1f 8b` magic number).
/// Every field is checked: a wrong magic number, an unsupported element
/// type, a truncated body or extra trailing bytes throw ``IDXError``.
///
/// ```swift
/// let images = try IDXArray(contentsOf: url)     // train-images-idx3-ubyte.gz
/// images.shape                                    // [60000, 28, 28]
/// images.elements[0..<784]                        // the first image's pixels
/// ```
public struct IDXArray: Sendable, Equatable {
    /// The dimensions from the header, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; `elements.count == Π shape`.
    public let elements: [UInt8]
    /// SHA-256 of the decoded (uncompressed) file, as 64 hex digits: the
    /// same for the original `.gz` and for any recompression of it.
    public let sha256: String

    /// The element type code for unsigned bytes, the only one MNIST uses.
    static let unsignedByteType: UInt8 = 0x08

    /// Reads and checks the IDX file at `url` (gzip-compressed or not).
    public init(contentsOf url: URL) throws(IDXError) {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try InputFile.contents(of: url))
        } catch {
            throw .unreadable(path: url.path, reason: error.reason)
        }
        try self.init(bytes: bytes, source: url.path)
    }

    /// Decodes an IDX file from its bytes; `source` names it in errors.
    public init(bytes: [UInt8], source: String) throws(IDXError) {
        var raw = bytes
        if Gzip.isCompressed(bytes) {
            do { raw = try Gzip.decompress(bytes) } catch { throw .compression(path: source, error) }
        }
        guard raw.count >= 4 else { throw .truncatedHeader(path: source, byteCount: raw.count, needed: 4) }
        guard raw[0] == 0, raw[1] == 0 else { throw .badMagic(path: source, magic: Array(raw[0..<4])) }
        guard raw[2] == Self.unsignedByteType else { throw .unsupportedElementType(path: source, code: raw[2]) }
        let rank = Int(raw[3])
        guard rank >= 1 else { throw .badMagic(path: source, magic: Array(raw[0..<4])) }
        let headerSize = 4 + 4 * rank
        guard raw.count >= headerSize else { throw .truncatedHeader(path: source, byteCount: raw.count, needed: headerSize) }
        var shape = [Int]()
        for k in 0..<rank {
            let o = 4 + 4 * k
            shape.append(Int(raw[o]) << 24 | Int(raw[o + 1]) << 16 | Int(raw[o + 2]) << 8 | Int(raw[o + 3]))
        }
        // Dimensions are < 2³², so the product cannot overflow Int for rank ≤ 2; check anyway.
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw .lengthMismatch(path: source, shape: shape, expectedBytes: Int.max, foundBytes: raw.count - headerSize) }
            count = product
        }
        guard raw.count - headerSize == count else {
            throw .lengthMismatch(path: source, shape: shape, expectedBytes: count, foundBytes: raw.count - headerSize)
        }
        self.shape = shape
        self.elements = Array(raw[headerSize...])
        self.sha256 = SHA256.hexDigest(of: raw)
    }
}
