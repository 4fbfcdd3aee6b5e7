/// How real numbers map to b-bit integer codes: the bit width, the integer
/// range, the mapping (affine, symmetric, binary, ternary), and the
/// granularity (per-tensor, per-channel, per-group).
///
/// The code range `qmin…qmax` follows from the bit width and signedness:
///
/// | range                         | qmin           | qmax          |
/// |-------------------------------|----------------|---------------|
/// | unsigned                      | 0              | 2ᵇ − 1        |
/// | signed                        | −2ᵇ⁻¹          | 2ᵇ⁻¹ − 1      |
/// | signed, restricted symmetric  | −2ᵇ⁻¹ + 1      | 2ᵇ⁻¹ − 1      |
/// | unsigned, restricted symmetric| 1              | 2ᵇ − 1        |
/// | binary (b = 1)                | −1             | +1 (no 0)     |
/// | ternary (b = 2)               | −1             | +1            |
///
/// An *affine* scheme has a free zero-point, so any range `[min, max]`
/// (widened to include 0) uses the whole grid. A *symmetric* scheme fixes the
/// zero-point — 0 when signed, the middle code 2ᵇ⁻¹ when unsigned (128 at 8
/// bits, as PyTorch's `quint8` observers do) — so that dequantization is a
/// plain multiply (`x̂ = q·scale`), which is what integer matrix kernels want
/// for weights. The *restricted* symmetric range drops the most negative code
/// so that the grid is the same on both sides of zero (−127…127 at 8 bits).
///
/// *Binary* and *ternary* are the low-bit weight formats: codes {−1, +1} and
/// {−1, 0, +1}, zero-point 0, `x̂ = scale·q`, with scales computed from the
/// values themselves rather than from a min/max range (see
/// ``Mapping/binary`` and ``Mapping/ternary``).
///
/// ## What one bit means
///
/// `QuantScheme(bits: 1, mapping: .symmetric(restrictedRange: false))` is the
/// uniform symmetric grid at one bit: signed codes −1…0, so `x̂ ∈ {−s, 0}` —
/// one-sided, with nothing above zero. With an observed scale
/// (`s = max|x| / ½ = 2·max|x|`) every `x / s` lies in `[−½, ½]` and rounds to
/// 0, so the whole tensor reconstructs as 0 (unsigned, zero-point 1: the same).
/// It is kept exactly so, as the 1-bit end of the uniform bit-width sweep.
/// The usual 1-bit weight is ``Mapping/binary``: `x̂ ∈ {−s, +s}`.
///
/// ## Granularity
///
/// One scale and zero-point for the whole tensor, one per index along an
/// axis (per-channel), or one per run of `size` consecutive elements along an
/// axis (per-group, ``Granularity/perGroup(axis:size:)``): with groups of 128
/// along the input axis of a `[out, in]` Linear weight, each row has
/// ⌈in/128⌉ scales.
///
/// ```swift
/// let activations = try QuantScheme(bits: 8)                          // uint8 affine
/// let weights = try QuantScheme(bits: 8, mapping: .symmetric(restrictedRange: true),
///                               granularity: .perChannel(axis: 0))    // int8, −127…127
/// weights.codeRange                                                   // -127...127
/// let int4 = try QuantScheme(bits: 4, mapping: .symmetric(restrictedRange: false),
///                            granularity: .perGroup(axis: 1, size: 128))
/// try int4.parameterCount(for: [256, 784])                            // 1792 = 256·7
/// let ternary = try QuantScheme(bits: 2, mapping: .ternary)           // {−s, 0, +s}
/// ```
public struct QuantScheme: Sendable, Hashable {
    /// How a real value becomes a code, and how the scale is chosen.
    public enum Mapping: Sendable, Hashable {
        /// `x ≈ scale·(q − zeroPoint)` with the zero-point chosen from the range.
        case affine
        /// `x ≈ scale·(q − zeroPoint)` with the zero-point fixed: 0 (signed)
        /// or 2ᵇ⁻¹ (unsigned). `restrictedRange` drops the most negative code.
        case symmetric(restrictedRange: Bool)
        /// One bit per value: `q = +1` if `x ≥ 0` (−0 included), else −1,
        /// and `x̂ = scale·q`. The observed scale of each slice is `mean|x|`,
        /// the scale that minimises `Σ(x − s·sign(x))²` (XNOR-Net, Rastegari
        /// et al. 2016). There is no code for 0: 0 comes back as `+scale`.
        /// Needs `bits: 1`, signed.
        case binary
        /// Codes {−1, 0, +1} in 2 bits: `q = clamp(round(x / scale), −1, 1)`
        /// (so |x| ≤ scale/2 gives 0) and `x̂ = scale·q`. The observed scale
        /// of each slice is TWN's (Li et al. 2016): with `Δ = 0.7·mean|x|`,
        /// `scale = mean{|x| : |x| > Δ}`. Needs `bits: 2`, signed.
        case ternary
    }

