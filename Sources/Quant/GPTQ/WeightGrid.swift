/// The grid a low-bit weight is rounded to: signed symmetric codes with one
/// scale per output row or per group of inputs along a row, and how each
/// scale is chosen. GPTQ and plain round-to-nearest (RTN) share it, so the
/// two differ only in how codes are picked.
///
/// A weight `w` of a group with scale `s` becomes
///
///     q = clamp(round(w / s), qmin, qmax)     round half to even;   ŵ = s·q
///
/// with `qmin…qmax = −2ᵇ⁻¹…2ᵇ⁻¹−1` at `b` bits (2…8), or `−1…1` for the
/// ternary grid. Scales are Float32 and the codes fit int8, so a result is
/// storable as a ``BitPackedWeights`` of ``format`` as it is.
///
/// **Scales.** ``Scale/minMax`` takes `s = max|w| / ((qmax − qmin)/2)` over
/// the group — `max|w|/3.5` at 3 bits, `max|w|` ternary — the symmetric
/// min-max observer of ``DynamicQuantization`` and of the GPTQ paper's code;
/// the most positive code falls just short of `max|w|`, so the largest
/// positive weight clips by at most half a step. ``Scale/mse(grid:maxShrink:)``
/// tries `p·s` for the shrink factors `p = 1 − i/grid`, `i = 0 … ⌊maxShrink·grid⌋ − 1`,
/// and keeps the one with the least `Σ (w − ŵ)²` over the group (ties: the
/// wider grid): clipping a few outliers buys a finer step for every other
/// weight, which matters most at 2–3 bits. (The paper's code uses the
/// error norm 2.4; this is the plain squared error.) A group of zeros gets
/// `s = 1`, and no scale is below ``QuantParams/minimumScale``.
///
/// **Groups.** With `groupSize` g, row `j` has ⌈K/g⌉ scales, for inputs
/// `[0, g), [g, 2g), …`; the last group is shorter when g does not divide K
/// (K = 784, g = 128: six groups of 128 and one of 16). The scales are stored
/// `scales[j·groupsPerRow + group]`, the ``BitPackedWeights`` order.
///
/// ```swift
/// let int3 = try WeightGrid(bits: 3, groupSize: 128, scale: .mse())
/// int3.codeRange                        // -4...3
/// int3.groupsPerRow(inFeatures: 784)    // 7
/// let rtn = try int3.roundToNearest(weight: linear.weight, outFeatures: 256, inFeatures: 784)
/// ```
public struct WeightGrid: Sendable, Hashable {
    /// How each group's scale is chosen.
    public enum Scale: Sendable, Hashable {
        /// `s = max|w| / ((qmax − qmin)/2)`.
        case minMax
        /// The least squared error over the shrink factors `1 − i/grid`, `i < maxShrink·grid`
        /// (the paper's code: grid 100, max shrink 0.8).
        case mse(grid: Int = 100, maxShrink: Double = 0.8)
    }

    /// Bits per code: 2…8, and 2 for ternary.
    public let bits: Int
    /// Whether the codes are −1, 0, +1 only.
    public let isTernary: Bool
    /// Inputs per scale along a row; `nil` for one scale per output row.
    public let groupSize: Int?
    /// How the scales are chosen.
    public let scale: Scale

    /// Signed codes `−2ᵇ⁻¹…2ᵇ⁻¹−1`.
    ///
    /// - Throws: ``GPTQError/bitsOutOfRange(_:supported:)`` outside 2…8,
    ///   ``GPTQError/groupSizeOutOfRange(_:)`` below 1,
    ///   ``GPTQError/scaleSearch(grid:maxShrink:)`` for a bad search.
    public init(bits: Int, groupSize: Int? = nil, scale: Scale = .minMax) throws(GPTQError) {
        guard Self.supportedBits.contains(bits) else { throw .bitsOutOfRange(bits, supported: Self.supportedBits) }
        try self.init(checking: bits, ternary: false, groupSize: groupSize, scale: scale)
    }

    /// Codes −1, 0, +1 (2 bits of storage).
    ///
    /// - Throws: as ``init(bits:groupSize:scale:)``.
    public static func ternary(groupSize: Int? = nil, scale: Scale = .minMax) throws(GPTQError) -> WeightGrid {
        try WeightGrid(checking: 2, ternary: true, groupSize: groupSize, scale: scale)
    }

    private init(checking bits: Int, ternary: Bool, groupSize: Int?, scale: Scale) throws(GPTQError) {
        if let groupSize, groupSize < 1 { throw .groupSizeOutOfRange(groupSize) }
        if case .mse(let grid, let maxShrink) = scale, grid < 1 || !(maxShrink > 0 && maxShrink < 1) {
            throw .scaleSearch(grid: grid, maxShrink: maxShrink)
        }
        self.bits = bits
        self.isTernary = ternary
        self.groupSize = groupSize
        self.scale = scale
    }

    /// The bit widths of signed grids.
    public static let supportedBits = 2...8

