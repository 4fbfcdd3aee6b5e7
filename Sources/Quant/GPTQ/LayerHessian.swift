import COpenBLAS

/// The Hessian of a linear layer's reconstruction error with respect to one
/// row of its weights: `H = 2·XᵀX / n` for the layer's calibration inputs
/// `X` (`n × K`, one example per row), in Double.
///
/// For a row `w` of `W` and a quantized row `q`, the mean squared change of
/// that output over the calibration examples is
/// `‖X(w − q)‖² / n = ½ (w − q)ᵀ H (w − q)`, the same `H` for every row — so
/// GPTQ factors it once per layer. Summed over the rows,
/// ``quadraticError(of:from:outFeatures:)`` gives `tr((W − Q) H (W − Q)ᵀ)`,
/// twice the mean squared output error, the objective GPTQ and
/// round-to-nearest are compared on.
///
/// ```swift
/// let calibrator = HessianCalibrator()
/// calibrator.observe(x, rows: 512, features: 784)   // or through Sequential's calibration
/// let h = try calibrator.hessian()                   // h.size == 784, h.sampleCount == 512
/// ```
public struct LayerHessian: Sendable, Hashable {
    /// `K`, the layer's inputs.
    public let size: Int
    /// `H`, row-major `size × size`, symmetric.
    public let values: [Double]
    /// The examples `n` it was accumulated from (0 when given as a matrix).
    public let sampleCount: Int

    /// A Hessian given as a matrix, e.g. `2·XᵀX/n` from elsewhere or `I`.
    ///
    /// - Throws: ``GPTQError/hessianCount(size:actual:)``,
    ///   ``GPTQError/nonFiniteHessian(row:column:value:)``,
    ///   ``GPTQError/notSymmetric(row:column:)`` (beyond 10⁻¹² of the largest entry).
    public init(matrix: [Double], size: Int) throws(GPTQError) {
        guard size >= 0, matrix.count == size * size else { throw .hessianCount(size: size, actual: matrix.count) }
        if let bad = matrix.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteHessian(row: bad / size, column: bad % size, value: matrix[bad])
        }
        let tolerance = 1e-12 * (matrix.map(Swift.abs).max() ?? 0)
        for i in 0..<size {
            for j in 0..<i where Swift.abs(matrix[i * size + j] - matrix[j * size + i]) > tolerance {
                throw .notSymmetric(row: i, column: j)
            }
        }
        self.init(unchecked: matrix, size: size, sampleCount: 0)
    }

    init(unchecked values: [Double], size: Int, sampleCount: Int) {
        self.size = size
        self.values = values
        self.sampleCount = sampleCount
    }

    /// The `size × size` identity: every input independent with the same
    /// energy, so no error is worth moving — GPTQ on it is round-to-nearest.
    public static func identity(size: Int) -> LayerHessian {
        var values = [Double](repeating: 0, count: size * size)
        for i in 0..<size { values[i * size + i] = 1 }
        return LayerHessian(unchecked: values, size: size, sampleCount: 0)
    }

    /// The diagonal `H_ii = 2·Σ x_i²/n`: each input's energy (0 for an input
    /// that is always 0, a *dead* input).
    public var diagonal: [Double] { (0..<size).map { values[$0 * size + $0] } }

    /// `tr((W − Q) H (W − Q)ᵀ) = Σ_j (w_j − q_j)ᵀ H (w_j − q_j)` for weights
    /// `original` and `quantized`, row-major `outFeatures × size`.
    ///
    /// - Throws: ``GPTQError/weightCount(expected:actual:)`` for other sizes.
    public func quadraticError(of quantized: [Float], from original: [Float], outFeatures: Int) throws(GPTQError) -> Double {
        for count in [quantized.count, original.count] where count != outFeatures * size {
            throw .weightCount(expected: outFeatures * size, actual: count)
        }
        guard outFeatures > 0, size > 0 else { return 0 }
        let delta = zip(original, quantized).map { Double($0) - Double($1) }
        var product = [Double](repeating: 0, count: delta.count)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(outFeatures), blasint(size), blasint(size),
                    1, delta, blasint(size), values, blasint(size), 0, &product, blasint(size))
        return zip(delta, product).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
