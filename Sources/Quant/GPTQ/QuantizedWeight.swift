/// A weight matrix on a ``WeightGrid``: int8 codes and Float32 scales, in
/// the layout ``BitPackedWeights`` stores, whatever method picked the codes
/// (GPTQ or round-to-nearest).
///
/// `ŵ[j, t] = scales[j·groupsPerRow + t / groupSize] · codes[j·inFeatures + t]`
/// (one scale per row without groups).
///
/// ```swift
/// let packed = try result.weight.bitPacked()     // int4/g128 for a 3-bit grid in groups of 128
/// packed.dequantized() == result.weight.dequantized   // true
/// ```
public struct QuantizedWeight: Sendable, Hashable {
    /// The grid the codes are on.
    public let grid: WeightGrid
    /// Rows: the layer's outputs.
    public let outFeatures: Int
    /// Codes per row: the layer's inputs.
    public let inFeatures: Int
    /// Row-major `outFeatures × inFeatures`, each in ``WeightGrid/codeRange``.
    public let codes: [Int8]
    /// `scales[j·groupsPerRow + g]` for group `g` of row `j`.
    public let scales: [Float]

    /// The float weights the codes stand for, row-major.
    public var dequantized: [Float] {
        let groups = grid.groupsPerRow(inFeatures: inFeatures)
        let size = grid.groupSize ?? Swift.max(inFeatures, 1)
        return codes.indices.map { index in
            let (j, t) = index.quotientAndRemainder(dividingBy: inFeatures)
            return scales[j * groups + t / size] * Float(codes[index])
        }
    }

    /// The codes and scales bit-packed in the grid's ``WeightGrid/format``.
    ///
    /// - Throws: nothing for a weight made by ``WeightGrid`` or ``GPTQ``
    ///   (every code and scale is one the format stores); the packer's
    ///   ``Int8KernelError`` otherwise.
    public func bitPacked() throws(Int8KernelError) -> BitPackedWeights {
        try BitPackedWeights(codes: codes, outFeatures: outFeatures, inFeatures: inFeatures, scales: scales, format: grid.format)
    }

    /// Checks a weight before quantizing it.
    static func check(weight: [Float], outFeatures: Int, inFeatures: Int) throws(GPTQError) {
        guard outFeatures > 0, inFeatures > 0 else { throw .emptyShape(outFeatures: outFeatures, inFeatures: inFeatures) }
        guard weight.count == outFeatures * inFeatures else {
            throw .weightCount(expected: outFeatures * inFeatures, actual: weight.count)
        }
        if let bad = weight.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteWeight(index: bad, value: weight[bad]) }
    }
}
