import Foundation
import Testing
@testable import Quant

/// Builds IDX files and gzip streams by hand, so the reader is tested
/// against the format's definition rather than against its own writer.
enum IDXFixture {
    /// An unsigned-byte IDX file with `shape` and `elements`.
    static func idx(shape: [Int], elements: [UInt8], type: UInt8 = 0x08) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for d in shape { bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: UInt32(d) >> UInt32($0)) } }
        return bytes + elements
    }

    /// A gzip member holding `payload` in one stored (uncompressed) deflate block.
    static func gzip(_ payload: [UInt8], crc: UInt32? = nil) -> [UInt8] {
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
        let n = UInt16(payload.count)
        out += [1, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8(~n >> 8)] + payload
        let check = crc ?? crc32(payload)
        for value in [check, UInt32(payload.count)] {
            out += [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: value >> UInt32($0)) }
        }
        return out
    }

    /// CRC-32 (IEEE 802.3, reflected, as gzip uses it), bit by bit.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

@Suite struct IDXTests {
    let images = IDXFixture.idx(shape: [2, 2, 3], elements: Array(0..<12))

    @Test func readsPlainFile() throws {
        let array = try IDXArray(bytes: images, source: "t")
        #expect(array.shape == [2, 2, 3])
        #expect(array.elements == Array(0..<12))
        #expect(array.sha256 == SHA256.hexDigest(of: images))
    }

    @Test func readsGzipFileWithSameChecksum() throws {
        let compressed = IDXFixture.gzip(images)
        let array = try IDXArray(bytes: compressed, source: "t.gz")
        #expect(array == (try IDXArray(bytes: images, source: "t")))
        // Two concatenated members decode like `gunzip` does.
        let half = Array(images[0..<5]), rest = Array(images[5...])
        #expect(try Gzip.decompress(IDXFixture.gzip(half) + IDXFixture.gzip(rest)) == images)
    }

    @Test func rejectsBadMagicAndType() {
        var bad = images
        bad[0] = 1
        #expect(throws: IDXError.badMagic(path: "t", magic: [1, 0, 8, 3])) { try IDXArray(bytes: bad, source: "t") }
        let floats = IDXFixture.idx(shape: [1], elements: [0, 0, 0, 0], type: 0x0d)
        #expect(throws: IDXError.unsupportedElementType(path: "t", code: 0x0d)) { try IDXArray(bytes: floats, source: "t") }
        #expect(throws: IDXError.badMagic(path: "t", magic: [0, 0, 8, 0])) { try IDXArray(bytes: [0, 0, 8, 0], source: "t") }
    }

    @Test func rejectsTruncatedAndOverlongFiles() {
        #expect(throws: IDXError.truncatedHeader(path: "t", byteCount: 3, needed: 4)) { try IDXArray(bytes: [0, 0, 8], source: "t") }
        #expect(throws: IDXError.truncatedHeader(path: "t", byteCount: 10, needed: 16)) {
            try IDXArray(bytes: Array(images[0..<10]), source: "t")
        }
        #expect(throws: IDXError.lengthMismatch(path: "t", shape: [2, 2, 3], expectedBytes: 12, foundBytes: 11)) {
            try IDXArray(bytes: Array(images.dropLast()), source: "t")
        }
        #expect(throws: IDXError.lengthMismatch(path: "t", shape: [2, 2, 3], expectedBytes: 12, foundBytes: 13)) {
            try IDXArray(bytes: images + [0], source: "t")
        }
        let error = IDXError.lengthMismatch(path: "t", shape: [2, 2, 3], expectedBytes: 12, foundBytes: 11)
        #expect(error.description.contains("truncated"))
    }

    @Test func rejectsDamagedGzip() {
        let compressed = IDXFixture.gzip(images)
        #expect(throws: IDXError.compression(path: "t", .truncated(decodedBytes: images.count))) {
            try IDXArray(bytes: Array(compressed.dropLast(6)), source: "t")
        }
        do {
            _ = try IDXArray(bytes: IDXFixture.gzip(images, crc: 1234), source: "t")
            Issue.record("a wrong CRC was accepted")
        } catch {
            guard case .compression(_, .corrupt) = error else { Issue.record("unexpected \(error)"); return }
        }
        #expect(throws: IDXError.compression(path: "t", .trailingGarbage(bytes: 3))) {
            try IDXArray(bytes: compressed + [1, 2, 3], source: "t")
        }
    }

    @Test func readsFilesFromDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quant-idx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.gz")
        try Data(IDXFixture.gzip(images)).write(to: url)
        #expect(try IDXArray(contentsOf: url).shape == [2, 2, 3])
        #expect(throws: IDXError.self) { try IDXArray(contentsOf: folder.appendingPathComponent("missing")) }
    }
}

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        // FIPS 180-4 examples, including the two-block padding case (56 bytes).
        #expect(SHA256.hexDigest(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hexDigest(of: [UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
