import CIntegerGEMM
import Testing
@testable import Quant

/// Weight formats and their bit-packed storage: layouts, round trips, sizes, errors.
@Suite struct BitPackedWeightsTests {
    static let encodings = WeightFormat.Encoding.allCases

    /// Random codes the encoding can store.
    static func randomCodes(_ count: Int, _ encoding: WeightFormat.Encoding, _ g: inout SeededGenerator) -> [Int8] {
        let range = encoding.codeRange
        let span = UInt64(Int(range.upperBound) - Int(range.lowerBound) + 1)
        return (0..<count).map { _ in
            let code = Int8(Int(range.lowerBound) + Int(g.next() % span))
            return encoding == .binary && code == 0 ? 1 : code
        }
    }

    static func pack(_ codes: [Int8], _ n: Int, _ k: Int, _ format: WeightFormat) throws -> BitPackedWeights {
        let scales = [Float](repeating: 0.5, count: n * format.groupsPerRow(inFeatures: k))
        return try BitPackedWeights(codes: codes, outFeatures: n, inFeatures: k, scales: scales, format: format)
    }

    @Test func encodingsStateTheirWidthAndCodes() throws {
        #expect(Self.encodings.map(\.bitsPerCode) == [8, 4, 2, 1, 2])
        #expect(Self.encodings.map(\.codeRange) == [-128...127, -8...7, -2...1, -1...1, -1...1])
        #expect(!WeightFormat.Encoding.binary.contains(0) && WeightFormat.Encoding.ternary.contains(0))
        #expect(WeightFormat.int4.bitsPerCode == 4 && WeightFormat.int4.groupSize == nil)
        #expect(try WeightFormat(.int4, groupSize: 32).description == "int4/g32")
        #expect(WeightFormat.ternary.description == "ternary")
    }

    /// The Swift table and the C packer agree on every code of every encoding.
    @Test("Swift and C agree on bits and valid codes", arguments: encodings)
    func swiftAndCAgree(encoding: WeightFormat.Encoding) {
        #expect(Int(igemm_format_bits(encoding.cFormat)) == encoding.bitsPerCode)
        for value in Int8.min...Int8.max {
            var out: UInt8 = 0
            let bad = withUnsafePointer(to: value) { igemm_pack_bits(encoding.cFormat, $0, 1, 1, &out) }
            #expect((bad == -1) == encoding.contains(value), "\(encoding) code \(value)")
        }
    }

    /// The documented layout, byte for byte: little-endian within a byte,
    /// rows padded to whole bytes with zero bits.
    @Test func bitLayoutIsAsDocumented() throws {
        // int4: two's complement nibbles, low nibble first; 3 codes → 2 bytes per row.
        let int4 = try Self.pack([1, -1, 7, -8, 0, 3], 2, 3, .int4)
        #expect(int4.bytes == [0xF1, 0x07, 0x08, 0x03])
        // int2: 0 → 00, 1 → 01, −2 → 10, −1 → 11, first code in bits 0–1.
        #expect(try Self.pack([0, 1, -2, -1, 1], 1, 5, .int2).bytes == [0b11_10_01_00, 0b01])
        // ternary: stored as int2.
        #expect(try Self.pack([-1, 0, 1], 1, 3, .ternary).bytes == [0b00_01_00_11])
        // binary: bit 1 = +1, bit 0 = −1, first code in bit 0; 9 codes → 2 bytes.
        #expect(try Self.pack([1, -1, -1, 1, 1, 1, 1, 1, 1], 1, 9, .binary).bytes == [0b1111_1001, 0b1])
        #expect(try Self.pack([-1, -1, -1], 1, 3, .binary).bytes == [0])
        // int8: the bytes themselves.
        #expect(try Self.pack([-128, 127, -1], 1, 3, .int8).bytes == [0x80, 0x7F, 0xFF])
        #expect(int4.bytesPerRow == 2)
    }

