/// A step of a network that maps a batch of row vectors to another:
/// `rows × inputFeatures` in, `rows × outputFeatures` out, row-major.
///
/// Layers read and write caller-owned buffers, so a training loop can run
/// with preallocated memory and no per-batch allocation; the convenience
/// ``callAsFunction(_:)`` allocates and is meant for notebooks and tests.
/// Any type with a forward pass can stand in a network — a float
/// ``Linear`` or a quantized replacement for it that reads its weights.
///
/// ```swift
/// let y = try layer(Tensor(shape: [2, layer.inputFeatures], repeating: 0))   // shape [2, outputFeatures]
/// ```
public protocol Layer: Sendable {
    /// The width of each input row.
    var inputFeatures: Int { get }
    /// The width of each output row.
    var outputFeatures: Int { get }
    /// Writes the layer's output for `rows` input rows into `output`.
    /// `input` holds `rows × inputFeatures` values, `output` has room for
    /// `rows × outputFeatures`. Element-wise layers allow `output == input`.
    func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int)
}

/// A layer that can be trained: a backward pass and parameters with gradients.
///
/// For `y = f(x; θ)` and a scalar loss `L`, ``backward(input:output:outputGradient:inputGradient:rows:)``
/// receives `∂L/∂y`, stores `∂L/∂θ` summed over the batch in the layer, and
/// writes `∂L/∂x` (skipped when `inputGradient` is `nil`, e.g. for the first
/// layer, whose input is data). Optimizers then update θ through
/// ``visitParameters(_:)``.
public protocol TrainableLayer: Layer {
    /// Computes the parameter gradients and, if asked, the input gradient.
    /// `input` and `output` are the buffers of the forward pass for the same batch.
    mutating func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                           outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?,
                           rows: Int)
    /// Calls `visit` once per parameter array with the array and its gradient, in a fixed order.
    mutating func visitParameters(_ visit: (_ parameters: UnsafeMutableBufferPointer<Float>, _ gradients: UnsafeBufferPointer<Float>) -> Void)
}

extension Layer {
    /// The layer applied to a `[rows, inputFeatures]` tensor (allocates the result).
    ///
    /// - Throws: ``ModelError/inputShape(expectedFeatures:shape:)`` for any other shape.
    public func callAsFunction(_ input: Tensor<Float>) throws(ModelError) -> Tensor<Float> {
        guard input.rank == 2, input.shape[1] == inputFeatures else {
            throw .inputShape(expectedFeatures: inputFeatures, shape: input.shape)
        }
        let rows = input.shape[0]
        var output = [Float](repeating: 0, count: rows * outputFeatures)
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let xp = x.baseAddress, let yp = y.baseAddress else { return }
                forward(xp, into: yp, rows: rows)
            }
        }
        return Tensor(unchecked: [rows, outputFeatures], scalars: output)
    }
}
