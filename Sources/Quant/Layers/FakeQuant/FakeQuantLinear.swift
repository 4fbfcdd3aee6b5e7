/// A linear layer trained with its quantization simulated:
/// `y = x̂·Ŵᵀ + b`, where `x̂` is the input fake-quantized per tensor
/// (``ActivationFakeQuantizer``, affine unsigned) and `Ŵ` the weights
/// fake-quantized per output channel (``WeightFakeQuantizer``, symmetric
/// signed) — PyTorch's eager-mode QAT `Linear` with its input's fake-quant.
///
/// Backward, with `∂L/∂y` for the batch:
/// - `∂L/∂b = Σ_rows ∂L/∂y`,
/// - `∂L/∂Ŵ = (∂L/∂y)ᵀ·x̂`, passed to the float weights by the STE,
/// - `∂L/∂x̂ = ∂L/∂y·Ŵ`, passed to `x` by the STE (and to LSQ's step or
///   PACT's clipping level).
///
/// The float weights keep training; converting the layer afterwards uses
/// the learned grids (``inputQuantizer``, ``weightQuantizer``).
///
/// ```swift
/// var fq = try FakeQuantLinear(linear, weightBits: 4, weightMethod: .lsq,
///                              input: ActivationFakeQuantizer(bits: 4, method: .lsq, statistics: stats))
/// ```
public struct FakeQuantLinear: TrainableLayer {
    public let inputFeatures: Int
    public let outputFeatures: Int
    /// The float master weights, `out × in`, and biases.
    public private(set) var weight: [Float]
    public private(set) var bias: [Float]
    /// The input's fake-quantizer; `nil` for a float input (weight-only QAT).
    public var inputQuantizer: ActivationFakeQuantizer?
    /// The weights' fake-quantizer.
    public private(set) var weightQuantizer: WeightFakeQuantizer
    /// Training epochs after which the input observer freezes (`nil`: never).
    public var freezeObserverAfterEpoch: Int?

    private var weightGradient: [Float]
    private var biasGradient: [Float]
    /// `x̂` and `Ŵ` of the last training batch, for the backward pass.
    private var savedInput: [Float] = []
    private var savedWeight: [Float]
    /// `∂L/∂x̂` when the caller does not want `∂L/∂x` but the input's quantizer learns.
    private var inputGradientScratch: [Float] = []

    /// `linear` with `weightBits`-bit per-channel fake-quantized weights and the given input quantizer.
    public init(_ linear: Linear, weightBits: Int, weightMethod: WeightFakeQuantizer.Method,
                input: ActivationFakeQuantizer?, freezeObserverAfterEpoch: Int? = nil) throws(ModelError) {
        try self.init(linear, weights: WeightFakeQuantizer(bits: weightBits, method: weightMethod, weight: linear.weight,
                                                           outputFeatures: linear.outputFeatures),
                      input: input, freezeObserverAfterEpoch: freezeObserverAfterEpoch)
    }

    /// `linear` with its weights on `weights` (any ``WeightFakeQuantizer``
    /// made for `linear.weight`: per-group, ternary, binary, clipped, …).
    ///
    /// - Throws: ``ModelError/parameterShape(name:expected:found:)`` when
    ///   `weights` was made for another shape.
    public init(_ linear: Linear, weights: WeightFakeQuantizer, input: ActivationFakeQuantizer?,
                freezeObserverAfterEpoch: Int? = nil) throws(ModelError) {
        guard weights.outputFeatures == linear.outputFeatures, weights.inputFeatures == linear.inputFeatures else {
            throw .parameterShape(name: "weight", expected: [weights.outputFeatures, weights.inputFeatures],
                                  found: [linear.outputFeatures, linear.inputFeatures])
        }
        inputFeatures = linear.inputFeatures
        outputFeatures = linear.outputFeatures
        weight = linear.weight
        bias = linear.bias
        weightQuantizer = weights
        inputQuantizer = input
        self.freezeObserverAfterEpoch = freezeObserverAfterEpoch
        weightGradient = [Float](repeating: 0, count: weight.count)
        biasGradient = [Float](repeating: 0, count: bias.count)
        savedWeight = [Float](repeating: 0, count: weight.count)
    }

    public var parameterCount: Int { weight.count + bias.count }

    /// The float layer with the current master weights.
    public var floatLinear: Linear {
        // The shapes are this layer's own, so the initializer cannot fail.
        try! Linear(weight: Tensor(shape: [outputFeatures, inputFeatures], scalars: weight), bias: Tensor(bias))
    }

    /// The weights the forward pass multiplies by, `Ŵ`.
    public var fakeQuantizedWeight: [Float] {
        var w = [Float](repeating: 0, count: weight.count)
        weight.withUnsafeBufferPointer { src in
            w.withUnsafeMutableBufferPointer { weightQuantizer.fakeQuantize(src.baseAddress!, into: $0.baseAddress!, rows: outputFeatures) }
        }
        return w
    }

