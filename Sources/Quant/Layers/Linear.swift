/// A fully connected layer, `y = x·Wᵀ + b`, with `W` stored `outputFeatures × inputFeatures`
/// (PyTorch's `nn.Linear` layout, so checkpoints map one to one).
///
/// Gradients for a batch `X` (`rows × in`) and upstream `dY` (`rows × out`):
/// `∂L/∂W = dYᵀ·X`, `∂L/∂b = Σ_rows dY`, `∂L/∂X = dY·W` — three matrix
/// products through OpenBLAS, the forward one with the bias pre-broadcast
/// into the output so that `sgemm` adds it (β = 1).
///
/// He (Kaiming) initialisation draws `W ~ N(0, 2/in)`, which keeps the
/// variance of activations constant through ReLU layers (He et al., 2015);
/// biases start at zero.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let fc = Linear(inputFeatures: 784, outputFeatures: 256, using: &rng)
/// fc.weight.count   // 200704 (256 × 784, row-major)
/// ```
public struct Linear: TrainableLayer {
    public let inputFeatures: Int
    public let outputFeatures: Int
    /// The weights, `outputFeatures × inputFeatures`, row-major.
    public private(set) var weight: [Float]
    /// The biases, one per output.
    public private(set) var bias: [Float]
    /// `∂L/∂W` from the last ``backward(input:output:outputGradient:inputGradient:rows:)``.
    public private(set) var weightGradient: [Float]
    /// `∂L/∂b` from the last backward pass.
    public private(set) var biasGradient: [Float]

    /// A layer with He-normal weights and zero biases drawn from `generator`.
    public init(inputFeatures: Int, outputFeatures: Int, using generator: inout SeededGenerator) {
        let sd = Float((2 / Double(max(inputFeatures, 1))).squareRoot())
        let weight = Distribution.normal(mean: 0, standardDeviation: sd).samples(outputFeatures * inputFeatures, using: &generator)
        self.init(unchecked: inputFeatures, outputFeatures, weight: weight, bias: [Float](repeating: 0, count: outputFeatures))
    }

    /// A layer with the given parameters: `weight` of shape `[out, in]`, `bias` of shape `[out]`.
    public init(weight: Tensor<Float>, bias: Tensor<Float>) throws(ModelError) {
        guard weight.rank == 2 else { throw .parameterShape(name: "weight", expected: [bias.count, -1], found: weight.shape) }
        guard bias.shape == [weight.shape[0]] else { throw .parameterShape(name: "bias", expected: [weight.shape[0]], found: bias.shape) }
        self.init(unchecked: weight.shape[1], weight.shape[0], weight: weight.scalars, bias: bias.scalars)
    }

    private init(unchecked inputs: Int, _ outputs: Int, weight: [Float], bias: [Float]) {
        inputFeatures = inputs
        outputFeatures = outputs
        self.weight = weight
        self.bias = bias
        weightGradient = [Float](repeating: 0, count: weight.count)
        biasGradient = [Float](repeating: 0, count: bias.count)
    }

    /// The weights as a `[outputFeatures, inputFeatures]` tensor.
    public var weightTensor: Tensor<Float> { Tensor(unchecked: [outputFeatures, inputFeatures], scalars: weight) }
    /// The biases as a `[outputFeatures]` tensor.
    public var biasTensor: Tensor<Float> { Tensor(bias) }
    /// The number of trainable values, `out·in + out`.
    public var parameterCount: Int { weight.count + bias.count }

    public func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                        scratch: inout LayerScratch) {
        let n = outputFeatures
        bias.withUnsafeBufferPointer { b in
            for r in 0..<rows { (output + r * n).update(from: b.baseAddress!, count: n) }
        }
        weight.withUnsafeBufferPointer { w in
            GEMM.multiply(m: rows, n: n, k: inputFeatures, input, w.baseAddress!, transposeB: true, into: output, beta: 1)
        }
    }

    public mutating func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                                  outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?,
                                  rows: Int) {
        let (n, k) = (outputFeatures, inputFeatures)
        weightGradient.withUnsafeMutableBufferPointer { dw in
            GEMM.multiply(m: n, n: k, k: rows, outputGradient, transposeA: true, input, into: dw.baseAddress!)
        }
        biasGradient.withUnsafeMutableBufferPointer { db in
            Elementwise.columnSums(outputGradient, rows: rows, columns: n, into: db.baseAddress!)
        }
        if let inputGradient {
            weight.withUnsafeBufferPointer { w in
                GEMM.multiply(m: rows, n: k, k: n, outputGradient, w.baseAddress!, into: inputGradient)
            }
        }
    }

    public mutating func visitParameters(_ visit: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void) {
        weightGradient.withUnsafeBufferPointer { g in weight.withUnsafeMutableBufferPointer { visit($0, g) } }
        biasGradient.withUnsafeBufferPointer { g in bias.withUnsafeMutableBufferPointer { visit($0, g) } }
    }
}