    /// `qmin…qmax`.
    public var codeRange: ClosedRange<Int8> {
        isTernary ? -1...1 : Int8(-(1 << (bits - 1)))...Int8((1 << (bits - 1)) - 1)
    }

    /// The storage for the codes: `int2`, `int4` (3- and 4-bit codes), `int8`
    /// (5–8 bits) or `ternary`, with this grid's groups.
    public var format: WeightFormat {
        let encoding: WeightFormat.Encoding = isTernary ? .ternary : bits == 2 ? .int2 : bits <= 4 ? .int4 : .int8
        // The group size was checked to be positive, so the format accepts it.
        return try! WeightFormat(encoding, groupSize: groupSize)
    }

    /// Scales per row of `inFeatures` inputs: ⌈inFeatures / groupSize⌉, or 1.
    public func groupsPerRow(inFeatures: Int) -> Int {
        groupSize.map { (inFeatures + $0 - 1) / $0 } ?? 1
    }

    /// The inputs of group `group` of a row of `inFeatures`.
    func inputs(ofGroup group: Int, inFeatures: Int) -> Range<Int> {
        let size = groupSize ?? inFeatures
        return group * size ..< Swift.min((group + 1) * size, inFeatures)
    }

    /// The scale of one group of weights (``Scale``).
    func scale(of values: UnsafeBufferPointer<Double>) -> Float {
        let maxAbs = values.reduce(0) { Swift.max($0, Swift.abs($1)) }
        guard maxAbs > 0 else { return 1 }
        let (low, high) = (Double(codeRange.lowerBound), Double(codeRange.upperBound))
        let full = maxAbs / ((high - low) / 2)
        switch scale {
        case .minMax:
            return Self.storable(full)
        case .mse(let grid, let maxShrink):
            var best = (error: Double.infinity, scale: Self.storable(full))
            for i in 0..<Swift.max(1, Int(maxShrink * Double(grid))) {
                let candidate = Self.storable(full * (1 - Double(i) / Double(grid)))
                let s = Double(candidate)
                var error = 0.0
                for w in values {
                    let d = w - s * Double(code(w, scale: s))
                    error += d * d
                }
                if error < best.error { best = (error, candidate) }
            }
            return best.scale
        }
    }

    /// `clamp(round(w / s), qmin, qmax)`, rounding half to even.
    @inline(__always)
    func code(_ w: Double, scale s: Double) -> Int8 {
        let q = (w / s).rounded(.toNearestOrEven)
        return Int8(Swift.min(Swift.max(q, Double(codeRange.lowerBound)), Double(codeRange.upperBound)))
    }

    /// A Double scale as the Float32 it is stored as, at least ``QuantParams/minimumScale``.
    private static func storable(_ scale: Double) -> Float {
        Swift.max(Float(scale), QuantParams.minimumScale)
    }

    /// Round-to-nearest: every weight to its nearest code, with the scales of
    /// `weight` itself (row-major `outFeatures × inFeatures`) — the baseline GPTQ improves on.
    ///
    /// - Throws: ``GPTQError/emptyShape(outFeatures:inFeatures:)``,
    ///   ``GPTQError/weightCount(expected:actual:)``, ``GPTQError/nonFiniteWeight(index:value:)``.
    public func roundToNearest(weight: [Float], outFeatures: Int, inFeatures: Int) throws(GPTQError) -> QuantizedWeight {
        try QuantizedWeight.check(weight: weight, outFeatures: outFeatures, inFeatures: inFeatures)
        let values = weight.map(Double.init)
        let groups = groupsPerRow(inFeatures: inFeatures)
        var codes = [Int8](repeating: 0, count: weight.count), scales = [Float](repeating: 1, count: outFeatures * groups)
        values.withUnsafeBufferPointer { values in
            for j in 0..<outFeatures {
                for g in 0..<groups {
                    let inputs = inputs(ofGroup: g, inFeatures: inFeatures)
                    let s = scale(of: UnsafeBufferPointer(rebasing: values[(j * inFeatures + inputs.lowerBound) ..< (j * inFeatures + inputs.upperBound)]))
                    scales[j * groups + g] = s
                    for t in inputs { codes[j * inFeatures + t] = code(values[j * inFeatures + t], scale: Double(s)) }
                }
            }
        }
        return QuantizedWeight(grid: self, outFeatures: outFeatures, inFeatures: inFeatures, codes: codes, scales: scales)
    }
}

extension WeightGrid: CustomStringConvertible {
    /// `int3/g128 mse`, `ternary min-max`, …
    public var description: String {
        let codes = isTernary ? "ternary" : "int\(bits)"
        let scales: String
        switch scale {
        case .minMax: scales = "min-max"
        case .mse(let grid, let maxShrink): scales = "mse(grid \(grid), shrink ≤ \(maxShrink))"
        }
        return codes + (groupSize.map { "/g\($0)" } ?? "") + " " + scales
    }
}
