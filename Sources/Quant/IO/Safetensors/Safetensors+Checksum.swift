extension Safetensors {
    /// SHA-256 (hex) of the tensors — for each tensor in name order, its name,
    /// dtype, shape and bytes — so that a checkpoint can record what it held
    /// when written and a reader can tell a changed or damaged file from a
    /// good one. The metadata is left out: it is where the checksum is kept.
    ///
    /// A content hash rather than the format's own structure checks: a file
    /// with 1000 weights overwritten by 1e30 is still well-formed safetensors,
    /// and would otherwise load and score 14 % without a word.
    public var tensorsSHA256: String {
        var bytes = [UInt8]()
        for name in tensors.keys.sorted() {
            let tensor = tensors[name]!
            bytes += Array("\(name)\0\(tensor.dtype.rawValue)\0\(tensor.shape.map(String.init).joined(separator: ","))\0".utf8)
            bytes += tensor.bytes
        }
        return SHA256.hexDigest(of: bytes)
    }
}
