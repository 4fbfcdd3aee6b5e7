/// GPTQ (Frantar, Ashkboos, Hoefler & Alistarh 2022, "GPTQ: Accurate
/// Post-Training Quantization for Generative Pre-trained Transformers"):
/// weight-only quantization that rounds one input column at a time and
/// moves each rounding error onto the columns not yet rounded, where the
/// layer's calibration inputs say it does the least harm.
///
/// For a weight `W` (`out × K`) and the layer Hessian `H = 2·XᵀX/n`
/// (``LayerHessian``), rounding the rows `w` of `W` to `q` costs
/// `½ (w − q)ᵀ H (w − q)` each. Optimal Brain Surgeon says that after
/// rounding column `i` to `q_i`, the best change to the later columns `F` is
/// `δ_F = −(w_i − q_i) / [H_F⁻¹]_ii · (H_F⁻¹)_{i,F}` at a cost of
/// `(w_i − q_i)² / (2·[H_F⁻¹]_ii)`. GPTQ takes the columns in a fixed order
/// (the same for every row), so the inverses `H_F⁻¹` of the shrinking
/// trailing blocks all come from one Cholesky factor: with
/// `H⁻¹ = Uᵀ·U`, `U` upper triangular, row `i` of `U` is
/// `(H_F⁻¹)_{i,F} / √[H_F⁻¹]_ii`. Per column `i`, for every row at once:
///
///     q_i = quant(w_i)
///     e_i = (w_i − q_i) / U_ii
///     w_F ← w_F − e_i · U_{i,F}          F = the columns after i
///
/// and the ``GPTQResult/proxyLoss`` is `Σ_i ‖w_i − q_i‖² / U_ii²`, with
/// the `w_i` as updated: twice the summed OBS costs, which equals the
/// final `tr((W − Q) H_λ (W − Q)ᵀ)` for the dampened `H_λ` exactly.
///
/// **Settings**, those of the paper's code by default:
/// - ``dampening``: `H_λ = H + λI` with `λ = dampening · mean(diag H)`
///   (0.01), which keeps `H` invertible when inputs are correlated or
///   there are fewer examples than inputs.
/// - *Dead inputs* (`H_ii = 0`: always 0 on the calibration data, e.g. a
///   border pixel or a ReLU that never fires) get `H_ii = 1` and their
///   weight column set to 0 before anything else; such an input contributes
///   nothing to the layer's output on that data, so its weights are free.
/// - ``blockSize``: lazy batch updates. The update of a column reaches only
///   the columns of its block of ``blockSize`` (128); the later columns get
///   the block's errors in one matrix product `W_{:,rest} −= E · U_{block,rest}`
///   when the block ends. The arithmetic is the same, reordered, so the
///   result does not depend on the block size beyond Double rounding.
/// - ``actOrder``: columns in decreasing `H_ii` (ties by index), so the
///   inputs with the most energy are rounded first, while the most columns
///   are left to absorb their error. With groups, act-order uses **static
///   groups**: every group's scale is computed from the original weights
///   (dead columns zeroed) before the loop, so a group's inputs, rounded at
///   scattered times, share one scale that does not depend on the order.
///   Without act-order, a group's scales are computed when the loop
///   reaches its first column, from the weights as updated by every earlier
///   column (the paper's code). Scales per output row (no groups) always
///   come from the original weights.
///
/// Everything is computed in Double; the codes and Float32 scales are
/// those of the ``WeightGrid``.
///
/// ```swift
/// let grid = try WeightGrid(bits: 3, groupSize: 128, scale: .mse())
/// let result = try GPTQ.paper.quantize(weight: fc1.weight, outFeatures: 256, inFeatures: 784,
///                                      hessian: calibrator.hessian(), grid: grid)
/// result.loss < result.roundToNearestLoss        // the point of GPTQ
/// let packed = try result.weight.bitPacked()     // storable as int4/g128
/// ```
public struct GPTQ: Sendable, Hashable {
    /// `λ = dampening · mean(diag H)` is added to the Hessian's diagonal.
    public let dampening: Double
    /// Columns per lazy-update block.
    public let blockSize: Int
    /// Whether columns go in decreasing `H_ii` order (with static groups).
    public let actOrder: Bool

    /// A configuration.
    ///
    /// - Throws: ``GPTQError/dampening(_:)`` unless finite and ≥ 0,
    ///   ``GPTQError/blockSize(_:)`` below 1.
    public init(dampening: Double = 0.01, blockSize: Int = 128, actOrder: Bool = false) throws(GPTQError) {
        guard dampening.isFinite, dampening >= 0 else { throw .dampening(dampening) }
        guard blockSize >= 1 else { throw .blockSize(blockSize) }
        self.init(unchecked: dampening, blockSize, actOrder)
    }

    private init(unchecked dampening: Double, _ blockSize: Int, _ actOrder: Bool) {
        self.dampening = dampening
        self.blockSize = blockSize
        self.actOrder = actOrder
    }

    /// The paper's defaults: dampening 0.01, blocks of 128, columns in order.
    public static let paper = GPTQ(unchecked: 0.01, 128, false)
    /// The paper's defaults with act-order (and static groups).
    public static let actOrder = GPTQ(unchecked: 0.01, 128, true)

