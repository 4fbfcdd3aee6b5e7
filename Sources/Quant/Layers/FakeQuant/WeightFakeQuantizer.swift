/// Fake quantization of a linear layer's weights for quantization-aware
/// training: symmetric, signed, one grid per output channel (row of `W`),
/// codes `−2ᵇ⁻¹ … 2ᵇ⁻¹ − 1`, zero-point 0 — the grid the int8 kernels use.
///
/// - ``Method/minMax``: each step re-derives `s_j = max_k |W[j,k]| / ((qmax − qmin)/2)`
///   from the current weights (PyTorch's per-channel symmetric observer on
///   one tensor), so the grid follows the weights as they train;
/// - ``Method/lsq``: `s_j` are trained parameters (Esser et al. 2019), started
///   at `2·mean_k|W[j,k]|/√Qp`, their gradients scaled by `g = 1/√(K·Qp)`
///   (K = weights per channel, Qp = qmax).
///
/// The master weights stay float; the forward pass uses `Ŵ`, and the STE
/// passes `∂L/∂Ŵ` to `W` where the code is inside the range.
public struct WeightFakeQuantizer: Sendable {
    /// How the per-channel steps are found.
    public enum Method: Sendable, Hashable {
        case minMax
        case lsq
    }

    public let scheme: QuantScheme
    public let method: Method
    /// The current grid of each output channel.
    var grids: [QuantGrid]
    /// LSQ's learned steps (empty for min-max) and their gradients.
    var learned: [Float]
    var learnedGradient: [Float]

    /// A quantizer for `weight` (`[out, in]`, row-major) with `bits`-bit codes.
    ///
    /// - Throws: ``ModelError/quantization(_:)`` for bits outside 2…16.
    public init(bits: Int, method: Method, weight: [Float], outputFeatures: Int) throws(ModelError) {
        guard bits >= 2 else { throw .weightBits(bits, supported: 2...16) }
        do {
            scheme = try QuantScheme(bits: bits, signed: true, mapping: .symmetric(restrictedRange: false), granularity: .perChannel(axis: 0))
        } catch {
            throw .quantization(error)
        }
        self.method = method
        grids = [QuantGrid](repeating: QuantGrid(scale: 1, zeroPoint: 0, qmin: scheme.qmin, qmax: scheme.qmax), count: outputFeatures)
        switch method {
        case .minMax:
            learned = []
        case .lsq:
            let k = weight.count / Swift.max(outputFeatures, 1)
            let qp = Float(scheme.qmax)
            learned = (0..<outputFeatures).map { j in
                let meanAbs = weight[j * k ..< (j + 1) * k].reduce(0) { $0 + Swift.abs($1) } / Float(Swift.max(k, 1))
                return Swift.max(2 * meanAbs / qp.squareRoot(), QuantParams.minimumScale)
            }
        }
        learnedGradient = [Float](repeating: 0, count: learned.count)
        updateGrids(weight: weight)
    }

    /// The current per-channel steps.
    public var scales: [Float] { grids.map(\.scale) }

    /// Sets the grids for `weight`: from its range (min-max) or the learned steps (LSQ).
    mutating func updateGrids(weight: [Float]) {
        let k = weight.count / Swift.max(grids.count, 1)
        let halfRange = Float(Double(scheme.qmax - scheme.qmin) / 2)
        for j in grids.indices {
            switch method {
            case .minMax:
                let maxAbs = weight.withUnsafeBufferPointer { QuantGrid.extremes($0.baseAddress! + j * k, count: k).maxAbs }
                grids[j].scale = Swift.max(maxAbs / halfRange, QuantParams.minimumScale)
            case .lsq:
                learned[j] = Swift.max(learned[j], QuantParams.minimumScale)
                grids[j].scale = learned[j]
            }
        }
    }

    /// `Ŵ` of `weight` into `output` (both `out × in`).
    func fakeQuantize(_ weight: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, inputFeatures k: Int) {
        for (j, grid) in grids.enumerated() { grid.fakeQuantize(weight + j * k, into: output + j * k, count: k) }
    }

    /// Turns `∂L/∂Ŵ` in `gradient` into `∂L/∂W` (the STE) in place, and
    /// accumulates LSQ's step gradients.
    mutating func backward(weight: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, inputFeatures k: Int) {
        let g = 1 / (Float(k) * Float(scheme.qmax)).squareRoot()
        for (j, grid) in grids.enumerated() {
            if method == .lsq { learnedGradient[j] += g * grid.stepGradient(weight + j * k, gradient + j * k, count: k) }
            grid.passGradient(weight + j * k, gradient + j * k, into: gradient + j * k, count: k)
        }
    }
}