    /// Odd shapes and extreme codes: every encoding gives back exactly its input.
    @Test("round trip on odd shapes and extreme codes", arguments: encodings)
    func roundTripOddShapes(encoding: WeightFormat.Encoding) throws {
        var g = SeededGenerator(seed: 31)
        let range = encoding.codeRange
        for k in [1, 3, 7, 784] {
            for n in [1, 2, 5, 13] {
                let count = n * k
                let cases: [[Int8]] = [
                    Self.randomCodes(count, encoding, &g),
                    [Int8](repeating: range.lowerBound, count: count),
                    [Int8](repeating: range.upperBound, count: count),
                    (0..<count).map { $0 % 2 == 0 ? range.lowerBound : range.upperBound },
                ]
                for codes in cases {
                    for format in [try WeightFormat(encoding), try WeightFormat(encoding, groupSize: 3)] {
                        let packed = try Self.pack(codes, n, k, format)
                        #expect(packed.bytes.count == n * ((k * encoding.bitsPerCode + 7) / 8))
                        #expect(packed.unpackedCodes() == codes, "\(format) n \(n) k \(k)")
                    }
                }
            }
        }
    }

    /// unpack(pack(x)) == x for random shapes and codes, and the padding bits
    /// past each row are 0.
    @Test("unpack(pack(x)) == x on random codes", arguments: encodings)
    func randomRoundTrip(encoding: WeightFormat.Encoding) throws {
        var g = SeededGenerator(seed: 32)
        for _ in 0..<200 {
            let n = Int(g.next() % 9) + 1, k = Int(g.next() % 70) + 1
            let codes = Self.randomCodes(n * k, encoding, &g)
            let packed = try Self.pack(codes, n, k, WeightFormat(encoding))
            #expect(packed.unpackedCodes() == codes)
            let usedBits = k * encoding.bitsPerCode % 8
            if usedBits != 0 {
                for j in 0..<n {
                    #expect(packed.bytes[(j + 1) * packed.bytesPerRow - 1] >> usedBits == 0, "row \(j) padding")
                }
            }
        }
    }

    /// Where every bit pattern is a code (all but ternary), packing is a
    /// bijection: pack(unpack(bytes)) == bytes for any bytes with zero padding.
    @Test("pack(unpack(bytes)) == bytes where every field is a code",
          arguments: [WeightFormat.Encoding.int8, .int4, .int2, .binary])
    func bytesRoundTrip(encoding: WeightFormat.Encoding) throws {
        var g = SeededGenerator(seed: 33)
        for _ in 0..<100 {
            let n = Int(g.next() % 6) + 1, k = Int(g.next() % 40) + 1
            let rowBytes = (k * encoding.bitsPerCode + 7) / 8, usedBits = k * encoding.bitsPerCode % 8
            var bytes = (0..<(n * rowBytes)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            if usedBits != 0 {
                for j in 0..<n { bytes[(j + 1) * rowBytes - 1] &= UInt8((1 << usedBits) - 1) }
            }
            var codes = [Int8](repeating: 0, count: n * k)
            igemm_unpack_bits(encoding.cFormat, bytes, n, k, &codes)
            #expect(try Self.pack(codes, n, k, WeightFormat(encoding)).bytes == bytes)
        }
    }

    @Test func codesOutsideTheEncodingNameIndexAndValue() throws {
        let cases: [(WeightFormat, [Int8], Int)] = [
            (.int4, [0, 7, -8, 1, 2, 8], 5), (.int4, [-9], 0), (.int2, [1, 2], 1), (.int2, [-3, 0], 0),
            (.ternary, [1, -1, 0, -2], 3), (.ternary, [2], 0), (.binary, [1, -1, 0], 2), (.binary, [1, 2], 1),
        ]
        for (format, codes, index) in cases {
            #expect(throws: Int8KernelError.codeOutOfRange(format.encoding, index: index, value: codes[index])) {
                try BitPackedWeights(codes: codes, outFeatures: 1, inFeatures: codes.count, scales: [1], format: format)
            }
        }
        let message = Int8KernelError.codeOutOfRange(.int4, index: 5, value: 8).description
        #expect(message.contains("index 5") && message.contains("code 8") && message.contains("-8...7"))
        #expect(Int8KernelError.codeOutOfRange(.binary, index: 0, value: 0).description.contains("−1 or +1"))
    }

