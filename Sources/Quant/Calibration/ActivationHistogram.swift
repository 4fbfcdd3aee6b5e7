import Foundation

/// A fine histogram of every calibration value of one layer's input, the
/// statistic behind ``PercentileCalibrator``, ``MSECalibrator`` and
/// ``EntropyCalibrator``: memory stays a few thousand counts however many
/// images are calibrated on, where keeping the values would take
/// 4 bytes each (12.8 MB for the first layer of an MNIST MLP at 4096 images).
///
/// Bins have width `w = 2ᵉ`, aligned at 0: bin `k` holds the values in
/// `[k·w, (k+1)·w)`, and exact zeros are counted apart (``zeroCount``),
/// because 0 is exact on every grid and ReLU outputs are often half zeros.
/// `e` is the smallest integer with `max|x| ≤ 4096·w`, so between 0 and
/// the largest magnitude lie 2049 to 4097 bins: the width is below
/// `max|x|/2048`, which is the precision of every statistic read from it.
///
/// When a batch widens the range past that, `e` grows and pairs of bins
/// merge (bin `k` into `⌊k/2⌋`), which is exact because the bins are
/// aligned powers of two, and bin indices `⌊x/w⌋` are exact (`x·2⁻ᵉ` in
/// Double). So the histogram depends only on the values seen, not on
/// their batching or order (unlike PyTorch's `HistogramObserver`, which
/// re-bins approximately when its range grows).
///
/// ```swift
/// var histogram = ActivationHistogram()
/// histogram.add(batch)                       // every calibration batch
/// histogram.quantile(0.9999)                 // the 99.99th percentile, within one bin
/// ```
public struct ActivationHistogram: Sendable, Hashable {
    /// Bins between 0 and the largest magnitude are at least this many, and at most twice it (plus one).
    public static let minimumBinsPerSide = 2048

    private var extremes = RunningExtremes()
    /// log₂ of the bin width; `nil` until a nonzero value.
    private var exponent: Int?
    /// The index `k` of `counts[0]`.
    private var firstBin = 0
    /// The number of nonzero values in each bin, from bin ``firstBin`` up.
    public private(set) var counts: [Int] = []
    /// The number of values exactly 0 (±0).
    public private(set) var zeroCount = 0

    /// An empty histogram.
    public init() {}

    /// The number of values, zeros included.
    public var count: Int { extremes.count }
    /// The smallest value (+∞ before any).
    public var min: Float { extremes.min }
    /// The largest value (−∞ before any).
    public var max: Float { extremes.max }
    /// The bin width `w` (0 before a nonzero value).
    public var binWidth: Float { exponent.map { Float(sign: .plus, exponent: $0, significand: 1) } ?? 0 }
    /// The `counts.count + 1` bin edges, increasing.
    public var binEdges: [Float] {
        (0...counts.count).map { Float(Double(firstBin + $0) * Double(binWidth)) }
    }
    /// The middle of each bin, the value ``MSECalibrator`` quantizes for it.
    var binCenters: [Float] {
        counts.indices.map { Float((Double(firstBin + $0) + 0.5) * Double(binWidth)) }
    }

    /// Adds a batch of values. A batch with a NaN or an infinity is left
    /// out and remembered: ``widenedRange()`` then throws.
    public mutating func add(_ values: UnsafeBufferPointer<Float>) {
        guard extremes.add(values) != nil else { return }
        let magnitude = Swift.max(-extremes.min, extremes.max)
        guard magnitude > 0 else {
            zeroCount += values.count
            return
        }
        let needed = Self.exponent(for: magnitude)
        if let exponent, needed > exponent { merge(by: needed - exponent) }
        exponent = needed
        cover(bin(of: extremes.min, exponent: needed)...bin(of: extremes.max, exponent: needed))
        let (inverse, first) = (Double(sign: .plus, exponent: -needed, significand: 1), firstBin)
        var zeros = 0
        counts.withUnsafeMutableBufferPointer { counts in
            for v in values {
                if v == 0 {
                    zeros += 1
                } else {
                    counts[Int((Double(v) * inverse).rounded(.down)) - first] += 1
                }
            }
        }
        zeroCount += zeros
    }

