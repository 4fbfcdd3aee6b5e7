import CCairo
import CZlib
import Foundation

/// Encodes an opaque Cairo image surface as an RGB PNG, faster than Cairo's
/// own writer.
///
/// Cairo's `cairo_surface_write_to_png_stream` goes through libpng with its
/// default compression and filter search; for a 960 × 720 figure that costs
/// far more than drawing it. Figures are mostly flat colour, so this encoder
/// filters each row with whichever of PNG's *Sub* (left neighbour) or *Up*
/// (row above) filters leaves the smaller sum of absolute residuals (the
/// libpng heuristic, restricted to the two filters that matter for flat
/// areas and axis-aligned lines), then deflates with zlib at `level`. It also
/// records the DPI in a `pHYs` chunk, so viewers and word processors size the
/// image in inches as matplotlib's PNGs do. Output is deterministic.
///
/// Format: PNG signature, IHDR (8-bit RGB, no interlace), pHYs, one IDAT,
/// IEND; each chunk is length, type, data, CRC-32 of type + data.
enum PNGEncoder {
    /// zlib level: 1–9. 6 is zlib's default; filtered plot rows are so
    /// repetitive that its extra search costs little over level 1 and gives
    /// smaller files than level 1.
    static let level: Int32 = 1

    static func encode(surface: OpaquePointer, dpi: Double) throws -> Data {
        cairo_surface_flush(surface)
        guard let base = cairo_image_surface_get_data(surface) else {
            throw PlotError.cairo(operation: "reading pixels for PNG", status: "no image data")
        }
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let rowBytes = 3 * width
        var raw = [UInt8](repeating: 0, count: (rowBytes + 1) * height)
        let zeros = [UInt32](repeating: 0, count: width)
        zeros.withUnsafeBufferPointer { zeroRow in
            raw.withUnsafeMutableBufferPointer { buffer in
                let out = buffer.baseAddress!
                for y in 0..<height {
                    // Cairo's RGB24 pixels are native-endian 0x??RRGGBB words.
                    let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
                    let above = y == 0 ? zeroRow.baseAddress! : UnsafeRawPointer(base + (y - 1) * stride).assumingMemoryBound(to: UInt32.self)
                    // Choose the filter leaving fewer non-zero residual pixels.
                    var upResiduals = 0, subResiduals = 0
                    var left: UInt32 = 0
                    for x in 0..<width {
                        let p = row[x] & 0xFF_FFFF
                        upResiduals += bytewiseDifference(p, above[x] & 0xFF_FFFF) == 0 ? 0 : 1
                        subResiduals += bytewiseDifference(p, left) == 0 ? 0 : 1
                        left = p
                    }
                    let useUp = upResiduals <= subResiduals
                    var o = out + y * (rowBytes + 1)
                    o.pointee = useUp ? 2 : 1
                    o += 1
                    left = 0
                    for x in 0..<width {
                        let p = row[x] & 0xFF_FFFF
                        let r = bytewiseDifference(p, useUp ? above[x] & 0xFF_FFFF : left)
                        o[0] = UInt8(truncatingIfNeeded: r >> 16)
                        o[1] = UInt8(truncatingIfNeeded: r >> 8)
                        o[2] = UInt8(truncatingIfNeeded: r)
                        o += 3
                        left = p
                    }
                }
            }
        }
        let compressed = try deflate(raw)
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 2, 0, 0, 0])  // 8-bit, RGB, deflate, adaptive filters, no interlace
        appendChunk("IHDR", header, to: &png)
        var physical = Data()
        let perMetre = UInt32(min((dpi / 0.0254).rounded(), Double(UInt32.max)))
        physical.appendBigEndian(perMetre)
        physical.appendBigEndian(perMetre)
        physical.append(1)  // unit: metre
        appendChunk("pHYs", physical, to: &png)
        appendChunk("IDAT", compressed, to: &png)
        appendChunk("IEND", Data(), to: &png)
        return png
    }

    /// `a − b` in each byte, modulo 256, without borrows between bytes (SWAR).
    @inline(__always)
    private static func bytewiseDifference(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let high: UInt32 = 0x8080_8080
        return ((a | high) &- (b & ~high)) ^ ((a ^ ~b) & high)
    }

    /// zlib-deflates `bytes` with the run-length strategy: after Sub/Up
    /// filtering a figure is mostly runs of zeros, which `Z_RLE` finds as well
    /// as the full match search does, several times faster.
    private static func deflate(_ bytes: [UInt8]) throws -> Data {
        var stream = z_stream()
        var status = deflateInit2_(&stream, level, Z_DEFLATED, 15, 8, Z_RLE, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw PlotError.cairo(operation: "starting zlib for PNG", status: "zlib status \(status)") }
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let written: Int = bytes.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(output.count)
                status = CZlib.deflate(&stream, Z_FINISH)
                return output.count - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END else { throw PlotError.cairo(operation: "compressing PNG pixels", status: "zlib status \(status)") }
        return Data(out[0..<written])
    }

    private static func appendChunk(_ type: String, _ body: Data, to png: inout Data) {
        let typeBytes = Data(type.utf8)
        png.appendBigEndian(UInt32(body.count))
        png.append(typeBytes)
        png.append(body)
        var crc = crc32(0, nil, 0)
        typeBytes.withUnsafeBytes { crc = crc32(crc, $0.bindMemory(to: UInt8.self).baseAddress, uInt($0.count)) }
        body.withUnsafeBytes { crc = crc32(crc, $0.bindMemory(to: UInt8.self).baseAddress, uInt($0.count)) }
        png.appendBigEndian(UInt32(crc))
    }
}

extension Data {
    fileprivate mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }
}
