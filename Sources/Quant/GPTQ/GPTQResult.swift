/// What ``GPTQ/quantize(weight:outFeatures:inFeatures:hessian:grid:)``
/// made of one weight matrix: the GPTQ codes and scales, the
/// round-to-nearest (RTN) baseline on the same grid, and how far each is
/// from the float layer on the calibration data.
///
/// Losses are on the scale of `tr((W − Q) H (W − Q)ᵀ)` with
/// `H = 2·XᵀX/n`, which is `2/n · ‖X·Wᵀ − X·Qᵀ‖²`: twice the mean (over
/// calibration examples) squared error of the layer's outputs, summed over
/// outputs.
public struct GPTQResult: Sendable, Hashable {
    /// The GPTQ codes and scales.
    public let weight: QuantizedWeight
    /// Every weight rounded to its nearest code on the same grid, with the
    /// scales of the original weights: the baseline.
    public let roundToNearest: QuantizedWeight
    /// The inputs in the order their columns were quantized: `0..<K`, or
    /// decreasing `H_ii` with act-order.
    public let order: [Int]
    /// The inputs with `H_ii = 0`, whose weights GPTQ set to 0.
    public let deadInputs: [Int]
    /// `λ`, added to the Hessian's diagonal (dampening × mean diagonal).
    public let dampening: Double
    /// `Σ_i ‖w_i − q_i‖² / U_ii²` over the columns as the loop saw them: the
    /// paper's per-column OBS losses, summed (times 2, to be on the scale of
    /// ``loss``). It equals `tr((W₀ − Q) H_λ (W₀ − Q)ᵀ)` for the weights `W₀`
    /// with dead columns zeroed and the dampened Hessian `H_λ`.
    public let proxyLoss: Double
    /// `tr((W − Q) H (W − Q)ᵀ)` for the GPTQ weights and the undampened `H`.
    public let loss: Double
    /// The same for round-to-nearest.
    public let roundToNearestLoss: Double

    /// Row-major `outFeatures × inFeatures` GPTQ codes.
    public var codes: [Int8] { weight.codes }
    /// The GPTQ scales, in ``BitPackedWeights`` order.
    public var scales: [Float] { weight.scales }
    /// The GPTQ weights as floats.
    public var dequantized: [Float] { weight.dequantized }
}
