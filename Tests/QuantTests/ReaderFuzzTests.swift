import Foundation
import Testing
@testable import Quant

/// A bounded, seeded fuzzing campaign over the file readers: thousands of
/// mutated valid files (``ByteMutator``) per reader, each of which must
/// either parse into a self-consistent value or throw the reader's typed
/// error — no crash, no hang. The readers refuse any size the input cannot
/// hold before allocating it, so a parsed value is never larger than its
/// input (for gzip: than deflate's 1032 : 1 ceiling).
///
/// `QUANT_FUZZ_ITERATIONS` (default 4 000) and `QUANT_FUZZ_SEED` (default
/// 11) set the campaign; `Scripts/fuzz.sh` runs long ones over many seeds.
/// Half the inputs mutate a text header and re-frame it with a correct
/// length prefix (or re-gzip a mutated IDX body with a good CRC), so the
/// mutations reach the parsers behind the framing checks.
@Suite struct ReaderFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["QUANT_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 4_000
    static let seed = ProcessInfo.processInfo.environment["QUANT_FUZZ_SEED"].flatMap { UInt64($0) } ?? 11

    /// What a campaign saw: how many inputs parsed or were rejected, and
    /// the time of the slowest input.
    struct Outcome {
        var parsed = 0, rejected = 0
        var slowest = Duration.zero
    }

    /// Runs `iterations` inputs from `makeInput` through `read`, which
    /// returns whether the input parsed (and checks what it parsed).
    static func campaign(_ makeInput: () -> [UInt8], _ read: ([UInt8]) -> Bool) -> Outcome {
        var outcome = Outcome()
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let input = makeInput()
            var parsed = false
            let time = clock.measure { parsed = read(input) }
            outcome.slowest = max(outcome.slowest, time)
            if parsed { outcome.parsed += 1 } else { outcome.rejected += 1 }
        }
        return outcome
    }

    /// Records a rejection: the reader's typed error, with a message.
    static func rejected(_ error: some Error & CustomStringConvertible) -> Bool {
        #expect(!error.description.isEmpty)
        return false
    }

    static func expectBounded(_ outcome: Outcome) {
        #expect(outcome.parsed + outcome.rejected == iterations)
        #expect(outcome.rejected > 0)
        #expect(outcome.slowest < .milliseconds(500), "an input took \(outcome.slowest)")
    }

    // MARK: .npy

    /// A version 1.0 file with `header` as its dictionary text and `data` after it.
    static func npyFile(header: [UInt8], data: [UInt8]) -> [UInt8] {
        NPYArray.magic + [1, 0, UInt8(truncatingIfNeeded: header.count), UInt8(truncatingIfNeeded: header.count >> 8)] + header + data
    }

    static func npyCorpus() throws -> [NPYArray] {
        [NPYArray(try Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, .infinity, -0] as [Float])),
         NPYArray(Tensor([-128, 0, 127] as [Int8])),
         NPYArray(try Tensor(shape: [], scalars: [200] as [UInt8])),
         NPYArray(try Tensor(shape: [2, 0, 2], scalars: [Int16]())),
         NPYArray(Tensor([.max, 0] as [UInt16])),
         NPYArray(try Tensor(shape: [1, 2], scalars: [.min, .max] as [Int32]))]
    }

    @Test func npyReaderParsesOrThrowsOnMutatedFiles() throws {
        let arrays = try Self.npyCorpus()
        let files = arrays.map { $0.encoded() }
        var mutator = ByteMutator(corpus: files, seed: Self.seed)
        var headers = ByteMutator(corpus: files.map { Array($0[10...].prefix { $0 != 0x0a }) }, seed: Self.seed &+ 1)
        var pick = SeededGenerator(seed: Self.seed &+ 2)
        let outcome = Self.campaign({
            guard Bool.random(using: &pick) else { return mutator.next() }
            let k = Int.random(in: 0..<arrays.count, using: &pick)
            return Self.npyFile(header: headers.mutated(headers.corpus[k]) + [0x0a], data: arrays[k].payload)
        }, { input in
            let array: NPYArray
            do throws(NPYError) { array = try NPYArray(bytes: input) } catch { return Self.rejected(error) }
            #expect(array.payload.count == array.count * array.dtype.byteWidth)
            #expect(array.payload.count <= input.count)
            let elements = array.dtype == .float32 ? (try? array.tensor(of: Float.self))?.count : (try? array.integerTensor())?.count
            #expect(elements == array.count)
            return true
        })
        Self.expectBounded(outcome)
        #expect(outcome.parsed > 0)
    }

    // MARK: safetensors

    /// A file with `header` as its JSON text (length-prefixed) and `data` after it.
    static func safetensorsFile(header: [UInt8], data: [UInt8]) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.count) >> UInt64(8 * $0)) } + header + data
    }

    @Test func safetensorsReaderParsesOrThrowsOnMutatedFiles() throws {
        var second = Safetensors(metadata: ["note": "fuzz"])
        second["a.weight"] = SafetensorsTensor(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4] as [Float]))
        second["a.bias"] = SafetensorsTensor(Tensor([-7] as [Int32]))
        second["empty"] = SafetensorsTensor(try Tensor(shape: [0], scalars: [Int8]()))
        let files = [SafetensorsTests.pythonBytes, second.serialized()]
        let split = files.map { file -> (header: [UInt8], data: [UInt8]) in
            let n = Int(file[0]) | Int(file[1]) << 8
            return (Array(file[8..<(8 + n)]), Array(file[(8 + n)...]))
        }
        var mutator = ByteMutator(corpus: files, seed: Self.seed)
        var headers = ByteMutator(corpus: split.map(\.header), seed: Self.seed &+ 1)
        var pick = SeededGenerator(seed: Self.seed &+ 2)
        let outcome = Self.campaign({
            guard Bool.random(using: &pick) else { return mutator.next() }
            let k = Int.random(in: 0..<split.count, using: &pick)
            return Self.safetensorsFile(header: headers.mutated(split[k].header), data: split[k].data)
        }, { input in
            let file: Safetensors
            do throws(SafetensorsError) { file = try Safetensors(bytes: input, source: "fuzz") } catch { return Self.rejected(error) }
            #expect(file.tensors.values.reduce(0) { $0 + $1.bytes.count } <= input.count)
            for (name, tensor) in file.tensors {
                let elements = tensor.shape.reduce(1, *)
                #expect(tensor.bytes.count == elements * tensor.dtype.byteCount)
                let read: Int? = switch tensor.dtype {
                case .f32: (try? file.tensor(name, as: Float.self))?.count
                case .i32: (try? file.tensor(name, as: Int32.self))?.count
                case .i8: (try? file.tensor(name, as: Int8.self))?.count
                case .u8: (try? file.tensor(name, as: UInt8.self))?.count
                }
                #expect(read == elements)
            }
            return true
        })
        Self.expectBounded(outcome)
        #expect(outcome.parsed > 0)
    }

    // MARK: IDX

    @Test func idxReaderParsesOrThrowsOnMutatedFiles() {
        let plain = [IDXFixture.idx(shape: [2, 2, 3], elements: Array(0..<12)),
                     IDXFixture.idx(shape: [5], elements: [9, 8, 7, 6, 5]),
                     IDXFixture.idx(shape: [1, 1, 1, 1], elements: [42])]
        let files = plain + plain.map { IDXFixture.gzip($0) }
        var mutator = ByteMutator(corpus: files, seed: Self.seed)
        var bodies = ByteMutator(corpus: plain, seed: Self.seed &+ 1)
        var pick = SeededGenerator(seed: Self.seed &+ 2)
        let outcome = Self.campaign({
            // A mutated IDX file inside a well-formed gzip member (correct CRC and length).
            guard Bool.random(using: &pick) else { return mutator.next() }
            return IDXFixture.gzip(Array(bodies.next().prefix(Int(UInt16.max))))
        }, { input in
            let array: IDXArray
            do throws(IDXError) { array = try IDXArray(bytes: input, source: "fuzz") } catch { return Self.rejected(error) }
            #expect(array.elements.count == array.shape.reduce(1, *))
            #expect(array.elements.count <= (Gzip.isCompressed(input) ? 1032 * input.count : input.count))
            return true
        })
        Self.expectBounded(outcome)
        #expect(outcome.parsed > 0)
    }

    // MARK: gzip

    /// `gzip.compress(b"quantization " * 20 + b"0123456789", mtime=0)` from
    /// Python: Huffman codes and back-references, not only stored blocks.
    static let deflated: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x2b, 0x2c, 0x4d, 0xcc, 0x2b, 0xc9,
        0xac, 0x4a, 0x2c, 0xc9, 0xcc, 0xcf, 0x53, 0x28, 0x1c, 0x99, 0x1c, 0x03, 0x43, 0x23, 0x63, 0x13,
        0x53, 0x33, 0x73, 0x0b, 0x4b, 0x00, 0x2d, 0xc2, 0x46, 0xba, 0x0e, 0x01, 0x00, 0x00,
    ]
    /// `zlib.compress(b"abcabcabc" * 30 + b"xyz")`: the zlib framing `decompress` also accepts.
    static let zlibStream: [UInt8] = [0x78, 0x9c, 0x4b, 0x4c, 0x4a, 0x4e, 0x1c, 0x45, 0x30, 0x54, 0x51, 0x59, 0x05, 0x00,
                                      0xf1, 0xb0, 0x68, 0xc8]

    @Test func gzipDecoderParsesOrThrowsOnMutatedStreams() throws {
        #expect(try Gzip.decompress(Self.deflated) == Array(String(repeating: "quantization ", count: 20).utf8) + Array("0123456789".utf8))
        #expect(try Gzip.decompress(Self.zlibStream).count == 273)
        let stored = IDXFixture.gzip(Array(0..<40))
        var mutator = ByteMutator(corpus: [Self.deflated, Self.zlibStream, stored, stored + Self.deflated], seed: Self.seed)
        let outcome = Self.campaign({ mutator.next() }, { input in
            let output: [UInt8]
            do throws(GzipError) { output = try Gzip.decompress(input) } catch { return Self.rejected(error) }
            #expect(output.count <= 1032 * input.count)
            return true
        })
        Self.expectBounded(outcome)
    }
}
