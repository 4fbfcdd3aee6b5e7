import Foundation

/// Small PNG facts for tests of code that writes or embeds images.
public enum PNGCheck {
    /// The 8-byte signature every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Whether `data` starts with the PNG signature and an `IHDR` chunk.
    public static func looksLikePNG(_ data: Data) -> Bool {
        data.count >= 24 && Array(data.prefix(8)) == signature && Array(data[12..<16]) == Array("IHDR".utf8)
    }

    /// Width and height from the `IHDR` chunk (big-endian), or nil.
    public static func size(_ data: Data) -> (width: Int, height: Int)? {
        guard looksLikePNG(data) else { return nil }
        let bytes = Array(data[16..<24])
        let width = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[4..<8].reduce(0) { $0 << 8 | Int($1) }
        return (width, height)
    }

    /// A complete, valid 1×1 RGBA PNG (one orange pixel), for fake figures.
    /// Made with Python's `zlib`/`struct` (CRCs included), so decoders accept it.
    public static let onePixel = Data([
        137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
        31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 156, 99, 248, 223, 192, 240, 31, 0, 6, 128, 2,
        127, 16, 76, 27, 225, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
    ])
}
