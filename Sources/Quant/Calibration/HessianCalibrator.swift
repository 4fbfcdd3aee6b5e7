import COpenBLAS

/// Accumulates a layer's ``LayerHessian`` `H = 2·XᵀX / n` from its
/// calibration inputs, batch by batch: GPTQ's calibrator.
///
/// Each batch (`rows × features`, Float) is widened to Double and added
/// into `Σ xxᵀ` with one `dsyrk` (the upper triangle), so the sum over any
/// number of examples keeps Double precision and the result does not depend
/// on how the examples were split into batches beyond Double rounding.
/// ``hessian()`` scales by `2/n` and fills the lower triangle.
public final class HessianCalibrator: Calibrator {
    private var sum: [Double] = []
    private var features = 0
    private var rows = 0
    private var failure: ModelError?

    public init() {}

    public func observe(_ input: UnsafeBufferPointer<Float>, rows: Int, features: Int) {
        guard failure == nil, rows > 0 else { return }
        if sum.isEmpty {
            self.features = features
            sum = [Double](repeating: 0, count: features * features)
        }
        guard features == self.features, input.count == rows * features else {
            failure = .inputShape(expectedFeatures: self.features, shape: [rows, input.count / Swift.max(rows, 1)])
            return
        }
        if let bad = input.first(where: { !$0.isFinite }) {
            failure = .calibrationNonFinite(bad)
            return
        }
        let batch = input.map(Double.init)
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(features), blasint(rows),
                    1, batch, blasint(features), 1, &sum, blasint(features))
        self.rows += rows
    }

    /// `2·XᵀX / n` over every example seen.
    ///
    /// - Throws: ``ModelError/calibrationEmpty`` before any example,
    ///   ``ModelError/calibrationNonFinite(_:)`` for a NaN or infinite input,
    ///   ``ModelError/inputShape(expectedFeatures:shape:)`` for batches of different widths.
    public func hessian() throws(ModelError) -> LayerHessian {
        if let failure { throw failure }
        guard rows > 0 else { throw .calibrationEmpty }
        let (k, factor) = (features, 2 / Double(rows))
        var values = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            for j in i..<k {
                values[i * k + j] = factor * sum[i * k + j]
                values[j * k + i] = values[i * k + j]
            }
        }
        return LayerHessian(unchecked: values, size: k, sampleCount: rows)
    }
}
