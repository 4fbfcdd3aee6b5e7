/// Fake quantization of a layer's input for quantization-aware training:
/// one per-tensor grid, `x̂ = (clamp(round(x/s) + z, qmin, qmax) − z)·s`,
/// with the straight-through estimator in the backward pass (see ``QuantGrid``).
///
/// Three ways to set the grid (``Method``):
/// - ``Method/observed(averaging:)``: a moving-average min/max observer,
///   PyTorch's `MovingAverageMinMaxObserver` (`min ← min + c·(batch min − min)`,
///   the same for max, `c = 0.01`), turned into `s, z` as PyTorch's observers
///   do (``QuantParams/init(scheme:min:max:)``), updated by every training
///   batch until ``isObserving`` is switched off (frozen);
/// - ``Method/lsq``: learned step size (Esser et al. 2019): `s` is a trained
///   parameter, started at `2·mean|x|/√Qp`, its gradient `Σ ∂L/∂x̂ · ∂x̂/∂s`
///   scaled by `g = 1/√(N·Qp)` (N = features per example, Qp = qmax − z);
///   the zero-point stays where calibration put it;
/// - ``Method/pact(regularization:)``: PACT (Choi et al. 2018) for ReLU
///   outputs: a learned clipping level α, the grid `[0, α]` with
///   `s = α / (2ᵇ − 1)`, `z = 0`; `∂x̂/∂α = 1` where `x` clips, 0 elsewhere,
///   plus `2λα` from an L2 penalty `λα²`.
///
/// ``isEnabled`` off makes the quantizer the identity (a float input).
public struct ActivationFakeQuantizer: Sendable {
    /// How the grid's step is found.
    public enum Method: Sendable, Hashable {
        /// Moving-average min/max with averaging constant `c`.
        case observed(averaging: Float)
        /// A learned step size (LSQ).
        case lsq
        /// A learned clipping level (PACT) with L2 penalty `λ`.
        case pact(regularization: Float)

        /// PyTorch's default QAT activation observer: moving average, `c = 0.01`.
        public static let movingAverage = Method.observed(averaging: 0.01)
    }

    /// The code range: `bits`-bit unsigned, affine.
    public let scheme: QuantScheme
    public let method: Method
    /// Whether training batches update the observed range (``Method/observed(averaging:)`` only).
    public var isObserving: Bool
    /// Whether inputs are fake-quantized at all.
    public var isEnabled: Bool
    /// The observed running range, `nil` before the first batch.
    public private(set) var range: (min: Float, max: Float)?
    /// The current grid.
    var grid: QuantGrid
    /// The learned parameter (`[s]` for LSQ, `[α]` for PACT; empty otherwise) and its gradient.
    var learned: [Float]
    var learnedGradient: [Float]

    /// A quantizer with `bits`-bit unsigned codes whose grid starts from
    /// `statistics` of calibration inputs (their range and mean |x|).
    ///
    /// - Throws: ``ModelError/quantization(_:)`` for bits outside 1…16 or a non-finite range.
    public init(bits: Int, method: Method, statistics: InputStatistics) throws(ModelError) {
        do {
            scheme = try QuantScheme(bits: bits, signed: false)
        } catch {
            throw .quantization(error)
        }
        self.method = method
        isEnabled = true
        learned = []
        learnedGradient = []
        let (qmin, qmax) = (scheme.qmin, scheme.qmax)
        switch method {
        case .observed:
            isObserving = true
            range = (statistics.min, statistics.max)
            grid = QuantGrid(scale: 1, zeroPoint: 0, qmin: qmin, qmax: qmax)
            try updateGridFromRange()
        case .lsq:
            isObserving = false
            let params: QuantParams
            do { params = try QuantParams(scheme: scheme, min: [statistics.min], max: [statistics.max]) } catch { throw .quantization(error) }
            let z = params.zeroPoints[0]
            let step = Swift.max(2 * statistics.meanAbsolute / Float(Double(qmax - z).squareRoot()), QuantParams.minimumScale)
            grid = QuantGrid(scale: step, zeroPoint: z, qmin: qmin, qmax: qmax)
            learned = [step]
        case .pact:
            isObserving = false
            let alpha = Swift.max(statistics.max, QuantParams.minimumScale)
            grid = QuantGrid(scale: alpha / Float(qmax), zeroPoint: 0, qmin: qmin, qmax: qmax)
            learned = [alpha]
        }
        learnedGradient = [Float](repeating: 0, count: learned.count)
    }

