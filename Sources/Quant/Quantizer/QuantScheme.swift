/// How real numbers map to b-bit integer codes: the bit width, the integer
/// range, affine or symmetric, and per-tensor or per-channel.
///
/// The code range `qmin…qmax` follows from the bit width and signedness:
///
/// | range                         | qmin           | qmax          |
/// |-------------------------------|----------------|---------------|
/// | unsigned                      | 0              | 2ᵇ − 1        |
/// | signed                        | −2ᵇ⁻¹          | 2ᵇ⁻¹ − 1      |
/// | signed, restricted symmetric  | −2ᵇ⁻¹ + 1      | 2ᵇ⁻¹ − 1      |
/// | unsigned, restricted symmetric| 1              | 2ᵇ − 1        |
///
/// An *affine* scheme has a free zero-point, so any range `[min, max]`
/// (widened to include 0) uses the whole grid. A *symmetric* scheme fixes the
/// zero-point — 0 when signed, the middle code 2ᵇ⁻¹ when unsigned (128 at 8
/// bits, as PyTorch's `quint8` observers do) — so that dequantization is a
/// plain multiply (`x̂ = q·scale`), which is what integer matrix kernels want
/// for weights. The *restricted* symmetric range drops the most negative code
/// so that the grid is the same on both sides of zero (−127…127 at 8 bits).
///
/// ```swift
/// let activations = try QuantScheme(bits: 8)                          // uint8 affine
/// let weights = try QuantScheme(bits: 8, mapping: .symmetric(restrictedRange: true),
///                               granularity: .perChannel(axis: 0))    // int8, −127…127
/// weights.codeRange                                                   // -127...127
/// ```
public struct QuantScheme: Sendable, Hashable {
    /// Affine (free zero-point) or symmetric (zero-point fixed at the middle).
    public enum Mapping: Sendable, Hashable {
        /// `x ≈ scale·(q − zeroPoint)` with the zero-point chosen from the range.
        case affine
        /// `x ≈ scale·(q − zeroPoint)` with the zero-point fixed: 0 (signed)
        /// or 2ᵇ⁻¹ (unsigned). `restrictedRange` drops the most negative code.
        case symmetric(restrictedRange: Bool)
    }

    /// One scale and zero-point for the whole tensor, or one per slice along an axis.
    public enum Granularity: Sendable, Hashable {
        case perTensor
        /// One set of parameters for each index along `axis` (e.g. axis 0 of
        /// a Linear layer's `[out, in]` weight: one per output feature).
        case perChannel(axis: Int)
    }

    /// The number of bits of a code, 1…16.
    public let bits: Int
    /// Whether codes are signed (two's complement range) or unsigned.
    public let isSigned: Bool
    /// Affine or symmetric.
    public let mapping: Mapping
    /// Per-tensor or per-channel.
    public let granularity: Granularity

    /// A scheme with `bits` bits.
    ///
    /// - Parameters:
    ///   - signed: the integer range; `nil` picks PyTorch's defaults:
    ///     unsigned for affine (`quint8`), signed for symmetric (`qint8`).
    /// - Throws: ``QuantError/bitsOutOfRange(_:)`` outside 1…16,
    ///   ``QuantError/restrictedRangeNeedsTwoBits`` for a 1-bit restricted range.
    public init(bits: Int, signed: Bool? = nil, mapping: Mapping = .affine, granularity: Granularity = .perTensor) throws(QuantError) {
        guard (1...16).contains(bits) else { throw .bitsOutOfRange(bits) }
        if case .symmetric(restrictedRange: true) = mapping, bits < 2 { throw .restrictedRangeNeedsTwoBits }
        if let signed {
            self.isSigned = signed
        } else if case .affine = mapping {
            self.isSigned = false
        } else {
            self.isSigned = true
        }
        self.bits = bits
        self.mapping = mapping
        self.granularity = granularity
    }

    /// The smallest code.
    public var qmin: Int32 {
        let base: Int32 = isSigned ? -(1 << (bits - 1)) : 0
        return isRestricted ? base + 1 : base
    }

    /// The largest code.
    public var qmax: Int32 {
        isSigned ? (1 << (bits - 1)) - 1 : (1 << bits) - 1
    }

    /// `qmin…qmax`.
    public var codeRange: ClosedRange<Int32> { qmin...qmax }

    /// Whether the zero-point is fixed (symmetric) rather than observed.
    public var isSymmetric: Bool {
        if case .symmetric = mapping { return true }
        return false
    }

    /// Whether the most negative code is dropped (symmetric restricted range).
    public var isRestricted: Bool {
        if case .symmetric(restrictedRange: true) = mapping { return true }
        return false
    }

    /// The channel axis, or `nil` for a per-tensor scheme.
    public var axis: Int? {
        if case .perChannel(let axis) = granularity { return axis }
        return nil
    }

    /// The zero-point of a symmetric scheme: 0 when signed, 2ᵇ⁻¹ (the middle
    /// of `0…2ᵇ−1`) when unsigned; `nil` for an affine scheme.
    public var symmetricZeroPoint: Int32? {
        guard isSymmetric else { return nil }
        return isSigned ? 0 : 1 << (bits - 1)
    }

    /// PyTorch's name for the scheme (`per_tensor_affine`, `per_channel_symmetric`, …).
    public var pytorchName: String {
        (axis == nil ? "per_tensor_" : "per_channel_") + (isSymmetric ? "symmetric" : "affine")
    }
}

extension QuantScheme: CustomStringConvertible {
    public var description: String {
        var text = "\(bits)-bit \(isSigned ? "signed" : "unsigned") "
        switch mapping {
        case .affine: text += "affine"
        case .symmetric(let restricted): text += restricted ? "symmetric (restricted range)" : "symmetric"
        }
        switch granularity {
        case .perTensor: text += " per-tensor"
        case .perChannel(let axis): text += " per-channel (axis \(axis))"
        }
        return text + " [\(qmin)…\(qmax)]"
    }
}
