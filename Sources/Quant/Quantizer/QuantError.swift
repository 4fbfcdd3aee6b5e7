/// Why a tensor could not be quantized, or a scheme or parameters could not
/// be built.
///
/// Every case names what was wrong, where, and what to do about it, so that
/// the message printed by the `quant` tool or a notebook is enough to fix the
/// input without reading the source.
public enum QuantError: Error, Equatable, Sendable {
    /// The bit width is outside the supported 1…16.
    case bitsOutOfRange(Int)
    /// A restricted (symmetric, drop the most negative code) range needs at
    /// least 2 bits: at 1 bit it would hold a single code.
    case restrictedRangeNeedsTwoBits
    /// Binary codes take exactly 1 bit and ternary codes exactly 2, but the
    /// scheme asked for `bits`.
    case mappingNeedsBits(mapping: QuantScheme.Mapping, bits: Int, required: Int)
    /// Binary and ternary codes are signed (−1, +1 and 0), but the scheme
    /// asked for an unsigned range.
    case mappingNeedsSignedCodes(QuantScheme.Mapping)
    /// A channel or group axis is negative (axes count from 0).
    case negativeAxis(Int)
    /// A per-group scheme's group size is below 1.
    case groupSizeOutOfRange(Int)
    /// Binary and ternary scales are computed from the values (`mean|x|`,
    /// TWN's thresholded mean), which a min/max range does not determine.
    case scalesNeedValues(QuantScheme.Mapping)
    /// The tensor has no elements, so it has no range to observe.
    case emptyTensor
    /// The element at flat (row-major) `index` is NaN or ±infinity.
    case nonFiniteValue(index: Int, value: Float)
    /// The channel or group axis is not a dimension of a tensor of `rank`.
    case axisOutOfBounds(axis: Int, rank: Int)
    /// Per-channel parameters hold `parameterCount` channels but the tensor
    /// has `channelCount` along the channel axis (or a per-tensor scheme got
    /// more than one).
    case channelCountMismatch(parameterCount: Int, channelCount: Int)
    /// Per-group parameters hold `parameterCount` groups but the tensor has
    /// `groupCount` (⌈length / size⌉ per line along the group axis).
    case groupCountMismatch(parameterCount: Int, groupCount: Int)
    /// Two tensors that must have the same shape do not.
    case shapeMismatch(expected: [Int], actual: [Int])
    /// A scale is zero, negative, NaN, infinite or subnormal.
    case invalidScale(channel: Int, scale: Float)
    /// A zero-point lies outside the scheme's code range.
    case zeroPointOutOfRange(channel: Int, zeroPoint: Int32, range: ClosedRange<Int32>)
    /// A symmetric scheme needs its zero-point at `expected` (0 when signed,
    /// the middle code when unsigned).
    case symmetricZeroPointMismatch(channel: Int, zeroPoint: Int32, expected: Int32)
    /// An integer code lies outside the scheme's code range.
    case codeOutOfRange(index: Int, code: Int32, range: ClosedRange<Int32>)
    /// A binary scheme has the codes −1 and +1 only, but element `index` is 0.
    case notABinaryCode(index: Int)
    /// The observed range is so wide that `max − min` overflows Float32.
    case rangeTooWide(min: Float, max: Float)
    /// The output buffer does not have exactly one slot per input element.
    case bufferSizeMismatch(expected: Int, actual: Int)
    /// The code type cannot hold the scheme's range (e.g. 9-bit codes into `Int8`).
    case codeTypeTooNarrow(type: String, range: ClosedRange<Int32>)
}

extension QuantError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .bitsOutOfRange(let bits):
            return "bit width \(bits) is out of range: use 1…16 bits"
        case .restrictedRangeNeedsTwoBits:
            return "a restricted symmetric range needs at least 2 bits (at 1 bit it holds a single code); use the full range"
        case .mappingNeedsBits(let mapping, let bits, let required):
            return "\(mapping) codes take exactly \(required) bit\(required == 1 ? "" : "s"), not \(bits): use bits: \(required)"
        case .mappingNeedsSignedCodes(let mapping):
            return "\(mapping) codes are signed (\(mapping == .binary ? "-1, +1" : "-1, 0, +1")): use a signed range (or leave signed unset)"
        case .negativeAxis(let axis):
            return "axis \(axis) is negative: axes count from 0 (for a tensor of rank r, axis −1 is r − 1)"
        case .groupSizeOutOfRange(let size):
            return "group size \(size) is invalid: a group holds at least 1 element"
        case .scalesNeedValues(let mapping):
            return "\(mapping) scales come from the values themselves, not from a min/max range: observe the tensor (QuantParams(scheme:observing:))"
        case .emptyTensor:
            return "the tensor is empty: quantization needs at least one element to observe a range"
        case .nonFiniteValue(let index, let value):
            return "element \(index) is \(value): quantization needs finite values; remove or replace NaN/Inf first"
        case .axisOutOfBounds(let axis, let rank):
            return "axis \(axis) is out of bounds for a tensor of rank \(rank): use 0..<\(rank)"
        case .channelCountMismatch(let parameterCount, let channelCount):
            return "the parameters hold \(parameterCount) channel(s) but the tensor has \(channelCount) along the channel axis"
        case .groupCountMismatch(let parameterCount, let groupCount):
            return "the parameters hold \(parameterCount) group(s) but the tensor has \(groupCount) (⌈length / size⌉ per line along the group axis)"
        case .shapeMismatch(let expected, let actual):
            return "shape \(actual) does not match the expected shape \(expected)"
        case .invalidScale(let channel, let scale):
            return "scale \(scale) of channel \(channel) is invalid: a scale must be a finite, positive, normal Float32"
        case .zeroPointOutOfRange(let channel, let zeroPoint, let range):
            return "zero-point \(zeroPoint) of channel \(channel) is outside the code range \(range.lowerBound)…\(range.upperBound)"
        case .symmetricZeroPointMismatch(let channel, let zeroPoint, let expected):
            return "zero-point \(zeroPoint) of channel \(channel) breaks the symmetric scheme: it must be \(expected)"
        case .codeOutOfRange(let index, let code, let range):
            return "code \(code) at element \(index) is outside the code range \(range.lowerBound)…\(range.upperBound)"
        case .notABinaryCode(let index):
            return "code 0 at element \(index) is not a binary code: binary codes are -1 and +1"
        case .rangeTooWide(let min, let max):
            return "the range [\(min), \(max)] is too wide: max − min overflows Float32; rescale the data"
        case .bufferSizeMismatch(let expected, let actual):
            return "the output buffer holds \(actual) elements but \(expected) are needed"
        case .codeTypeTooNarrow(let type, let range):
            return "\(type) cannot hold the codes \(range.lowerBound)…\(range.upperBound); use a wider integer type"
        }
    }
}
