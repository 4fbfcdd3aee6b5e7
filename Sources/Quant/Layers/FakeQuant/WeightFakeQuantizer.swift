/// Fake quantization of a linear layer's weights: `Ŵ = s·q` with signed
/// codes, zero-point 0, and one step `s` per *slot* — the whole tensor, an
/// output channel (row of `W`), or a group of `g` consecutive inputs of a
/// row (the last group of a row shorter when `g` does not divide `K`).
///
/// The codes follow the ``QuantScheme``:
/// - uniform symmetric at `b` bits: `q = clamp(round(w/s), qmin, qmax)`,
///   `−2ᵇ⁻¹ … 2ᵇ⁻¹ − 1` (or `−2ᵇ⁻¹+1 …` restricted) — the grid the int8 and
///   packed low-bit kernels use;
/// - ternary: `q = clamp(round(w/s), −1, 1)`;
/// - binary: `q = +1` for `w ≥ 0`, else −1 (no rounding, no clamp).
///
/// How the steps are found (``Method``):
/// - ``Method/minMax``: each step re-derives `s` from the current weights of
///   its slot — `max|w| / ((qmax − qmin)/2)` (PyTorch's symmetric observer),
///   TWN's `mean{|w| : |w| > 0.7·mean|w|}` for ternary, XNOR-Net's
///   `mean|w|` for binary — so the grid follows the weights as they train;
/// - ``Method/percentile(_:)`` and ``Method/mse(candidates:)``: uniform
///   grids clipped below `max|w|` (clipping trades a few large errors for a
///   finer step everywhere else, which wins at low bits);
/// - ``Method/lsq``: the steps are trained parameters (Esser et al. 2019),
///   started at `2·mean|w|/√Qp`, their gradients scaled by `g = 1/√(n·Qp)`
///   (n = weights in the slot, Qp = qmax).
///
/// The master weights stay float; the forward pass uses `Ŵ`, and the
/// straight-through estimator passes `∂L/∂Ŵ` to `W` where the code is inside
/// the range (everywhere for binary: BinaryConnect's hard-tanh STE passes
/// the gradient for |w| ≤ 1, which holds for every weight of these MLPs).
public struct WeightFakeQuantizer: Sendable {
    /// How the steps are found.
    public enum Method: Sendable, Hashable {
        /// From each slot's range (or the binary/ternary rule), every step.
        case minMax
        /// Clipped at the `p`-th percentile of each slot's `|w|` (uniform grids only).
        case percentile(Double)
        /// Clipped at the `α·max|w|` (α = i/candidates, i = 1…candidates) with
        /// the least squared error `Σ(w − ŵ)²` in each slot (uniform grids only).
        case mse(candidates: Int)
        /// Learned steps (LSQ).
        case lsq
    }

    public let scheme: QuantScheme
    public let method: Method
    /// Rows and inputs per row of the weight, and slots per row (1 unless per-group).
    let outputFeatures: Int
    let inputFeatures: Int
    let slotsPerRow: Int
    /// Inputs per slot along a row (`inputFeatures` unless per-group).
    let slotWidth: Int
    /// The current grid of each slot: row-major `[out, slotsPerRow]`, or one per-tensor.
    var grids: [QuantGrid]
    /// LSQ's learned steps (empty otherwise) and their gradients.
    var learned: [Float]
    var learnedGradient: [Float]

    /// A per-channel symmetric quantizer for `weight` (`[out, in]`, row-major) with `bits`-bit codes.
    ///
    /// - Throws: ``ModelError/weightBits(_:supported:)`` for bits outside 2…16.
    public init(bits: Int, method: Method, weight: [Float], outputFeatures: Int) throws(ModelError) {
        guard (2...16).contains(bits) else { throw .weightBits(bits, supported: 2...16) }
        let scheme: QuantScheme
        do {
            scheme = try QuantScheme(bits: bits, signed: true, mapping: .symmetric(restrictedRange: false), granularity: .perChannel(axis: 0))
        } catch {
            throw .quantization(error)
        }
        try self.init(scheme: scheme, method: method, weight: weight, outputFeatures: outputFeatures)
    }