    /// A frozen quantizer for the range `[min, max]` (widened to include 0,
    /// as PyTorch's observers do): static quantization with a calibrated range.
    ///
    /// - Throws: ``ModelError/quantization(_:)`` for bits outside 1…16 or a non-finite range.
    public init(bits: Int, range: ClosedRange<Float>) throws(ModelError) {
        var statistics = InputStatistics()
        statistics.add([range.lowerBound, range.upperBound])
        try self.init(bits: bits, method: .movingAverage, statistics: statistics)
        isObserving = false
    }

    /// The current step size `s`.
    public var scale: Float { grid.scale }
    /// The current zero-point `z`.
    public var zeroPoint: Int32 { grid.zeroPoint }
    /// PACT's clipping level α (`nil` for the other methods).
    public var clippingLevel: Float? {
        if case .pact = method { return learned[0] }
        return nil
    }

    /// `x̂` of each value (for inspection and figures; layers use the buffer form).
    public func fakeQuantized(_ values: [Float]) -> [Float] {
        var y = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { forward(x.baseAddress!, into: $0.baseAddress!, count: values.count) } }
        return y
    }

    /// `∂x̂/∂x` as the straight-through estimator defines it: 1 where the
    /// value's code is inside the range, 0 where it clamps.
    public func straightThroughGradient(_ values: [Float]) -> [Float] {
        var g = [Float](repeating: 1, count: values.count)
        guard isEnabled else { return g }
        values.withUnsafeBufferPointer { x in g.withUnsafeMutableBufferPointer { grid.passGradient(x.baseAddress!, $0.baseAddress!, into: $0.baseAddress!, count: values.count) } }
        return g
    }

    /// Updates the running range with a training batch, then the grid.
    mutating func observe(_ x: UnsafePointer<Float>, count: Int) throws(ModelError) {
        guard isObserving, case .observed(let c) = method, count > 0 else { return }
        let (lo, hi, _) = QuantGrid.extremes(x, count: count)
        if let old = range {
            range = (old.min + c * (lo - old.min), old.max + c * (hi - old.max))
        } else {
            range = (lo, hi)
        }
        try updateGridFromRange()
    }

    private mutating func updateGridFromRange() throws(ModelError) {
        guard let range else { return }
        do {
            let params = try QuantParams(scheme: scheme, min: [range.min], max: [range.max])
            grid.scale = params.scales[0]
            grid.zeroPoint = params.zeroPoints[0]
        } catch {
            throw .quantization(error)
        }
    }

    /// `y = x̂` (or `x` when disabled); `y` may be `x`.
    func forward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        guard isEnabled else {
            if y != UnsafeMutablePointer(mutating: x) { y.update(from: x, count: count) }
            return
        }
        grid.fakeQuantize(x, into: y, count: count)
    }

    /// Given `∂L/∂x̂` in `gradient`, accumulates the learned parameter's
    /// gradient and turns `gradient` into `∂L/∂x` (the STE mask) in place.
    /// `features` is the width of a row (LSQ's N).
    mutating func backward(input x: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, count: Int, features: Int) {
        guard isEnabled else { return }
        switch method {
        case .observed:
            grid.passGradient(x, gradient, into: gradient, count: count)
        case .lsq:
            let qp = Float(grid.qmax - grid.zeroPoint)
            let g = 1 / (Float(features) * qp).squareRoot()
            learnedGradient[0] += g * grid.stepGradientMaskingInPlace(x, gradient, count: count)
        case .pact(let lambda):
            learnedGradient[0] += grid.clippedGradient(x, gradient, count: count) + 2 * lambda * learned[0]
            grid.passGradient(x, gradient, into: gradient, count: count)
        }
    }

    /// After an optimizer step: the grid follows the learned parameter (kept positive).
    mutating func applyLearned() {
        guard !learned.isEmpty else { return }
        learned[0] = Swift.max(learned[0], QuantParams.minimumScale)
        switch method {
        case .observed: break
        case .lsq: grid.scale = learned[0]
        case .pact: grid.scale = learned[0] / Float(grid.qmax)
        }
    }
}
