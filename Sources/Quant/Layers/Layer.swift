/// A step of a network that maps a batch of row vectors to another:
/// `rows × inputFeatures` in, `rows × outputFeatures` out, row-major.
///
/// Layers read and write caller-owned buffers, so a training loop can run
/// with preallocated memory and no per-batch allocation; the convenience
/// ``callAsFunction(_:)`` allocates and is meant for notebooks and tests.
/// Any type with a forward pass can stand in a ``Sequential`` model — a
/// float ``Linear``, a ``ReLU``, or a quantized replacement such as
/// ``DynamicQuantizedLinear`` — so the float model and every quantized
/// model are the same container of different layers.
///
/// ```swift
/// let y = try layer(Tensor(shape: [2, layer.inputFeatures], repeating: 0))   // shape [2, outputFeatures]
/// ```
public protocol Layer: Sendable {
    /// The width of each input row.
    var inputFeatures: Int { get }
    /// The width of each output row.
    var outputFeatures: Int { get }
    /// The number of stored parameters (weights, biases, codes; not scales). 0 by default.
    var parameterCount: Int { get }
    /// Writes the layer's output for `rows` input rows into `output`.
    /// `input` holds `rows × inputFeatures` values, `output` has room for
    /// `rows × outputFeatures`. `scratch` is memory shared by the layers of
    /// one pass (e.g. the uint8 codes of a quantized input).
    func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                 scratch: inout LayerScratch) throws(ModelError)
}

/// A layer that can be trained: a backward pass and parameters with gradients.
///
/// For `y = f(x; θ)` and a scalar loss `L`, ``backward(input:output:outputGradient:inputGradient:rows:)``
/// receives `∂L/∂y`, stores `∂L/∂θ` summed over the batch in the layer, and
/// writes `∂L/∂x` (skipped when `inputGradient` is `nil`, e.g. for the first
/// layer, whose input is data). Optimizers then update θ through
/// ``visitParameters(_:)``.
///
/// Training runs ``trainingForward(_:into:rows:scratch:)``, which may change
/// the layer (an observer's running range, values kept for the backward
/// pass); evaluation runs the non-mutating ``Layer/forward(_:into:rows:scratch:)``.
/// Both default to the same computation.
public protocol TrainableLayer: Layer {
    /// The forward pass of a training step.
    mutating func trainingForward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                                  scratch: inout LayerScratch) throws(ModelError)
    /// Called by ``Trainer`` before each epoch (counted from 1), e.g. to freeze observers after a set epoch.
    mutating func startEpoch(_ epoch: Int)
    /// Computes the parameter gradients and, if asked, the input gradient.
    /// `input` and `output` are the buffers of the forward pass for the same batch.
    mutating func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                           outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?,
                           rows: Int)
    /// Calls `visit` once per parameter array with the array and its gradient, in a fixed order.
    mutating func visitParameters(_ visit: (_ parameters: UnsafeMutableBufferPointer<Float>, _ gradients: UnsafeBufferPointer<Float>) -> Void)
}

extension TrainableLayer {
    public mutating func trainingForward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                                         scratch: inout LayerScratch) throws(ModelError) {
        try forward(input, into: output, rows: rows, scratch: &scratch)
    }

    public mutating func startEpoch(_ epoch: Int) {}
}

extension Layer {
    public var parameterCount: Int { 0 }

    /// The layer applied to a `[rows, inputFeatures]` tensor (allocates the result).
    ///
    /// - Throws: ``ModelError/inputShape(expectedFeatures:shape:)`` for any other shape.
    public func callAsFunction(_ input: Tensor<Float>) throws(ModelError) -> Tensor<Float> {
        guard input.rank == 2, input.shape[1] == inputFeatures else {
            throw .inputShape(expectedFeatures: inputFeatures, shape: input.shape)
        }
        let rows = input.shape[0]
        var output = [Float](repeating: 0, count: rows * outputFeatures)
        var scratch = LayerScratch()
        try input.scalars.withUnsafeBufferPointer { x throws(ModelError) in
            try output.withUnsafeMutableBufferPointer { y throws(ModelError) in
                guard let xp = x.baseAddress, let yp = y.baseAddress else { return }
                try forward(xp, into: yp, rows: rows, scratch: &scratch)
            }
        }
        return Tensor(unchecked: [rows, outputFeatures], scalars: output)
    }
}