    /// One scale and zero-point for the whole tensor, one per slice along an
    /// axis, or one per group of consecutive elements along an axis.
    public enum Granularity: Sendable, Hashable {
        case perTensor
        /// One set of parameters for each index along `axis` (e.g. axis 0 of
        /// a Linear layer's `[out, in]` weight: one per output feature).
        case perChannel(axis: Int)
        /// One set of parameters for each run of `size` consecutive indices
        /// along `axis`, separately for every index of the other axes: along
        /// axis 1 of a `[out, in]` weight, row `j` has groups
        /// `[0, size), [size, 2·size), …` of its inputs.
        ///
        /// - **Ragged end:** when `size` does not divide the axis length `K`,
        ///   there are `⌈K / size⌉` groups and the last holds the remaining
        ///   `K − (⌈K/size⌉ − 1)·size` elements, with its own parameters
        ///   observed from those elements alone (no padding): K = 784 in
        ///   groups of 128 is 6 groups of 128 and one of 16.
        /// - **Order:** the parameters form a tensor of the data's shape with
        ///   the length `K` of `axis` replaced by `⌈K / size⌉`, in row-major
        ///   order. For a `[out, in]` weight grouped along axis 1 that is
        ///   `index = j·groupCount + g`; grouped along axis 0 it is
        ///   `index = g·in + k`.
        /// - **Limits:** `size = 1` gives every element its own parameters;
        ///   `size ≥ K` gives one group per line along `axis`, which for a
        ///   matrix is per-channel along the other axis.
        case perGroup(axis: Int, size: Int)
    }

    /// The number of bits of a code, 1…16.
    public let bits: Int
    /// Whether codes are signed (two's complement range) or unsigned.
    public let isSigned: Bool
    /// Affine, symmetric, binary or ternary.
    public let mapping: Mapping
    /// Per-tensor, per-channel or per-group.
    public let granularity: Granularity

    /// A scheme with `bits` bits.
    ///
    /// - Parameters:
    ///   - signed: the integer range; `nil` picks PyTorch's defaults:
    ///     unsigned for affine (`quint8`), signed otherwise (`qint8`).
    /// - Throws: ``QuantError/bitsOutOfRange(_:)`` outside 1…16,
    ///   ``QuantError/mappingNeedsBits(mapping:bits:required:)`` for binary
    ///   without 1 bit or ternary without 2,
    ///   ``QuantError/restrictedRangeNeedsTwoBits`` for a 1-bit restricted range,
    ///   ``QuantError/mappingNeedsSignedCodes(_:)`` for unsigned binary or ternary,
    ///   ``QuantError/negativeAxis(_:)`` for a negative channel or group axis,
    ///   ``QuantError/groupSizeOutOfRange(_:)`` for a group size below 1.
    public init(bits: Int, signed: Bool? = nil, mapping: Mapping = .affine, granularity: Granularity = .perTensor) throws(QuantError) {
        guard (1...16).contains(bits) else { throw .bitsOutOfRange(bits) }
        switch mapping {
        case .binary where bits != 1:
            throw .mappingNeedsBits(mapping: mapping, bits: bits, required: 1)
        case .ternary where bits != 2:
            throw .mappingNeedsBits(mapping: mapping, bits: bits, required: 2)
        case .binary, .ternary:
            if signed == false { throw .mappingNeedsSignedCodes(mapping) }
        case .symmetric(restrictedRange: true) where bits < 2:
            throw .restrictedRangeNeedsTwoBits
        case .affine, .symmetric:
            break
        }
        switch granularity {
        case .perTensor:
            break
        case .perChannel(let axis):
            guard axis >= 0 else { throw .negativeAxis(axis) }
        case .perGroup(let axis, let size):
            guard axis >= 0 else { throw .negativeAxis(axis) }
            guard size >= 1 else { throw .groupSizeOutOfRange(size) }
        }
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
        switch mapping {
        case .binary, .ternary: return -1
        case .affine, .symmetric:
            let base: Int32 = isSigned ? -(1 << (bits - 1)) : 0
            return isRestricted ? base + 1 : base
        }
    }

