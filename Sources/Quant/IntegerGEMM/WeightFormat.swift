import CIntegerGEMM

/// How the integer codes of a weight matrix are stored, and how many of them
/// share one scale.
///
/// A quantized weight is `w ≈ s · q`: an integer code `q` times a float
/// scale `s`. The format fixes the codes' width and values (``Encoding``)
/// and the scales' granularity (``groupSize``):
///
/// | encoding   | bits | codes            | stored as                    |
/// |------------|------|------------------|------------------------------|
/// | `int8`     | 8    | −128...127       | two's complement byte        |
/// | `int4`     | 4    | −8...7           | two's complement nibble      |
/// | `int2`     | 2    | −2...1           | two's complement 2 bits      |
/// | `binary`   | 1    | −1, +1 (no 0)    | bit 1 = +1, bit 0 = −1       |
/// | `ternary`  | 2    | −1, 0, +1        | as `int2` (`10` never used)  |
///
/// With `groupSize == nil` each output row has one scale (per channel); with
/// a group size `g`, each run of `g` consecutive codes along a row has its
/// own (the last run of a row is shorter when `g` does not divide it). Smaller
/// groups track the weights more closely and cost more scale bytes — see
/// ``BitPackedWeights/bitsPerWeight``.
///
/// ```swift
/// let format = try WeightFormat(.int4, groupSize: 32)   // 4-bit codes, one scale per 32 weights
/// format.bitsPerCode                                     // 4
/// format.groupsPerRow(inFeatures: 784)                   // 25 (24 groups of 32 and one of 16)
/// WeightFormat.ternary.encoding.contains(-1)             // true
/// ```
public struct WeightFormat: Hashable, Sendable {
    /// The width and values of the codes.
    public enum Encoding: String, CaseIterable, Hashable, Sendable {
        /// 8-bit codes, −128...127.
        case int8
        /// 4-bit codes, −8...7.
        case int4
        /// 2-bit codes, −2...1.
        case int2
        /// 1-bit codes, −1 and +1.
        case binary
        /// Codes −1, 0 and +1 in 2 bits.
        case ternary

        /// Bits of storage per code.
        public var bitsPerCode: Int {
            switch self {
            case .int8: return 8
            case .int4: return 4
            case .int2, .ternary: return 2
            case .binary: return 1
            }
        }

        /// The smallest and largest code (`binary` leaves out the 0 between them).
        public var codeRange: ClosedRange<Int8> {
            switch self {
            case .int8: return -128...127
            case .int4: return -8...7
            case .int2: return -2...1
            case .binary, .ternary: return -1...1
            }
        }

        /// Whether the encoding can store `code`.
        public func contains(_ code: Int8) -> Bool {
            codeRange.contains(code) && !(self == .binary && code == 0)
        }

        /// The C kernels' name for the encoding.
        var cFormat: igemm_format {
            switch self {
            case .int8: return IGEMM_FORMAT_INT8
            case .int4: return IGEMM_FORMAT_INT4
            case .int2: return IGEMM_FORMAT_INT2
            case .binary: return IGEMM_FORMAT_BINARY
            case .ternary: return IGEMM_FORMAT_TERNARY
            }
        }
    }

    /// The width and values of the codes.
    public let encoding: Encoding
    /// Codes per scale along a row, or `nil` for one scale per row.
    public let groupSize: Int?

    /// A format with scales per group of `groupSize` codes (`nil`: per row).
    ///
    /// - Throws: ``Int8KernelError/invalidGroupSize(_:)`` unless `groupSize` is positive.
    public init(_ encoding: Encoding, groupSize: Int? = nil) throws(Int8KernelError) {
        if let groupSize, groupSize <= 0 { throw .invalidGroupSize(groupSize) }
        self.init(checked: encoding, groupSize: groupSize)
    }

    private init(checked encoding: Encoding, groupSize: Int?) {
        self.encoding = encoding
        self.groupSize = groupSize
    }

    /// 8-bit codes, one scale per row.
    public static let int8 = WeightFormat(checked: .int8, groupSize: nil)
    /// 4-bit codes, one scale per row.
    public static let int4 = WeightFormat(checked: .int4, groupSize: nil)
    /// 2-bit codes, one scale per row.
    public static let int2 = WeightFormat(checked: .int2, groupSize: nil)
    /// ±1 codes in 1 bit, one scale per row.
    public static let binary = WeightFormat(checked: .binary, groupSize: nil)
    /// −1/0/+1 codes in 2 bits, one scale per row.
    public static let ternary = WeightFormat(checked: .ternary, groupSize: nil)

    /// Bits of storage per code.
    public var bitsPerCode: Int { encoding.bitsPerCode }

    /// The smallest and largest code.
    public var codeRange: ClosedRange<Int8> { encoding.codeRange }

    /// Scales per row of `inFeatures` codes: `ceil(inFeatures / groupSize)`,
    /// or 1 without groups.
    public func groupsPerRow(inFeatures: Int) -> Int {
        igemm_groups_per_row(inFeatures, groupSize ?? Int(IGEMM_GROUP_ROW))
    }
}

extension WeightFormat: CustomStringConvertible {
    /// `int4`, or `int4/g32` with groups.
    public var description: String {
        groupSize.map { "\(encoding.rawValue)/g\($0)" } ?? encoding.rawValue
    }
}

extension WeightFormat: LosslessStringConvertible {
    /// The format a ``description`` names (`int4`, `int4/g32`), as stored in
    /// checkpoints; nil for any other text.
    public init?(_ description: String) {
        let parts = description.split(separator: "/", omittingEmptySubsequences: false)
        guard let encoding = parts.first.flatMap({ Encoding(rawValue: String($0)) }) else { return nil }
        switch parts.count {
        case 1:
            self.init(checked: encoding, groupSize: nil)
        case 2:
            guard parts[1].hasPrefix("g"), let size = Int(parts[1].dropFirst()), size > 0,
                  "g\(size)" == parts[1] else { return nil }
            self.init(checked: encoding, groupSize: size)
        default:
            return nil
        }
    }
}
