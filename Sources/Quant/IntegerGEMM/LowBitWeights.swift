import CIntegerGEMM

/// Low-bit weights (`int4`, `int2`, `ternary`, `binary`) of a linear layer, repacked
/// once for one kernel that multiplies by the packed codes directly.
///
/// A ``BitPackedWeights`` stores 2 or 4 bits per code; widening it to int8
/// for ``PackedInt8Weights`` would read 2–4× the bytes per product. At batch
/// 1 a layer's product is bound by how fast its weights stream from memory,
/// so the low-bit kernels read the packed codes and unpack them in registers
/// (one shift and one mask per 64 codes on AVX-512 VNNI). Per group `g` of
/// each row (or per row) the int32 sum is exact, and the float output is
///
///     dot_g[i, j] = Σ_{t ∈ g} q_x[i, t] · q_w[j, t],         s_g = Float(dot_g) · (s_x · s_w[j, g])
///     y[i, j]     = (((s_0 + s_1) + … + s_{G−1}) − (s_x · z_x) · c_j) + b[j],   c_j = Σ_g s_w[j, g] · Σ_{t ∈ g} q_w[j, t]
///
/// summed over the groups in order, one multiply and one add per step and no
/// FMA, so that every kernel — the Swift ``ReferenceLowBitKernel`` included —
/// gives the same floats bit for bit. The zero-point's share depends on the
/// column only: `c_j` is computed once, when the weights are packed, so the
/// groups need no zero-point arithmetic (at batch 1 that is half the int8
/// multiply–adds of an int4 product). The repacked layout (the C header's
/// "kernel layout") keeps each panel of 16 output columns (8 on AVX2) as one
/// record of codes, scales and the `c_j`, so threads split the columns.
///
/// ```swift
/// let stored = try BitPackedWeights(codes: q, outFeatures: 4096, inFeatures: 4096,
///                                   scales: s, format: WeightFormat(.int4, groupSize: 32))
/// let w = try LowBitWeights(stored)                                   // kernel: .fastest
/// var workspace = Int8Workspace()
/// try w.forward(x, rows: 1, bias: b, into: &y, workspace: &workspace)   // y ≈ x·Wᵀ + b
/// ```
public struct LowBitWeights: Sendable {
    /// The stored codes and scales, as given.
    public let stored: BitPackedWeights
    /// The kernel the weights are packed for, used by every product.
    public let kernel: Int8Kernel

    /// One scale per group of each row (`outFeatures · groupsPerRow`, per-tensor scales repeated).
    let groupScales: [Float]
    /// The codes as int8, row-major, for the reference kernel (empty otherwise).
    let referenceCodes: [Int8]
    /// The kernel layout (empty for the reference kernel).
    let packed: [UInt8]

    /// Rows of `W`: the layer's outputs.
    public var outFeatures: Int { stored.outFeatures }
    /// Columns of `W`: the layer's inputs.
    public var inFeatures: Int { stored.inFeatures }
    /// The codes' encoding and the scales' group size.
    public var format: WeightFormat { stored.format }

    /// Group sizes must be a multiple of this many codes (a whole number of
    /// the kernels' blocks in every format), e.g. 32, 64 or 128.
    public static let groupSizeMultiple = Int(IGEMM_LOWBIT_GROUP_MULTIPLE)

    /// Repacks `stored` for `kernel`.
    ///
    /// - Throws: ``Int8KernelError/unsupportedLowBitEncoding(_:)`` for `int8`
    ///   codes, ``Int8KernelError/lowBitGroupSize(_:multiple:)``
    ///   for a group size that is not a multiple of ``groupSizeMultiple``,
    ///   ``Int8KernelError/depthTooLarge(inFeatures:limit:)`` beyond
    ///   ``Int8Kernel/maxInFeatures``, ``Int8KernelError/unsupportedKernel(_:supported:)``
    ///   when the CPU cannot run `kernel`.
    public init(_ stored: BitPackedWeights, kernel: Int8Kernel = .fastest) throws(Int8KernelError) {
        let format = stored.format
        guard igemm_lowbit_format_supported(format.encoding.cFormat) != 0 else {
            throw .unsupportedLowBitEncoding(format.encoding)
        }
        if let size = format.groupSize, size % Self.groupSizeMultiple != 0 {
            throw .lowBitGroupSize(size, multiple: Self.groupSizeMultiple)
        }
        guard stored.inFeatures <= Int8Kernel.maxInFeatures else {
            throw .depthTooLarge(inFeatures: stored.inFeatures, limit: Int8Kernel.maxInFeatures)
        }
        guard kernel.isSupported else { throw .unsupportedKernel(kernel, supported: Int8Kernel.supported) }
        self.stored = stored
        self.kernel = kernel
        let groups = format.groupsPerRow(inFeatures: stored.inFeatures)
        let scaleCount = stored.outFeatures * groups
        let groupScales = stored.scales.count == scaleCount
            ? stored.scales : Array(repeating: stored.scales[0], count: scaleCount)
        self.groupScales = groupScales
        guard case .fast(let path) = kernel else {
            referenceCodes = stored.unpackedCodes()
            packed = []
            return
        }
        referenceCodes = []
        let cFormat = format.encoding.cFormat, group = format.groupSize ?? Int(IGEMM_GROUP_ROW)
        var packed = [UInt8](repeating: 0, count: igemm_lowbit_packed_size(path.isa, cFormat, stored.outFeatures,
                                                                           stored.inFeatures, group))
        stored.bytes.withUnsafeBufferPointer { bits in
            groupScales.withUnsafeBufferPointer { scales in
                packed.withUnsafeMutableBytes { target in
                    if let target = target.baseAddress {
                        igemm_lowbit_pack(path.isa, cFormat, stored.outFeatures, stored.inFeatures, group,
                                          bits.baseAddress, scales.baseAddress, target)
                    }
                }
            }
        }
        self.packed = packed
    }

    /// The same weights packed for another kernel.
    public func repacked(for kernel: Int8Kernel) throws(Int8KernelError) -> LowBitWeights {
        try LowBitWeights(stored, kernel: kernel)
    }

    /// Bytes of the kernel layout, what one product reads: the codes, their
    /// scales and the columns' weighted code sums `c_j` (0 for the reference kernel).
    public var packedByteCount: Int { packed.count }
}
