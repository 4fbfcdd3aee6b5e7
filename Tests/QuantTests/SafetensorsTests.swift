import Foundation
import Testing
@testable import Quant

@Suite struct SafetensorsTests {
    /// What Python writes for
    /// `safetensors.numpy.save({"w": float32 [[1, -2]], "q": int8 [-1, 0, 127], "u": uint8 [7, 255], "n": int32 [-2]}, metadata={"format": "pt"})`
    /// (checked byte for byte with safetensors 0.4 / Python): header length,
    /// JSON with metadata first and tensors by dtype then name, space padding
    /// to a multiple of 8, then the data.
    static let pythonBytes: [UInt8] = {
        let header = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"n":{"dtype":"I32","shape":[1],"data_offsets":[8,12]},"q":{"dtype":"I8","shape":[3],"data_offsets":[12,15]},"u":{"dtype":"U8","shape":[2],"data_offsets":[15,17]}}"#
            + String(repeating: " ", count: 7)
        let data: [UInt8] = [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0,   // 1.0, -2.0
                             0xfe, 0xff, 0xff, 0xff,                           // -2
                             0xff, 0x00, 0x7f,                                 // -1, 0, 127
                             0x07, 0xff]                                       // 7, 255
        return [0x00, 0x01, 0, 0, 0, 0, 0, 0] + Array(header.utf8) + data
    }()

    static func example() throws -> Safetensors {
        var file = Safetensors(metadata: ["format": "pt"])
        file["w"] = SafetensorsTensor(try Tensor(shape: [1, 2], scalars: [1, -2] as [Float]))
        file["q"] = SafetensorsTensor(Tensor([-1, 0, 127] as [Int8]))
        file["u"] = SafetensorsTensor(Tensor([7, 255] as [UInt8]))
        file["n"] = SafetensorsTensor(Tensor([-2] as [Int32]))
        return file
    }

    @Test func writesWhatPythonWrites() throws {
        #expect(Self.pythonBytes.count == 281)
        #expect(try Self.example().serialized() == Self.pythonBytes)
    }

    @Test func readsWhatPythonWrites() throws {
        let file = try Safetensors(bytes: Self.pythonBytes)
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.tensor("w", as: Float.self, shape: [1, 2]).scalars == [1, -2])
        #expect(try file.tensor("q", as: Int8.self).scalars == [-1, 0, 127])
        #expect(try file.tensor("u", as: UInt8.self).scalars == [7, 255])
        #expect(try file.tensor("n", as: Int32.self).scalars == [-2])
        #expect(file == (try Self.example()))
    }

    @Test func roundTripsThroughAFileAtomically() throws {
        let temp = try TemporaryFolder()
        var file = try Self.example()
        file.metadata["note"] = "quote \" backslash \\ newline \n tab \t ctrl \u{01} é"
        file["empty"] = SafetensorsTensor(try Tensor(shape: [0, 3], scalars: [Float]()))
        file["scalar"] = SafetensorsTensor(try Tensor(shape: [], scalars: [Float.pi]))
        let url = temp.url.appendingPathComponent("x.safetensors")
        try file.write(to: url)
        #expect(try Safetensors(contentsOf: url) == file)
        #expect(Safetensors.jsonString("a\u{01}\"") == #""a\u0001\"""#)
        #expect(throws: SafetensorsError.self) { try file.write(to: temp.url.appendingPathComponent("no/such/folder/x.safetensors")) }
    }

    /// I32 holds what integer-only checkpoints store (biases, multipliers,
    /// shifts, zero-points): every bit pattern, little-endian.
    @Test func int32RoundTrip() throws {
        let values: [Int32] = [.min, -1_717_986_918, -31, -1, 0, 1, 30, 1 << 30, .max]
        var file = Safetensors()
        file["m"] = SafetensorsTensor(try Tensor(shape: [3, 3], scalars: values))
        let bytes = file.serialized()
        #expect(Array(bytes.suffix(8)) == [0x00, 0x00, 0x00, 0x40, 0xff, 0xff, 0xff, 0x7f])   // 2³⁰, Int32.max
        let read = try Safetensors(bytes: bytes)
        #expect(read["m"]?.dtype == .i32)
        #expect(try read.tensor("m", as: Int32.self, shape: [3, 3]).scalars == values)
    }

    /// Files written without a `"format"` failed to load in Hugging Face
    /// `transformers`; every file Quant writes now says `"pt"`.
    @Test func everyWrittenFileNamesItsFormat() throws {
        var bare = Safetensors()
        bare["x"] = SafetensorsTensor(Tensor([1] as [Float]))
        let header = String(decoding: bare.serialized().dropFirst(8), as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"format":"pt"},"x":"#))
        #expect(try Safetensors(bytes: Safetensors().serialized()).metadata == ["format": "pt"])
        let checkpoint = try Safetensors(bytes: Sequential.mlp(sizes: [2, 2], seed: 1).checkpoint().serialized())
        #expect(checkpoint.metadata["format"] == "pt")
        // A format the caller names is kept.
        #expect(try Safetensors(bytes: Safetensors(metadata: ["format": "np"]).serialized()).metadata == ["format": "np"])
    }

    /// Found by ReaderFuzzTests: 2³⁰ × 2³² elements fit an Int but their
    /// bytes (× 4 for F32) did not, and the size check itself trapped.
    @Test func shapeWhoseByteCountOverflowsIsRejected() {
        let header = Array(#"{"x":{"dtype":"F32","shape":[1073741824,4294967296],"data_offsets":[0,0]}}"#.utf8)
        let file = (0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) } + header
        #expect(throws: SafetensorsError.invalidOffsets(source: "t", tensor: "x", detail: "shape [1073741824, 4294967296] is too large")) {
            try Safetensors(bytes: file, source: "t")
        }
    }

    @Test func checksDtypeAndShape() throws {
        let file = try Self.example()
        #expect(throws: SafetensorsError.dtypeMismatch(name: "w", expected: .i8, found: .f32)) { try file.tensor("w", as: Int8.self) }
        #expect(throws: SafetensorsError.shapeMismatch(name: "w", expected: [2, 1], found: [1, 2])) {
            try file.tensor("w", as: Float.self, shape: [2, 1])
        }
        #expect(throws: SafetensorsError.missingTensor(name: "x", available: ["n", "q", "u", "w"])) { try file.tensor("x", as: Float.self) }
    }

    @Test func rejectsDamagedFiles() throws {
        let good = Self.pythonBytes
        #expect(throws: SafetensorsError.truncated(source: "t", byteCount: 5, needed: 8)) { try Safetensors(bytes: Array(good[0..<5]), source: "t") }
        #expect(throws: SafetensorsError.truncated(source: "t", byteCount: 100, needed: 264)) { try Safetensors(bytes: Array(good[0..<100]), source: "t") }
        #expect(throws: SafetensorsError.truncated(source: "t", byteCount: 280, needed: 281)) { try Safetensors(bytes: Array(good.dropLast()), source: "t") }
        #expect(throws: SafetensorsError.headerTooLarge(source: "t", byteCount: 0xffff_ffff)) {
            try Safetensors(bytes: [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0] + good[8...], source: "t")
        }
        #expect(throws: SafetensorsError.invalidOffsets(source: "t", tensor: "u", detail: "the tensors cover 17 bytes of data but the file holds 18")) {
            try Safetensors(bytes: good + [0], source: "t")
        }
        func edited(_ from: String, _ to: String) -> [UInt8] {
            let header = String(decoding: good[8..<264], as: UTF8.self).replacingOccurrences(of: from, with: to)
            return Array(good[0..<8]) + Array(header.utf8) + Array(good[264...])
        }
        #expect(throws: SafetensorsError.unsupportedDType(source: "t", tensor: "u", dtype: "F16")) {
            try Safetensors(bytes: edited(#""dtype":"U8""#, #""dtype":"F16""#), source: "t")
        }
        // A shape that disagrees with the byte range.
        #expect(throws: SafetensorsError.self) { try Safetensors(bytes: edited(#""shape":[3]"#, #""shape":[4]"#), source: "t") }
        // A gap between tensors (same header length, so the framing stays valid).
        #expect(throws: SafetensorsError.self) { try Safetensors(bytes: edited("[8,12]", "[9,12]"), source: "t") }
        #expect(throws: SafetensorsError.self) { try Safetensors(bytes: edited("{\"__metadata__\"", "[\"__metadata__\""), source: "t") }
    }

    @Test func modelCheckpointRoundTrip() throws {
        let model = try Sequential.mlp(sizes: [6, 4, 3], seed: 2)
        let file = try model.checkpoint()
        #expect(file.tensors.keys.sorted() == ["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"])
        #expect(try file.tensor("fc1.weight", as: Float.self, shape: [4, 6]).scalars == model.layers(of: Linear.self)[0].weight)
        let loaded = try Sequential(checkpoint: Safetensors(bytes: file.serialized()))
        #expect(loaded.layers(of: Linear.self).map(\.weight) == model.layers(of: Linear.self).map(\.weight))
        var broken = file
        broken["fc2.bias"] = nil
        #expect(throws: ModelError.inLayer(2, .missingParameter(name: "fc2.bias"))) { try Sequential(checkpoint: broken) }
        broken["fc2.bias"] = SafetensorsTensor(Tensor([1, 2] as [Float]))
        #expect(throws: ModelError.inLayer(2, .checkpoint(.shapeMismatch(name: "fc2.bias", expected: [3], found: [2])))) { try Sequential(checkpoint: broken) }
    }
}
