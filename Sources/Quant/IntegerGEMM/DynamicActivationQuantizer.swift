import CIntegerGEMM

/// Quantizes a batch of float activations to uint8 at run time, the way
/// dynamic post-training quantization does (PyTorch's `quantize_dynamic`).
///
/// The range is the batch's own, widened to include 0 so that 0 is exact
/// (zero padding and ReLU outputs stay exact):
///
///     lo = min(min x, 0),  hi = max(max x, 0)
///     s_x = max((hi − lo) / 255, ε),   z_x = clamp(0 − round(lo / s_x), 0, 255)
///     q_x = clamp(round(x · (1/s_x)) + z_x, 0, 255)
///
/// — exactly the parameters of `QuantParams(scheme: QuantScheme(bits: 8),
/// min: [lo], max: [hi])` (PyTorch's `MinMaxObserver` with `quint8`), by the
/// same Float32 code, so a calibrated (static) and a dynamic activation
/// quantizer agree bit for bit on the same range. `round` is
/// round-half-to-even; the rounding error is at most `s_x / 2` inside the
/// range. An all-zero batch gets `s_x = ε` (Float32's epsilon, 2⁻²³, the
/// observers' floor) and `z_x = 0`: every code is 0 and decodes to 0.
///
/// ```swift
/// let params = try DynamicActivationQuantizer.parameters(for: x)   // e.g. s_x = 0.0117, z_x = 46
/// var codes = [UInt8](repeating: 0, count: x.count)
/// try DynamicActivationQuantizer.quantize(x, with: params, into: &codes)
/// ```
public enum DynamicActivationQuantizer {
    /// The scale and zero-point of one batch's uint8 codes.
    public struct Parameters: Hashable, Sendable {
        /// Float value of one code step (a positive normal float, so `1 / scale` is finite).
        public let scale: Float
        /// The code that represents 0.0, in 0...255.
        public let zeroPoint: Int32

        /// Parameters given directly (for example from a calibrated range).
        public init(scale: Float, zeroPoint: Int32) throws(Int8KernelError) {
            guard scale.isNormal, scale > 0 else { throw .invalidScale(name: "scale", index: 0, value: scale) }
            guard (0...255).contains(zeroPoint) else { throw .zeroPointOutOfRange(zeroPoint) }
            self.scale = scale
            self.zeroPoint = zeroPoint
        }

        /// The parameters that cover `[min, max] ∪ {0}` with 256 codes, as
        /// `QuantParams(scheme: QuantScheme(bits: 8), min: [min], max: [max])`.
        ///
        /// - Throws: ``Int8KernelError/nonFiniteActivations(min:max:)`` for an
        ///   infinite or NaN bound, ``Int8KernelError/activationRangeTooWide(min:max:)``
        ///   when `max − min` overflows Float32 (no Float32 scale covers it).
        public init(min: Float, max: Float) throws(Int8KernelError) {
            guard min.isFinite, max.isFinite else { throw .nonFiniteActivations(min: min, max: max) }
            // The scale is at least Float32's epsilon, so it is normal and 1/scale is finite.
            guard let (scale, zeroPoint) = QuantParams.affine(minNegative: Swift.min(min, 0), maxPositive: Swift.max(max, 0),
                                                              qmin: 0, qmax: 255) else {
                throw .activationRangeTooWide(min: min, max: max)
            }
            self.scale = scale
            self.zeroPoint = zeroPoint
        }

        /// The float value a code stands for: `s_x · (q − z_x)`.
        public func dequantize(_ code: UInt8) -> Float {
            scale * Float(Int32(code) - zeroPoint)
        }
    }

    /// Elements below which a pass stays on one thread: one core scans about
    /// 30K floats per microsecond, and handing a chunk to ``WorkerTeam``'s
    /// awake worker costs about a microsecond, so a pass of 64K floats
    /// (~2 µs) is the smallest one that gains from a second core.
    public static let parallelThreshold = 1 << 16

    /// The parameters for a batch, from its minimum and maximum.
    ///
    /// NaNs are ignored when finding the range (and quantize to code 0);
    /// infinities throw ``Int8KernelError/nonFiniteActivations(min:max:)``.
    /// With `parallel`, a large batch is scanned on all cores.
    public static func parameters(
        for x: UnsafeBufferPointer<Float>, parallel: Bool = true
    ) throws(Int8KernelError) -> Parameters {
        guard let base = x.baseAddress, !x.isEmpty else { return try Parameters(min: 0, max: 0) }
        let chunks = Self.chunks(x.count, parallel: parallel)
        var lo = Float.infinity, hi = -Float.infinity
        if chunks.count == 1 {
            igemm_min_max(base, x.count, &lo, &hi)
        } else {
            // One (min, max) pair per chunk, on the stack, merged afterwards.
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * chunks.count) { pairs in
                let pairs = pairs.baseAddress!
                chunks.forEach { c, range in
                    igemm_min_max(base + range.lowerBound, range.count, pairs + 2 * c, pairs + 2 * c + 1)
                }
                for c in 0..<chunks.count {
                    lo = Swift.min(lo, pairs[2 * c])
                    hi = Swift.max(hi, pairs[2 * c + 1])
                }
            }
        }
        if lo > hi { return try Parameters(min: 0, max: 0) }   // every value was NaN
        return try Parameters(min: lo, max: hi)
    }

    /// The parameters for a batch held in an array.
    public static func parameters(for x: [Float]) throws(Int8KernelError) -> Parameters {
        try x.withUnsafeBufferPointer { x throws(Int8KernelError) in try parameters(for: x) }
    }

    /// Writes `codes[i] = clamp(round(x[i] / s_x) + z_x, 0, 255)`; with
    /// `parallel`, a large batch is split over the cores.
    public static func quantize(
        _ x: UnsafeBufferPointer<Float>, with parameters: Parameters,
        into codes: UnsafeMutableBufferPointer<UInt8>, parallel: Bool = true
    ) throws(Int8KernelError) {
        guard codes.count == x.count else { throw .sizeMismatch(name: "codes", expected: x.count, actual: codes.count) }
        guard let source = x.baseAddress, let target = codes.baseAddress else { return }
        let inverse = 1 / parameters.scale
        chunks(x.count, parallel: parallel).forEach { _, range in
            igemm_quantize_u8(source + range.lowerBound, range.count, inverse, parameters.zeroPoint,
                           target + range.lowerBound)
        }
    }

    /// Quantizes an array into a caller-provided array of the same count.
    public static func quantize(_ x: [Float], with parameters: Parameters, into codes: inout [UInt8]) throws(Int8KernelError) {
        let count = codes.count
        guard count == x.count else { throw .sizeMismatch(name: "codes", expected: x.count, actual: count) }
        try codes.withUnsafeMutableBufferPointer { codes throws(Int8KernelError) in
            try x.withUnsafeBufferPointer { x throws(Int8KernelError) in
                try quantize(x, with: parameters, into: codes)
            }
        }
    }

    /// How a pass over `count` elements is split (not at all below ``parallelThreshold``).
    private static func chunks(_ count: Int, parallel: Bool) -> ParallelChunks {
        ParallelChunks(count, minimumChunk: parallelThreshold / 4, worthSplitting: parallel && count >= parallelThreshold)
    }
}