    /// The value below which the fraction `f` of all values lies (`f` in
    /// 0…1), reading each bin's values as spread evenly over it and the
    /// zeros as a point at 0: exact to within one bin width, and clamped to
    /// ``min``…``max`` (so `quantile(0)` and `quantile(1)` are exact).
    public func quantile(_ f: Double) -> Float {
        let target = f * Double(count)
        let zeroSlot = Swift.min(Swift.max(-firstBin, 0), counts.count)
        var below = 0.0
        for j in 0...counts.count {
            if j == zeroSlot {
                if zeroCount > 0, below + Double(zeroCount) >= target { return 0 }
                below += Double(zeroCount)
            }
            guard j < counts.count else { break }
            let c = Double(counts[j])
            if c > 0, below + c >= target {
                let value = Float((Double(firstBin + j) + (target - below) / c) * Double(binWidth))
                return Swift.min(Swift.max(value, min), max)
            }
            below += c
        }
        return max
    }

    /// The histogram of `|x|` with exact zeros left out: element `m` counts
    /// the magnitudes in bin `m` (`[m·w, (m+1)·w)` for positive values,
    /// `(m·w, (m+1)·w]` for negative ones, the mirror image of bin `−m−1`).
    var magnitudeCounts: [Int] {
        let lastBin = firstBin + counts.count - 1
        var folded = [Int](repeating: 0, count: Swift.max(lastBin + 1, -firstBin, 0))
        for (j, c) in counts.enumerated() {
            let k = firstBin + j
            folded[k >= 0 ? k : -k - 1] += c
        }
        return folded
    }

    /// `[min(min, 0), max(max, 0)]` of the values seen.
    ///
    /// - Throws: ``ModelError/calibrationEmpty``, ``ModelError/calibrationNonFinite(_:)``,
    ///   ``ModelError/calibrationAllZero``.
    public func widenedRange() throws(ModelError) -> ClosedRange<Float> {
        try extremes.widenedRange()
    }

    /// The smallest `e` with `magnitude ≤ 4096·2ᵉ` (at least −149, Float's
    /// smallest power of two, so that ``binWidth`` is never 0).
    private static func exponent(for magnitude: Float) -> Int {
        let log2Ceiling = magnitude.exponent + (magnitude.significand == 1 ? 0 : 1)
        return Swift.max(log2Ceiling - (2 * minimumBinsPerSide).trailingZeroBitCount, -149)
    }

    private func bin(of value: Float, exponent: Int) -> Int {
        Int((Double(value) * Double(sign: .plus, exponent: -exponent, significand: 1)).rounded(.down))
    }

    /// Widens the bins `2ᵈ`-fold: bin `k` joins bin `⌊k/2ᵈ⌋`.
    private mutating func merge(by d: Int) {
        let newFirst = firstBin >> d
        var merged = [Int](repeating: 0, count: ((firstBin + counts.count - 1) >> d) - newFirst + 1)
        for (j, c) in counts.enumerated() { merged[((firstBin + j) >> d) - newFirst] += c }
        (firstBin, counts) = (newFirst, merged)
    }

    /// Adds empty bins so that `bins` are all held.
    private mutating func cover(_ bins: ClosedRange<Int>) {
        if counts.isEmpty {
            (firstBin, counts) = (bins.lowerBound, [Int](repeating: 0, count: bins.count))
            return
        }
        if bins.lowerBound < firstBin {
            counts.insert(contentsOf: repeatElement(0, count: firstBin - bins.lowerBound), at: 0)
            firstBin = bins.lowerBound
        }
        let lastBin = firstBin + counts.count - 1
        if bins.upperBound > lastBin { counts.append(contentsOf: repeatElement(0, count: bins.upperBound - lastBin)) }
    }
}

extension ClosedRange<Float> {
    /// The range clipped to magnitude `t` on each side it reaches:
    /// `[max(lo, −t), min(hi, t)]`, the candidates ``MSECalibrator`` and
    /// ``EntropyCalibrator`` choose among.
    func clipped(atMagnitude t: Float) -> ClosedRange<Float> {
        Swift.max(lowerBound, -t)...Swift.min(upperBound, t)
    }
}
