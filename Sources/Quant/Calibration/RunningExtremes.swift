/// What every calibrator tracks besides its own statistic: how many
/// values it saw, their smallest and largest, and the first non-finite
/// batch value (which makes the calibrator's range an error).
struct RunningExtremes: Sendable, Hashable {
    private(set) var count = 0
    private(set) var min = Float.infinity
    private(set) var max = -Float.infinity
    private(set) var nonFinite: Float?

    typealias Lanes = SIMD8<Float>

    /// The extremes of `values`, found in one vectorised pass, or `nil`
    /// when the batch is empty or holds a NaN or an infinity (recorded in
    /// ``nonFinite``; such a batch adds nothing).
    mutating func add(_ values: UnsafeBufferPointer<Float>) -> (min: Float, max: Float)? {
        guard let base = values.baseAddress, !values.isEmpty else { return nil }
        // Selects ignore NaN (every comparison with it is false), so NaNs are flagged apart.
        var lo = Lanes(repeating: .infinity), hi = Lanes(repeating: -.infinity)
        var nan = SIMDMask<SIMD8<Int32>>(repeating: false)
        let whole = values.count - values.count % Lanes.scalarCount
        for i in stride(from: 0, to: whole, by: Lanes.scalarCount) {
            let v = UnsafeRawPointer(base + i).loadUnaligned(as: Lanes.self)
            lo = lo.replacing(with: v, where: v .< lo)
            hi = hi.replacing(with: v, where: v .> hi)
            nan .|= v .!= v
        }
        var (batchMin, batchMax, hasNaN) = (lo.min(), hi.max(), any(nan))
        for v in values[whole...] {
            batchMin = Swift.min(batchMin, v)
            batchMax = Swift.max(batchMax, v)
            hasNaN = hasNaN || v.isNaN
        }
        guard !hasNaN, batchMin.isFinite, batchMax.isFinite else {
            if nonFinite == nil { nonFinite = hasNaN ? .nan : (batchMin.isFinite ? batchMax : batchMin) }
            return nil
        }
        count += values.count
        min = Swift.min(min, batchMin)
        max = Swift.max(max, batchMax)
        return (batchMin, batchMax)
    }

    /// `[min(min, 0), max(max, 0)]` of every value seen.
    ///
    /// - Throws: the errors of ``RangeCalibrator/range(bits:)`` for no
    ///   values, a non-finite value and all-zero values.
    func widenedRange() throws(ModelError) -> ClosedRange<Float> {
        if let nonFinite { throw .calibrationNonFinite(nonFinite) }
        guard count > 0 else { throw .calibrationEmpty }
        guard min != 0 || max != 0 else { throw .calibrationAllZero }
        return Swift.min(min, 0)...Swift.max(max, 0)
    }
}