    @Test func groupSizesSetTheScaleCount() throws {
        #expect(try WeightFormat(.int4, groupSize: 32).groupsPerRow(inFeatures: 784) == 25)   // 24·32 + 16
        #expect(try WeightFormat(.int4, groupSize: 3).groupsPerRow(inFeatures: 7) == 3)
        #expect(try WeightFormat(.int4, groupSize: 7).groupsPerRow(inFeatures: 7) == 1)
        #expect(WeightFormat.int4.groupsPerRow(inFeatures: 7) == 1)
        #expect(throws: Int8KernelError.invalidGroupSize(0)) { try WeightFormat(.int2, groupSize: 0) }
        #expect(throws: Int8KernelError.invalidGroupSize(-4)) { try WeightFormat(.int2, groupSize: -4) }
        let grouped = try WeightFormat(.int4, groupSize: 3)
        #expect(throws: Int8KernelError.groupScaleCount(groupSize: 3, expected: 6, actual: 2)) {
            try BitPackedWeights(codes: [Int8](repeating: 1, count: 14), outFeatures: 2, inFeatures: 7,
                                 scales: [1, 1], format: grouped)
        }
        #expect(throws: Int8KernelError.scaleCount(expectedPerChannel: 2, actual: 3)) {
            try BitPackedWeights(codes: [1, 1], outFeatures: 2, inFeatures: 1, scales: [1, 1, 1], format: .int4)
        }
        #expect(throws: Int8KernelError.invalidScale(name: "scales", index: 1, value: -1)) {
            try BitPackedWeights(codes: [1, 1], outFeatures: 2, inFeatures: 1, scales: [1, -1], format: .int4)
        }
        #expect(throws: Int8KernelError.sizeMismatch(name: "codes", expected: 4, actual: 3)) {
            try BitPackedWeights(codes: [1, 1, 1], outFeatures: 2, inFeatures: 2, scales: [1], format: .int4)
        }
    }

    /// Each group's scale applies to its own run of codes; the last group of a row is shorter.
    @Test func dequantizedUsesEachGroupsScale() throws {
        // Rows of 5 codes in groups of 2: groups {0, 1}, {2, 3}, {4}.
        let codes: [Int8] = [1, -2, 3, -4, 5, 6, -7, 7, 0, -8]
        let scales: [Float] = [1, 0.5, 0.25, 2, 4, 8]
        let w = try BitPackedWeights(codes: codes, outFeatures: 2, inFeatures: 5, scales: scales,
                                     format: WeightFormat(.int4, groupSize: 2))
        #expect(w.dequantized() == [1, -2, 1.5, -2, 1.25, 12, -14, 28, 0, -64])
        let perTensor = try BitPackedWeights(codes: codes, outFeatures: 2, inFeatures: 5, scales: [0.5], format: .int4)
        #expect(perTensor.dequantized() == codes.map { Float($0) * 0.5 })
        let perRow = try BitPackedWeights(codes: codes, outFeatures: 2, inFeatures: 5, scales: [1, 2], format: .int4)
        #expect(perRow.dequantized() == [1, -2, 3, -4, 5, 12, -14, 14, 0, -16])
    }

    /// Bytes of codes (row padding included) and of scales, and the bits per weight they make.
    @Test func byteCountsAndBitsPerWeight() throws {
        let perChannel = try Self.pack([Int8](repeating: 1, count: 10 * 784), 10, 784, .int4)
        #expect(perChannel.byteCount == BitPackedWeights.ByteCount(codes: 3920, scales: 40))
        #expect(perChannel.byteCount.total == 3960)
        #expect(perChannel.bitsPerWeight == 8.0 * 3960 / 7840)

        let grouped = try Self.pack([Int8](repeating: -1, count: 256 * 784), 256, 784, WeightFormat(.int4, groupSize: 32))
        #expect(grouped.byteCount == BitPackedWeights.ByteCount(codes: 100_352, scales: 25_600))
        #expect(abs(grouped.bitsPerWeight - 5.0204) < 1e-4)

        // 7 binary codes still take a whole byte per row.
        let binary = try Self.pack([Int8](repeating: 1, count: 21), 3, 7, .binary)
        #expect(binary.byteCount == BitPackedWeights.ByteCount(codes: 3, scales: 12))
        #expect(binary.bitsPerWeight == 8.0 * 15 / 21)

        let int8 = try BitPackedWeights(codes: [1, 2, 3, 4, 5, 6], outFeatures: 2, inFeatures: 3, scales: [1], format: .int8)
        #expect(int8.byteCount.total == 10 && int8.unpackedCodes() == [1, 2, 3, 4, 5, 6])

        let empty = try BitPackedWeights(codes: [], outFeatures: 0, inFeatures: 5, scales: [1], format: .ternary)
        #expect(empty.bytes.isEmpty && empty.bitsPerWeight == 0 && empty.unpackedCodes().isEmpty)
    }
}
