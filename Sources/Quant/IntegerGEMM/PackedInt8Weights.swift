import CIntegerGEMM

/// Int8 weights of a linear layer, packed once for one kernel.
///
/// Dynamic quantization quantizes the weights `W` (outFeatures × inFeatures)
/// once, to symmetric int8 codes `q_w` with per-tensor or per-output-channel
/// scales `s_w[j]` (zero-point 0), and then reuses them for every batch. This
/// value holds everything the kernels need, computed at pack time:
///
/// - `codes`, row-major as given (what a checkpoint stores, and what the
///   reference kernel reads);
/// - `columnSums[j] = Σ_k q_w[j, k]`, so that the activation zero-point costs
///   one multiply per output instead of one subtraction per product:
///   `Σ_k (q_x − z_x)·q_w = Σ_k q_x·q_w − z_x·columnSums[j]`;
/// - the weights rearranged into the blocked layout of the chosen
///   ``Int8Kernel`` (panels of 16 columns × groups of 4 bytes for VNNI,
///   int16 pairs for AVX2).
///
/// ```swift
/// let w = try PackedInt8Weights(codes: q, outFeatures: 256, inFeatures: 784,
///                               scales: perChannelScales)          // kernel: .fastest
/// var workspace = Int8Workspace()
/// try w.forward(x, rows: 256, bias: b, into: &y, workspace: &workspace)   // y ≈ x·Wᵀ + b
/// let slow = try w.repacked(for: .reference)                          // same numbers, readable loop
/// ```
public struct PackedInt8Weights: Sendable {
    /// Rows of `W`: the layer's outputs.
    public let outFeatures: Int
    /// Columns of `W`: the layer's inputs, the length of each dot product.
    public let inFeatures: Int
    /// The int8 codes, row-major `outFeatures × inFeatures`.
    public let codes: [Int8]
    /// The weight scales as given: one (per tensor) or `outFeatures` (per channel).
    public let scales: [Float]
    /// `Σ_k codes[j, k]` for each output `j`.
    public let columnSums: [Int32]
    /// The kernel the weights are packed for, used by every product.
    public let kernel: Int8Kernel

    /// One scale per output channel (per-tensor scales repeated).
    let channelScales: [Float]
    /// The weights in the fast kernel's layout (empty for the reference and
    /// portable kernels, which read `codes`).
    let packed: [UInt8]

    /// Packs `codes` (row-major `outFeatures × inFeatures`, int8 symmetric,
    /// zero-point 0) with their `scales` for `kernel`.
    ///
    /// - Throws: ``Int8KernelError`` when a dimension is negative,
    ///   `inFeatures` exceeds ``Int8Kernel/maxInFeatures``, the counts do not
    ///   match the shape, a scale is not finite and positive, or the CPU
    ///   cannot run `kernel`.
    public init(
        codes: [Int8], outFeatures: Int, inFeatures: Int, scales: [Float],
        kernel: Int8Kernel = .fastest
    ) throws(Int8KernelError) {
        guard outFeatures >= 0 else { throw .negativeDimension(name: "outFeatures", value: outFeatures) }
        guard inFeatures >= 0 else { throw .negativeDimension(name: "inFeatures", value: inFeatures) }
        guard inFeatures <= Int8Kernel.maxInFeatures else {
            throw .depthTooLarge(inFeatures: inFeatures, limit: Int8Kernel.maxInFeatures)
        }
        guard codes.count == outFeatures * inFeatures else {
            throw .sizeMismatch(name: "codes", expected: outFeatures * inFeatures, actual: codes.count)
        }
        guard scales.count == 1 || scales.count == outFeatures else {
            throw .scaleCount(expectedPerChannel: outFeatures, actual: scales.count)
        }
        if let bad = scales.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw .invalidScale(name: "scales", index: bad, value: scales[bad])
        }
        guard kernel.isSupported else { throw .unsupportedKernel(kernel, supported: Int8Kernel.supported) }

        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        self.codes = codes
        self.scales = scales
        self.kernel = kernel
        self.channelScales = scales.count == outFeatures ? scales : Array(repeating: scales[0], count: outFeatures)
        self.columnSums = (0..<outFeatures).map { j in
            codes[j * inFeatures ..< (j + 1) * inFeatures].reduce(Int32(0)) { $0 + Int32($1) }
        }
        switch kernel {
        case .reference, .fast(.portable):
            self.packed = []
        case .fast(let path):
            let size = igemm_packed_size(path.isa, outFeatures, inFeatures)
            var packed = [UInt8](repeating: 0, count: size)
            codes.withUnsafeBufferPointer { source in
                packed.withUnsafeMutableBytes { target in
                    if let s = source.baseAddress, let t = target.baseAddress {
                        igemm_pack(path.isa, s, outFeatures, inFeatures, t)
                    }
                }
            }
            self.packed = packed
        }
    }

    /// The same weights packed for another kernel.
    public func repacked(for kernel: Int8Kernel) throws(Int8KernelError) -> PackedInt8Weights {
        try PackedInt8Weights(codes: codes, outFeatures: outFeatures, inFeatures: inFeatures,
                              scales: scales, kernel: kernel)
    }
}
