/// Why an int8 kernel call was refused.
///
/// Every case names what was wrong and what the caller should pass instead;
/// the kernels never trap on bad input.
public enum Int8KernelError: Error, Equatable, Sendable {
    /// The kernel needs an instruction set this CPU lacks.
    case unsupportedKernel(Int8Kernel, supported: [Int8Kernel])
    /// A matrix dimension was negative.
    case negativeDimension(name: String, value: Int)
    /// `inFeatures` exceeds ``Int8Kernel/maxInFeatures``, so int32 could overflow.
    case depthTooLarge(inFeatures: Int, limit: Int)
    /// A buffer did not hold the number of elements its shape requires.
    case sizeMismatch(name: String, expected: Int, actual: Int)
    /// The weight scales were neither one (per tensor) nor one per output channel.
    case scaleCount(expectedPerChannel: Int, actual: Int)
    /// A scale was zero, negative, infinite or NaN (or, for activations, subnormal).
    case invalidScale(name: String, index: Int, value: Float)
    /// A uint8 zero-point was outside 0...255.
    case zeroPointOutOfRange(Int32)
    /// The activations held an infinity, or no finite value at all, so no
    /// uint8 range can represent them.
    case nonFiniteActivations(min: Float, max: Float)
    /// The activations' range `max − min` overflows Float32, so no uint8
    /// scale can cover it.
    case activationRangeTooWide(min: Float, max: Float)
    /// A weight code (at row-major `index`) that the encoding cannot store.
    case codeOutOfRange(WeightFormat.Encoding, index: Int, value: Int8)
    /// A group size of zero or less.
    case invalidGroupSize(Int)
    /// Grouped weights need one scale per group of each row.
    case groupScaleCount(groupSize: Int, expected: Int, actual: Int)
    /// A real requantization multiplier that is negative, not finite, or too
    /// large for a fixed-point shift of at most 30.
    case invalidMultiplier(Double)
    /// A stored fixed-point multiplier that ``FixedPointMultiplier/init(_:)``
    /// cannot produce: neither 0 with shift 0 nor in `2³⁰ ..< 2³¹` with a shift in −31...30.
    case invalidFixedPointMultiplier(multiplier: Int32, shift: Int32)
    /// The requantization multipliers were neither one nor one per output channel.
    case multiplierCount(expectedPerChannel: Int, actual: Int)
    /// An int32 bias so large that `acc + bias` could overflow int32.
    case biasOutOfRange(index: Int, value: Int32, limit: Int32)
    /// The low-bit kernels multiply by `int4`, `int2`, `ternary` and `binary` codes, not `int8`.
    case unsupportedLowBitEncoding(WeightFormat.Encoding)
    /// The low-bit kernels need groups of a multiple of `multiple` codes.
    case lowBitGroupSize(Int, multiple: Int)
}

extension Int8KernelError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unsupportedKernel(let kernel, let supported):
            return "the \(kernel) int8 kernel needs CPU features this machine lacks; use one of \(supported.map(\.description).joined(separator: ", ")) (or Int8Kernel.fastest)"
        case .negativeDimension(let name, let value):
            return "\(name) is \(value); matrix dimensions must be zero or more"
        case .depthTooLarge(let inFeatures, let limit):
            return "inFeatures = \(inFeatures) exceeds \(limit), the most an int32 accumulator can sum without overflow; split the layer's input"
        case .sizeMismatch(let name, let expected, let actual):
            return "\(name) holds \(actual) elements, but its shape needs \(expected)"
        case .scaleCount(let perChannel, let actual):
            return "got \(actual) weight scales; pass 1 (per tensor) or \(perChannel) (one per output channel)"
        case .invalidScale(let name, let index, let value):
            return "\(name)[\(index)] = \(value); scales must be finite and positive (activation scales also normal, so that 1/scale is finite)"
        case .zeroPointOutOfRange(let z):
            return "zero-point \(z) is outside the uint8 range 0...255"
        case .nonFiniteActivations(let min, let max):
            return "activations range from \(min) to \(max); dynamic uint8 quantization needs finite values (check the layer's input for inf/NaN)"
        case .activationRangeTooWide(let min, let max):
            return "activations range from \(min) to \(max), wider than Float32 can hold as one number; dynamic uint8 quantization cannot cover it (check the layer's input for exploding values)"
        case .codeOutOfRange(let encoding, let index, let value):
            let range = encoding.codeRange
            let codes = encoding == .binary ? "−1 or +1" : "\(range.lowerBound)...\(range.upperBound)"
            return "code \(value) at index \(index) cannot be stored as \(encoding.rawValue), whose codes are \(codes); quantize to that range first"
        case .invalidGroupSize(let size):
            return "group size \(size); a group holds one or more codes (or pass nil for one scale per row)"
        case .groupScaleCount(let groupSize, let expected, let actual):
            return "got \(actual) scales; groups of \(groupSize) codes need \(expected) (one per group of each row, the last group of a row may be shorter)"
        case .invalidMultiplier(let value):
            return "requantization multiplier \(value); it must be finite, at least 0 and below 2^30 (it is s_x·s_w/s_y, usually well below 1)"
        case .invalidFixedPointMultiplier(let multiplier, let shift):
            return "fixed-point multiplier \(multiplier) with shift \(shift); a stored multiplier is 0 with shift 0, or in 2^30..<2^31 with a shift in -31...30"
        case .multiplierCount(let perChannel, let actual):
            return "got \(actual) requantization multipliers; pass 1 (per tensor) or \(perChannel) (one per output channel)"
        case .biasOutOfRange(let index, let value, let limit):
            return "bias[\(index)] = \(value) exceeds ±\(limit), beyond which acc + bias could overflow int32 at this inFeatures"
        case .unsupportedLowBitEncoding(let encoding):
            return "the low-bit kernels multiply by int4, int2, ternary or binary codes, not \(encoding.rawValue); use PackedInt8Weights (or DynamicQuantizedLinear) for int8"
        case .lowBitGroupSize(let size, let multiple):
            return "group size \(size); the low-bit kernels need a multiple of \(multiple) (e.g. 32, 64, 128) or one scale per row"
        }
    }
}