    /// A quantizer for `weight` (`[out, in]`, row-major) on `scheme`'s grid.
    ///
    /// - Throws: ``ModelError/unsupportedWeightScheme(_:)`` for an affine or
    ///   unsigned scheme, a granularity other than per-tensor, per-channel
    ///   along axis 0 or per-group along axis 1, or percentile/MSE clipping of
    ///   a binary or ternary grid; ``ModelError/calibrationParameter(_:)``
    ///   for a percentile outside (0, 100] or fewer than 1 MSE candidate;
    ///   ``ModelError/parameterShape(name:expected:found:)`` when `weight`
    ///   does not hold whole rows.
    public init(scheme: QuantScheme, method: Method, weight: [Float], outputFeatures: Int) throws(ModelError) {
        guard scheme.isSymmetric, scheme.isSigned else {
            throw .unsupportedWeightScheme("\(scheme): weights need signed codes with zero-point 0")
        }
        let rows = Swift.max(outputFeatures, 1)
        guard outputFeatures > 0, weight.count.isMultiple(of: rows) else {
            throw .parameterShape(name: "weight", expected: [outputFeatures, -1], found: [weight.count])
        }
        let k = weight.count / rows
        switch scheme.granularity {
        case .perTensor:
            (slotsPerRow, slotWidth) = (1, k)
        case .perChannel(axis: 0):
            (slotsPerRow, slotWidth) = (1, k)
        case .perGroup(axis: 1, let size):
            (slotsPerRow, slotWidth) = ((k + size - 1) / size, size)
        default:
            throw .unsupportedWeightScheme("\(scheme): weights take per-tensor, per-channel (axis 0) or per-group (axis 1) steps")
        }
        switch method {
        case .percentile(let p):
            guard p > 0, p <= 100 else { throw .calibrationParameter("weight percentile \(p) is outside (0, 100]") }
        case .mse(let candidates):
            guard candidates >= 1 else { throw .calibrationParameter("MSE clipping needs at least 1 candidate, not \(candidates)") }
        case .minMax, .lsq:
            break
        }
        let uniform = scheme.mapping != .binary && scheme.mapping != .ternary
        if !uniform, method != .minMax, method != .lsq {
            throw .unsupportedWeightScheme("\(scheme): clipping applies to uniform grids; binary and ternary steps come from mean |w|")
        }
        self.scheme = scheme
        self.method = method
        self.outputFeatures = outputFeatures
        inputFeatures = k
        let slots = scheme.granularity == .perTensor ? 1 : outputFeatures * slotsPerRow
        grids = [QuantGrid](repeating: QuantGrid(scale: 1, zeroPoint: 0, qmin: scheme.qmin, qmax: scheme.qmax), count: slots)
        learned = []
        learnedGradient = []
        if method == .lsq {
            // Binary and ternary start from their own least-squares steps; LSQ's
            // 2·mean|w|/√Qp assumes a grid with several levels on each side.
            let qp = Float(scheme.qmax)
            let this = self
            learned = weight.withUnsafeBufferPointer { w in
                (0..<slots).map { slot in
                    let values = UnsafeBufferPointer(rebasing: w[this.elements(ofSlot: slot)])
                    let start = uniform ? 2 * Self.meanAbs(values) / qp.squareRoot() : this.observedScale(values)
                    return Swift.max(start, QuantParams.minimumScale)
                }
            }
        }
        learnedGradient = [Float](repeating: 0, count: learned.count)
        updateGrids(weight: weight)
    }

    /// The current steps, one per slot (row-major `[out, slotsPerRow]` per-group).
    public var scales: [Float] { grids.map(\.scale) }

    /// Whether the codes are ±1.
    var isBinary: Bool { scheme.mapping == .binary }

    /// The elements of row `row` that slot `column` of that row covers.
    @inline(__always)
    func segment(row: Int, column: Int) -> Range<Int> {
        let start = row * inputFeatures + column * slotWidth
        return start ..< Swift.min(start + slotWidth, (row + 1) * inputFeatures)
    }

    /// Calls `body(slot, elements)` for every segment of a row-major weight.
    @inline(__always)
    func forEachSegment(rows: Int, _ body: (Int, Range<Int>) -> Void) {
        let shared = grids.count == 1
        for row in 0..<rows {
            for column in 0..<slotsPerRow {
                body(shared ? 0 : row * slotsPerRow + column, segment(row: row, column: column))
            }
        }
    }

    /// The weights of `slot`, a contiguous range of the row-major weight:
    /// one segment of a row, or all of them for a per-tensor grid.
    private func elements(ofSlot slot: Int) -> Range<Int> {
        grids.count == 1 ? 0 ..< outputFeatures * inputFeatures : segment(row: slot / slotsPerRow, column: slot % slotsPerRow)
    }

    /// `mean|x|` (0 for no values).
    private static func meanAbs(_ x: UnsafeBufferPointer<Float>) -> Float {
        x.isEmpty ? 0 : x.reduce(0) { $0 + Swift.abs($1) } / Float(x.count)
    }

    /// Sets the grids for `weight`: from its slots (min-max, clipping) or the learned steps (LSQ).
    mutating func updateGrids(weight: [Float]) {
        if method == .lsq {
            for slot in grids.indices {
                learned[slot] = Swift.max(learned[slot], QuantParams.minimumScale)
                grids[slot].scale = learned[slot]
            }
            return
        }
        weight.withUnsafeBufferPointer { w in
            for slot in grids.indices {
                let values = UnsafeBufferPointer(rebasing: w[elements(ofSlot: slot)])
                grids[slot].scale = Swift.max(observedScale(values), QuantParams.minimumScale)
            }
        }
    }

