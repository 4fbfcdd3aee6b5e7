import CIntegerGEMM

extension BitPackedWeights {
    /// Weights from their stored bytes (the layout of ``bytes``), as read
    /// back from a checkpoint: the bytes are unpacked and packed again, so
    /// every check of ``init(codes:outFeatures:inFeatures:scales:format:)``
    /// applies (a `ternary` field `10` is refused as the code −2) and the
    /// padding bits come out 0.
    ///
    /// - Throws: ``Int8KernelError/sizeMismatch(name:expected:actual:)`` unless
    ///   `bytes` holds `outFeatures · ceil(inFeatures · bits / 8)` bytes, and
    ///   everything the codes initializer throws.
    public init(
        bytes: [UInt8], outFeatures: Int, inFeatures: Int, scales: [Float], format: WeightFormat
    ) throws(Int8KernelError) {
        guard outFeatures >= 0 else { throw .negativeDimension(name: "outFeatures", value: outFeatures) }
        guard inFeatures >= 0 else { throw .negativeDimension(name: "inFeatures", value: inFeatures) }
        let cFormat = format.encoding.cFormat
        let expected = igemm_packed_bits_size(cFormat, outFeatures, inFeatures)
        guard bytes.count == expected else { throw .sizeMismatch(name: "bytes", expected: expected, actual: bytes.count) }
        var codes = [Int8](repeating: 0, count: outFeatures * inFeatures)
        bytes.withUnsafeBufferPointer { bytes in
            codes.withUnsafeMutableBufferPointer { codes in
                igemm_unpack_bits(cFormat, bytes.baseAddress, outFeatures, inFeatures, codes.baseAddress)
            }
        }
        try self.init(codes: codes, outFeatures: outFeatures, inFeatures: inFeatures, scales: scales, format: format)
    }
}
