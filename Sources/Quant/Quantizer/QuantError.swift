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
    /// The tensor has no elements, so it has no range to observe.
    case emptyTensor
    /// The element at flat (row-major) `index` is NaN or ±infinity.
    case nonFiniteValue(index: Int, value: Float)
    /// The channel axis is not a dimension of a tensor of `rank`.
    case axisOutOfBounds(axis: Int, rank: Int)
    /// Per-channel parameters hold `parameterCount` channels but the tensor
    /// has `channelCount` along the channel axis (or a per-tensor scheme got
    /// more than one).
    case channelCountMismatch(parameterCount: Int, channelCount: Int)
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
        case .emptyTensor:
            return "the tensor is empty: quantization needs at least one element to observe a range"
        case .nonFiniteValue(let index, let value):
            return "element \(index) is \(value): quantization needs finite values; remove or replace NaN/Inf first"
        case .axisOutOfBounds(let axis, let rank):
            return "channel axis \(axis) is out of bounds for a tensor of rank \(rank): use 0..<\(rank)"
        case .channelCountMismatch(let parameterCount, let channelCount):
            return "the parameters hold \(parameterCount) channel(s) but the tensor has \(channelCount) along the channel axis"
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
        case .rangeTooWide(let min, let max):
            return "the range [\(min), \(max)] is too wide: max − min overflows Float32; rescale the data"
        case .bufferSizeMismatch(let expected, let actual):
            return "the output buffer holds \(actual) elements but \(expected) are needed"
        case .codeTypeTooNarrow(let type, let range):
            return "\(type) cannot hold the codes \(range.lowerBound)…\(range.upperBound); use a wider integer type"
        }
    }
}