    /// The largest code.
    public var qmax: Int32 {
        switch mapping {
        case .binary, .ternary: return 1
        case .affine, .symmetric: return isSigned ? (1 << (bits - 1)) - 1 : (1 << bits) - 1
        }
    }

    /// `qmin…qmax`. For a binary scheme that is −1…1, of which 0 is not a
    /// code (``validate(codes:)`` refuses it).
    public var codeRange: ClosedRange<Int32> { qmin...qmax }

    /// Whether the zero-point is fixed rather than observed, so that
    /// `x̂ = scale·(q − zp)` with a constant `zp`: symmetric, binary and
    /// ternary schemes.
    public var isSymmetric: Bool {
        if case .affine = mapping { return false }
        return true
    }

    /// Whether the most negative code is dropped (symmetric restricted range).
    public var isRestricted: Bool {
        if case .symmetric(restrictedRange: true) = mapping { return true }
        return false
    }

    /// The axis the parameters vary along: the channel axis of a per-channel
    /// scheme, the grouped axis of a per-group one; `nil` per-tensor.
    public var axis: Int? {
        switch granularity {
        case .perTensor: return nil
        case .perChannel(let axis), .perGroup(let axis, _): return axis
        }
    }

    /// The group size of a per-group scheme, `nil` otherwise.
    public var groupSize: Int? {
        if case .perGroup(_, let size) = granularity { return size }
        return nil
    }

    /// The fixed zero-point: 0 when signed (and for binary and ternary),
    /// 2ᵇ⁻¹ (the middle of `0…2ᵇ−1`) when unsigned symmetric; `nil` for an
    /// affine scheme.
    public var symmetricZeroPoint: Int32? {
        guard isSymmetric else { return nil }
        return isSigned ? 0 : 1 << (bits - 1)
    }

    /// The number of scales (and zero-points) for a tensor of `shape`: 1
    /// per-tensor, `shape[axis]` per-channel, and per-group the element count
    /// with `shape[axis]` replaced by `⌈shape[axis] / size⌉`.
    ///
    /// - Throws: ``QuantError/axisOutOfBounds(axis:rank:)``.
    public func parameterCount(for shape: [Int]) throws(QuantError) -> Int {
        try ChannelLayout(shape: shape, granularity: granularity).channels
    }

    /// Checks that every entry of `codes` is a code of this scheme: inside
    /// ``codeRange``, and not 0 for a binary scheme.
    ///
    /// - Throws: ``QuantError/codeOutOfRange(index:code:range:)``,
    ///   ``QuantError/notABinaryCode(index:)``.
    public func validate(codes: [Int32]) throws(QuantError) {
        let range = codeRange
        if let index = codes.firstIndex(where: { !range.contains($0) }) {
            throw .codeOutOfRange(index: index, code: codes[index], range: range)
        }
        if mapping == .binary, let index = codes.firstIndex(of: 0) {
            throw .notABinaryCode(index: index)
        }
    }

    /// PyTorch's name for the scheme (`per_tensor_affine`,
    /// `per_channel_symmetric`, …). PyTorch has no per-group qscheme and no
    /// binary or ternary one; those get names in the same pattern:
    /// `per_group_affine`, `per_group_symmetric`, `per_tensor_binary`,
    /// `per_channel_ternary`, ….
    public var pytorchName: String {
        let prefix: String
        switch granularity {
        case .perTensor: prefix = "per_tensor_"
        case .perChannel: prefix = "per_channel_"
        case .perGroup: prefix = "per_group_"
        }
        switch mapping {
        case .affine: return prefix + "affine"
        case .symmetric: return prefix + "symmetric"
        case .binary: return prefix + "binary"
        case .ternary: return prefix + "ternary"
        }
    }
}

extension QuantScheme.Mapping: CustomStringConvertible {
    public var description: String {
        switch self {
        case .affine: return "affine"
        case .symmetric(let restricted): return restricted ? "symmetric (restricted range)" : "symmetric"
        case .binary: return "binary"
        case .ternary: return "ternary"
        }
    }
}

extension QuantScheme: CustomStringConvertible {
    public var description: String {
        var text = "\(bits)-bit \(isSigned ? "signed" : "unsigned") \(mapping)"
        switch granularity {
        case .perTensor: text += " per-tensor"
        case .perChannel(let axis): text += " per-channel (axis \(axis))"
        case .perGroup(let axis, let size): text += " per-group (axis \(axis), groups of \(size))"
        }
        return text + (mapping == .binary ? " {-1, +1}" : " [\(qmin)…\(qmax)]")
    }
}