    public func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                        scratch: inout LayerScratch) {
        let inputCount = rows * inputFeatures
        scratch.withFloats(inputCount + weight.count) { buffer in
            let (xHat, wHat) = (buffer, buffer + inputCount)
            inputQuantizer?.forward(input, into: xHat, count: inputCount)
            weight.withUnsafeBufferPointer { weightQuantizer.fakeQuantize($0.baseAddress!, into: wHat, rows: outputFeatures) }
            product(inputQuantizer == nil ? input : UnsafePointer(xHat), UnsafePointer(wHat), rows: rows, into: output)
        }
    }

    public mutating func trainingForward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                                         scratch: inout LayerScratch) throws(ModelError) {
        let inputCount = rows * inputFeatures
        try inputQuantizer?.observe(input, count: inputCount)
        if savedInput.count < inputCount { savedInput = [Float](repeating: 0, count: inputCount) }
        weightQuantizer.updateGrids(weight: weight)
        let (quantizer, n) = (weightQuantizer, outputFeatures)
        weight.withUnsafeBufferPointer { w in
            savedWeight.withUnsafeMutableBufferPointer { quantizer.fakeQuantize(w.baseAddress!, into: $0.baseAddress!, rows: n) }
        }
        if let inputQuantizer {
            savedInput.withUnsafeMutableBufferPointer { inputQuantizer.forward(input, into: $0.baseAddress!, count: inputCount) }
        } else {
            savedInput.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: input, count: inputCount) }
        }
        savedInput.withUnsafeBufferPointer { x in
            savedWeight.withUnsafeBufferPointer { w in product(x.baseAddress!, w.baseAddress!, rows: rows, into: output) }
        }
    }

    public mutating func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                                  outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?,
                                  rows: Int) {
        let (n, k) = (outputFeatures, inputFeatures)
        savedInput.withUnsafeBufferPointer { x in
            weightGradient.withUnsafeMutableBufferPointer { dw in
                GEMM.multiply(m: n, n: k, k: rows, outputGradient, transposeA: true, x.baseAddress!, into: dw.baseAddress!)
            }
        }
        var quantizer = weightQuantizer
        weight.withUnsafeBufferPointer { w in
            weightGradient.withUnsafeMutableBufferPointer { quantizer.backward(weight: w.baseAddress!, gradient: $0.baseAddress!, rows: n) }
        }
        weightQuantizer = quantizer
        biasGradient.withUnsafeMutableBufferPointer { db in
            Elementwise.columnSums(outputGradient, rows: rows, columns: n, into: db.baseAddress!)
        }
        let learnsInput = inputQuantizer.map { !$0.learned.isEmpty } ?? false
        guard inputGradient != nil || learnsInput else { return }
        if inputGradient == nil, inputGradientScratch.count < rows * k {
            inputGradientScratch = [Float](repeating: 0, count: rows * k)
        }
        var inputQuantizer = self.inputQuantizer
        let saved = savedWeight
        let propagate = { (dx: UnsafeMutablePointer<Float>) in
            saved.withUnsafeBufferPointer { w in GEMM.multiply(m: rows, n: k, k: n, outputGradient, w.baseAddress!, into: dx) }
            inputQuantizer?.backward(input: input, gradient: dx, count: rows * k, features: k)
        }
        if let inputGradient {
            propagate(inputGradient)
        } else {
            inputGradientScratch.withUnsafeMutableBufferPointer { propagate($0.baseAddress!) }
        }
        self.inputQuantizer = inputQuantizer
    }

    public mutating func visitParameters(_ visit: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void) {
        weightGradient.withUnsafeBufferPointer { g in weight.withUnsafeMutableBufferPointer { visit($0, g) } }
        biasGradient.withUnsafeBufferPointer { g in bias.withUnsafeMutableBufferPointer { visit($0, g) } }
        if !weightQuantizer.learned.isEmpty {
            let g = weightQuantizer.learnedGradient
            g.withUnsafeBufferPointer { g in weightQuantizer.learned.withUnsafeMutableBufferPointer { visit($0, g) } }
            weightQuantizer.learnedGradient = [Float](repeating: 0, count: g.count)
        }
        if var input = inputQuantizer, !input.learned.isEmpty {
            let g = input.learnedGradient
            g.withUnsafeBufferPointer { g in input.learned.withUnsafeMutableBufferPointer { visit($0, g) } }
            input.learnedGradient = [0]
            input.applyLearned()
            inputQuantizer = input
        }
    }

    public mutating func startEpoch(_ epoch: Int) {
        if let freeze = freezeObserverAfterEpoch, epoch > freeze { inputQuantizer?.isObserving = false }
    }

    /// `y = x·wᵀ + b` for `rows` rows.
    private func product(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let n = outputFeatures
        bias.withUnsafeBufferPointer { b in
            for r in 0..<rows { (y + r * n).update(from: b.baseAddress!, count: n) }
        }
        GEMM.multiply(m: rows, n: n, k: inputFeatures, x, w, transposeB: true, into: y, beta: 1)
    }
}