    /// `weight` (row-major `outFeatures × inFeatures`) quantized onto `grid`,
    /// with the round-to-nearest baseline on the same grid and both losses.
    ///
    /// - Throws: ``GPTQError/emptyShape(outFeatures:inFeatures:)``,
    ///   ``GPTQError/weightCount(expected:actual:)``,
    ///   ``GPTQError/nonFiniteWeight(index:value:)``,
    ///   ``GPTQError/hessianSize(expected:actual:)``, and
    ///   ``GPTQError/notPositiveDefinite(column:pivot:dampening:)`` naming
    ///   the input whose pivot failed.
    public func quantize(weight: [Float], outFeatures n: Int, inFeatures k: Int, hessian: LayerHessian,
                         grid: WeightGrid) throws(GPTQError) -> GPTQResult {
        try QuantizedWeight.check(weight: weight, outFeatures: n, inFeatures: k)
        guard hessian.size == k else { throw .hessianSize(expected: k, actual: hessian.size) }
        var h = hessian.values
        var w = weight.map(Double.init)
        let dead = (0..<k).filter { h[$0 * k + $0] == 0 }
        for i in dead {
            h[i * k + i] = 1
            for j in 0..<n { w[j * k + i] = 0 }
        }
        let order = actOrder ? (0..<k).sorted { (h[$0 * k + $0], $1) > (h[$1 * k + $1], $0) } : Array(0..<k)

        let groups = grid.groupsPerRow(inFeatures: k)
        let dynamicGroups = grid.groupSize != nil && !actOrder
        var scales = [Float](repeating: 1, count: n * groups)
        if !dynamicGroups {
            for j in 0..<n {
                for g in 0..<groups { scales[j * groups + g] = Self.scale(of: w, row: j, inputs: grid.inputs(ofGroup: g, inFeatures: k), k, grid) }
            }
        }

        // The Hessian and the weights with their columns in `order`, and the factor U of H_λ⁻¹.
        var permuted = [Double](repeating: 0, count: k * k)
        for a in 0..<k {
            for b in 0..<k { permuted[a * k + b] = h[order[a] * k + order[b]] }
        }
        let lambda = dampening * (0..<k).reduce(0) { $0 + permuted[$1 * k + $1] } / Double(k)
        for a in 0..<k { permuted[a * k + a] += lambda }
        let u: [Double]
        do {
            u = try Cholesky.upperFactorOfInverse(permuted, size: k)
        } catch {
            throw .notPositiveDefinite(column: order[error.column], pivot: error.pivot, dampening: dampening)
        }
        var work = [Double](repeating: 0, count: n * k)
        for j in 0..<n {
            for c in 0..<k { work[j * k + c] = w[j * k + order[c]] }
        }

        var codes = [Int8](repeating: 0, count: n * k)
        var proxyLoss = 0.0
        var loop = GPTQLazyUpdates(rows: n, columns: k, blockSize: blockSize)
        work.withUnsafeMutableBufferPointer { work in
            u.withUnsafeBufferPointer { u in
                for c in 0..<k {
                    loop.startColumn(c, work: work, u: u)
                    let original = order[c]
                    if dynamicGroups, let size = grid.groupSize, c % size == 0 {
                        // A dynamic group's scales see the current weights: after the flush,
                        // every earlier column's error has reached the columns ≥ c.
                        loop.flush(upTo: c, work: work, u: u)
                        for j in 0..<n {
                            scales[j * groups + c / size] = Self.scale(of: UnsafeBufferPointer(work), row: j,
                                                                       inputs: c ..< Swift.min(c + size, k), k, grid)
                        }
                    }
                    let group = grid.groupSize.map { original / $0 } ?? 0
                    let diagonal = u[c * k + c]
                    for j in 0..<n {
                        let s = Double(scales[j * groups + group]), value = work[j * k + c]
                        let code = grid.code(value, scale: s)
                        codes[j * k + original] = code
                        let error = (value - s * Double(code)) / diagonal
                        proxyLoss += error * error
                        loop.record(error, row: j, column: c)
                        let row = work.baseAddress! + j * k, uRow = u.baseAddress! + c * k
                        for t in (c + 1)..<loop.blockEnd { row[t] -= error * uRow[t] }
                    }
                }
            }
        }

        let quantized = QuantizedWeight(grid: grid, outFeatures: n, inFeatures: k, codes: codes, scales: scales)
        let baseline = try grid.roundToNearest(weight: weight, outFeatures: n, inFeatures: k)
        return GPTQResult(weight: quantized, roundToNearest: baseline, order: order, deadInputs: dead,
                          dampening: lambda, proxyLoss: proxyLoss,
                          loss: try hessian.quadraticError(of: quantized.dequantized, from: weight, outFeatures: n),
                          roundToNearestLoss: try hessian.quadraticError(of: baseline.dequantized, from: weight, outFeatures: n))
    }

    /// The grid's scale of `inputs` in row `row` of a row-major `… × k` matrix.
    private static func scale(of values: UnsafeBufferPointer<Double>, row: Int, inputs: Range<Int>, _ k: Int,
                              _ grid: WeightGrid) -> Float {
        grid.scale(of: UnsafeBufferPointer(rebasing: values[(row * k + inputs.lowerBound) ..< (row * k + inputs.upperBound)]))
    }

    private static func scale(of values: [Double], row: Int, inputs: Range<Int>, _ k: Int, _ grid: WeightGrid) -> Float {
        values.withUnsafeBufferPointer { scale(of: $0, row: row, inputs: inputs, k, grid) }
    }
}
