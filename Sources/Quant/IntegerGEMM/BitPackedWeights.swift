import CIntegerGEMM

/// Weight codes stored densely in a ``WeightFormat``, with their scales.
///
/// This is how a low-bit model is stored and how its size is measured;
/// ``LowBitWeights`` repacks it for the kernels that multiply by the packed
/// codes directly (``unpackedCodes()`` gives int8 codes, e.g. for
/// ``PackedInt8Weights``).
///
/// **Layout** (the C header's `igemm_pack_bits`): row-major by output row;
/// each row starts on a byte boundary and takes `ceil(inFeatures · bits / 8)`
/// bytes; within a byte the codes are little-endian, the first in the lowest
/// bits (for `int4`: low nibble first); padding bits at the end of a row are
/// 0. For example, the `int4` row `[1, −1, 7]` is the bytes `0xF1 0x07`, and
/// the `binary` row `[1, −1, −1, 1]` is the byte `0b0000_1001`.
///
/// **Scales**: `scales[j · groupsPerRow + g]` scales group `g` of row `j`
/// (``WeightFormat/groupsPerRow(inFeatures:)``); without groups, one scale
/// per row, or a single one for the whole tensor.
///
/// ```swift
/// let w = try BitPackedWeights(codes: q, outFeatures: 256, inFeatures: 784,
///                              scales: s, format: WeightFormat(.int4, groupSize: 32))
/// w.byteCount            // codes: 100,352 bytes, scales: 25,600 bytes (6,400 Float32s)
/// w.bitsPerWeight        // 5.02: 4 bits of code + 32 bits of scale per 32 weights
/// w.unpackedCodes() == q // true
/// ```
public struct BitPackedWeights: Hashable, Sendable {
    /// Bytes of storage, split into codes and scales.
    public struct ByteCount: Hashable, Sendable {
        /// Bytes of bit-packed codes, row padding included.
        public let codes: Int
        /// Bytes of scales (4 per Float32 scale).
        public let scales: Int
        /// All bytes: codes and scales.
        public var total: Int { codes + scales }
    }

    /// The codes' encoding and the scales' group size.
    public let format: WeightFormat
    /// Rows: the layer's outputs.
    public let outFeatures: Int
    /// Codes per row: the layer's inputs.
    public let inFeatures: Int
    /// The bit-packed codes (see the layout above).
    public let bytes: [UInt8]
    /// The scales: one, one per row, or one per group of each row.
    public let scales: [Float]

    /// Packs row-major int8 `codes` (`outFeatures × inFeatures`) into
    /// `format`, with their `scales`.
    ///
    /// - Throws: ``Int8KernelError/codeOutOfRange(_:index:value:)`` naming
    ///   the first code the encoding cannot store (e.g. 8 for `int4`, 0 for
    ///   `binary`); ``Int8KernelError`` when a dimension is negative, the code
    ///   count does not match the shape, the scale count does not match the
    ///   format, or a scale is not finite and positive.
    public init(
        codes: [Int8], outFeatures: Int, inFeatures: Int, scales: [Float], format: WeightFormat
    ) throws(Int8KernelError) {
        guard outFeatures >= 0 else { throw .negativeDimension(name: "outFeatures", value: outFeatures) }
        guard inFeatures >= 0 else { throw .negativeDimension(name: "inFeatures", value: inFeatures) }
        guard codes.count == outFeatures * inFeatures else {
            throw .sizeMismatch(name: "codes", expected: outFeatures * inFeatures, actual: codes.count)
        }
        if let groupSize = format.groupSize {
            let expected = outFeatures * format.groupsPerRow(inFeatures: inFeatures)
            guard scales.count == expected else {
                throw .groupScaleCount(groupSize: groupSize, expected: expected, actual: scales.count)
            }
        } else {
            guard scales.count == 1 || scales.count == outFeatures else {
                throw .scaleCount(expectedPerChannel: outFeatures, actual: scales.count)
            }
        }
        if let bad = scales.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw .invalidScale(name: "scales", index: bad, value: scales[bad])
        }
        var bytes = [UInt8](repeating: 0, count: igemm_packed_bits_size(format.encoding.cFormat, outFeatures, inFeatures))
        let bad = codes.withUnsafeBufferPointer { codes in
            bytes.withUnsafeMutableBufferPointer { bytes in
                igemm_pack_bits(format.encoding.cFormat, codes.baseAddress, outFeatures, inFeatures, bytes.baseAddress)
            }
        }
        if bad >= 0 { throw .codeOutOfRange(format.encoding, index: bad, value: codes[bad]) }
        self.format = format
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        self.bytes = bytes
        self.scales = scales
    }

    /// Bytes of one packed row: `ceil(inFeatures · bitsPerCode / 8)`.
    public var bytesPerRow: Int { igemm_packed_bits_size(format.encoding.cFormat, 1, inFeatures) }

    /// The storage the weights take, codes and scales apart.
    public var byteCount: ByteCount {
        ByteCount(codes: bytes.count, scales: scales.count * MemoryLayout<Float>.size)
    }

    /// Bits of storage per weight, scales and row padding included:
    /// `8 · byteCount.total / (outFeatures · inFeatures)` (0 for no weights).
    public var bitsPerWeight: Double {
        let weights = outFeatures * inFeatures
        return weights == 0 ? 0 : 8 * Double(byteCount.total) / Double(weights)
    }

    /// The codes, row-major `outFeatures × inFeatures`, as int8: exactly the
    /// codes that were packed.
    public func unpackedCodes() -> [Int8] {
        var codes = [Int8](repeating: 0, count: outFeatures * inFeatures)
        bytes.withUnsafeBufferPointer { bytes in
            codes.withUnsafeMutableBufferPointer { codes in
                igemm_unpack_bits(format.encoding.cFormat, bytes.baseAddress, outFeatures, inFeatures, codes.baseAddress)
            }
        }
        return codes
    }

    /// The weights the codes stand for, row-major: `w[j, t] = s · q[j, t]`
    /// with `s` the scale of the group (or row) that holds column `t`.
    public func dequantized() -> [Float] {
        let codes = unpackedCodes()
        let groups = format.groupsPerRow(inFeatures: inFeatures)
        let groupSize = format.groupSize ?? Swift.max(inFeatures, 1)
        return (0..<codes.count).map { index in
            let (j, t) = index.quotientAndRemainder(dividingBy: inFeatures)
            let scale = scales.count == 1 ? scales[0] : scales[j * groups + t / groupSize]
            return scale * Float(codes[index])
        }
    }
}
