import CZlib
import Foundation

/// A libFuzzer target for the file readers, compiled by `Scripts/fuzz.sh`
/// together with the readers' own sources (no `import Quant`: libFuzzer
/// needs coverage instrumentation of the reader code, and the package's
/// other targets need not be built for it).
///
/// `QUANT_FUZZ_READER` picks the reader: `npy`, `safetensors`, `idx` or
/// `gzip` on whole files, or `npy-header` / `safetensors-header`, where the
/// input is only the header text and the target frames it (length prefix,
/// 64 data bytes): mutations of a whole file mostly break its length
/// prefix and stop at the first check. Every input must parse or throw
/// the reader's typed error; a trap
/// (overflow, out-of-bounds index) or a timeout is a finding, which
/// libFuzzer saves as `crash-…`/`timeout-…` for a regression test.
/// `QUANT_FUZZ_SEEDS=DIR` writes valid files made by the project's writers
/// into DIR first, as a seed corpus.
enum FuzzedReader: String {
    case npy, safetensors, idx, gzip
    case npyHeader = "npy-header", safetensorsHeader = "safetensors-header"

    /// The data bytes after a fuzzed header.
    static let data = [UInt8](repeating: 0, count: 64)

    static let current: FuzzedReader = {
        let name = ProcessInfo.processInfo.environment["QUANT_FUZZ_READER"] ?? ""
        guard let reader = FuzzedReader(rawValue: name) else {
            FileHandle.standardError.write(Data("QUANT_FUZZ_READER must be npy, safetensors, idx, gzip, npy-header or safetensors-header (got '\(name)')\n".utf8))
            exit(2)
        }
        return reader
    }()

    /// Runs the reader on `bytes`, discarding the value or the error.
    func read(_ bytes: [UInt8]) {
        switch self {
        case .npy: _ = try? NPYArray(bytes: bytes).integerTensor()
        case .npyHeader:
            let n = bytes.count & 0xffff
            Self.npy.read(NPYArray.magic + [1, 0, UInt8(n & 0xff), UInt8(n >> 8)] + bytes.prefix(n) + Self.data)
        case .safetensors:
            guard let file = try? Safetensors(bytes: bytes) else { return }
            for (name, tensor) in file.tensors where tensor.dtype == .f32 { _ = try? file.tensor(name, as: Float.self) }
        case .safetensorsHeader:
            Self.safetensors.read((0..<8).map { UInt8(truncatingIfNeeded: bytes.count >> (8 * $0)) } + bytes + Self.data)
        case .idx: _ = try? IDXArray(bytes: bytes, source: "fuzz")
        case .gzip: _ = try? Gzip.decompress(bytes)
        }
    }

    /// Valid files of this reader's format, from the project's writers.
    func seeds() throws -> [[UInt8]] {
        let floats = try Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 7, -0] as [Float])
        let idx: [UInt8] = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]
        switch self {
        case .npyHeader, .safetensorsHeader:
            let files = try (self == .npyHeader ? FuzzedReader.npy : .safetensors).seeds()
            return files.map { file in self == .npyHeader ? Array(file[10..<(10 + (Int(file[8]) | Int(file[9]) << 8))])
                                                           : Array(file[8..<(8 + (Int(file[0]) | Int(file[1]) << 8))]) }
        case .npy:
            return [NPYArray(floats).encoded(), NPYArray(Tensor([-1, 0, 127] as [Int8])).encoded(),
                    NPYArray(try Tensor(shape: [], scalars: [9] as [UInt8])).encoded()]
        case .safetensors:
            var file = Safetensors(metadata: ["note": "seed"])
            file["w"] = SafetensorsTensor(floats)
            file["b"] = SafetensorsTensor(Tensor([-7, 8] as [Int32]))
            return [file.serialized()]
        case .idx, .gzip:
            // gzip of `idx` (one stored block; CRC-32 and length from zlib's crc32).
            let crc = UInt32(crc32(0, idx, UInt32(idx.count)))
            let n = UInt16(idx.count)
            var gz: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 1, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8(~n >> 8)]
            gz += idx
            for value in [crc, UInt32(idx.count)] { gz += [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: value >> UInt32($0)) } }
            return self == .idx ? [idx, gz] : [gz]
        }
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let reader = FuzzedReader.current
    if let folder = ProcessInfo.processInfo.environment["QUANT_FUZZ_SEEDS"] {
        do {
            for (k, seed) in try reader.seeds().enumerated() {
                try Data(seed).write(to: URL(fileURLWithPath: folder).appendingPathComponent("seed-\(reader.rawValue)-\(k)"))
            }
        } catch {
            FileHandle.standardError.write(Data("cannot write seeds to \(folder): \(error)\n".utf8))
            exit(2)
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzedReader.current.read(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