    /// The step of one slot from its weights, read in place: every training
    /// step of min-max QAT calls this for every slot.
    private func observedScale(_ values: UnsafeBufferPointer<Float>) -> Float {
        guard let base = values.baseAddress, !values.isEmpty else { return QuantParams.minimumScale }
        let halfRange = Float(Double(scheme.qmax - scheme.qmin) / 2)
        switch scheme.mapping {
        case .binary:
            return Self.meanAbs(values)
        case .ternary:
            let threshold = 0.7 * Self.meanAbs(values)
            var (sum, count) = (Float(0), 0)
            for v in values where Swift.abs(v) > threshold {
                sum += Swift.abs(v)
                count += 1
            }
            return count == 0 ? QuantGrid.extremes(base, count: values.count).maxAbs : sum / Float(count)
        case .affine, .symmetric:
            break
        }
        let maxAbs = QuantGrid.extremes(base, count: values.count).maxAbs
        switch method {
        case .percentile(let p):
            let sorted = values.map { Swift.abs($0) }.sorted()
            let position = p / 100 * Double(sorted.count - 1)
            let (low, fraction) = (Int(position), Float(position - position.rounded(.down)))
            let high = Swift.min(low + 1, sorted.count - 1)
            return (sorted[low] + fraction * (sorted[high] - sorted[low])) / halfRange
        case .mse(let candidates):
            var best = (scale: maxAbs / halfRange, error: Float.infinity)
            for i in 1...candidates {
                let grid = QuantGrid(scale: Swift.max(Float(i) / Float(candidates) * maxAbs / halfRange, QuantParams.minimumScale),
                                     zeroPoint: 0, qmin: scheme.qmin, qmax: scheme.qmax)
                var error: Float = 0
                for v in values {
                    // The grid is symmetric but for one extra negative code; |w| on the positive side is the worse case.
                    let m = Swift.abs(v)
                    let q = Swift.min((m * grid.inverseScale).rounded(.toNearestOrEven), grid.upper)
                    error += (m - q * grid.scale) * (m - q * grid.scale)
                }
                if error < best.error { best = (grid.scale, error) }
            }
            return best.scale
        case .minMax, .lsq:
            return maxAbs / halfRange
        }
    }

    /// `Ŵ` of `weight` into `output` (both `rows × inputFeatures`).
    func fakeQuantize(_ weight: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int) {
        forEachSegment(rows: rows) { slot, elements in
            let grid = grids[slot], start = elements.lowerBound, count = elements.count
            if isBinary {
                for i in elements { output[i] = weight[i] >= 0 ? grid.scale : -grid.scale }
            } else {
                grid.fakeQuantize(weight + start, into: output + start, count: count)
            }
        }
    }

    /// The integer codes of `weight` on the current grids, row-major.
    func codes(_ weight: UnsafePointer<Float>, rows: Int) -> [Int8] {
        var codes = [Int8](repeating: 0, count: rows * inputFeatures)
        forEachSegment(rows: rows) { slot, elements in
            let grid = grids[slot]
            for i in elements {
                if isBinary {
                    codes[i] = weight[i] >= 0 ? 1 : -1
                } else {
                    codes[i] = Int8(Swift.min(Swift.max((weight[i] * grid.inverseScale).rounded(.toNearestOrEven), grid.lower), grid.upper))
                }
            }
        }
        return codes
    }

    /// Turns `∂L/∂Ŵ` in `gradient` into `∂L/∂W` (the STE) in place, and
    /// accumulates LSQ's step gradients.
    mutating func backward(weight: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, rows: Int) {
        let qp = Float(scheme.qmax), lsq = method == .lsq
        var stepGradient = learnedGradient
        let binary = isBinary
        let shared = grids.count == 1
        forEachSegment(rows: rows) { slot, elements in
            let grid = grids[slot], start = elements.lowerBound, count = elements.count
            let g = 1 / (Float(shared ? rows * inputFeatures : count) * qp).squareRoot()
            if binary {
                if lsq {
                    var sum: Float = 0
                    for i in elements { sum += weight[i] >= 0 ? gradient[i] : -gradient[i] }
                    stepGradient[slot] += g * sum
                }
                return
            }
            if lsq {
                stepGradient[slot] += g * grid.stepGradientMaskingInPlace(weight + start, gradient + start, count: count)
            } else {
                grid.passGradient(weight + start, gradient + start, into: gradient + start, count: count)
            }
        }
        learnedGradient = stepGradient
    }
}
