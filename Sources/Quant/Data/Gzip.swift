import CZlib
import Foundation

/// Decompression of gzip (RFC 1952) and zlib (RFC 1950) streams in memory,
/// through zlib's `inflate` — no temporary files, no `gunzip` process.
///
/// zlib checks the stream's CRC-32 and length trailer, so a corrupt or
/// truncated `.gz` file is reported rather than silently decoded to wrong
/// bytes. Concatenated gzip members (what `cat a.gz b.gz` makes) are decoded
/// one after another, as `gunzip` does.
///
/// ```swift
/// if Gzip.isCompressed(bytes) { bytes = try Gzip.decompress(bytes) }
/// ```
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The decompressed contents of a gzip or zlib stream.
    ///
    /// - Throws: ``GzipError`` when the stream is corrupt or ends early.
    public static func decompress(_ compressed: [UInt8]) throws(GzipError) -> [UInt8] {
        guard !compressed.isEmpty else { throw .truncated(decodedBytes: 0) }
        // gzip's trailer stores the length mod 2³²: a good first capacity,
        // unless it is implausible (a damaged file), then start at 4× and grow.
        var capacity = compressed.count * 4
        if isCompressed(compressed), compressed.count >= 18 {
            let n = compressed.count
            let isize = Int(compressed[n - 4]) | Int(compressed[n - 3]) << 8 | Int(compressed[n - 2]) << 16 | Int(compressed[n - 1]) << 24
            if isize < compressed.count * 16 { capacity = max(capacity, isize + 1) }
        }
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        var stream = z_stream()
        // 15 + 32: maximum window, and detect a gzip or zlib header automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt(detail: "zlib could not be initialised", decodedBytes: 0)
        }
        defer { inflateEnd(&stream) }
        var consumed = 0
        while true {
            if produced == output.count { output += [UInt8](repeating: 0, count: output.count) }
            let status: Int32 = compressed.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                    stream.avail_in = UInt32(min(input.count - consumed, Int(UInt32.max)))
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(min(out.count - produced, Int(UInt32.max)))
                    let before = (stream.avail_in, stream.avail_out)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    consumed += Int(before.0 - stream.avail_in)
                    produced += Int(before.1 - stream.avail_out)
                    return status
                }
            }
            switch status {
            case Z_OK:
                continue
            case Z_BUF_ERROR where produced == output.count:
                continue   // the output is full: grow it and go on
            case Z_STREAM_END:
                // Another gzip member may follow; anything else after the end is an error.
                if consumed == compressed.count { return Array(output[0..<produced]) }
                guard compressed.count - consumed >= 2, compressed[consumed] == 0x1f, compressed[consumed + 1] == 0x8b else {
                    throw .trailingGarbage(bytes: compressed.count - consumed)
                }
                inflateReset(&stream)
            case Z_BUF_ERROR:
                // No progress possible: the input ended before the stream did.
                throw .truncated(decodedBytes: produced)
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw .corrupt(detail: message, decodedBytes: produced)
            }
        }
    }
}
