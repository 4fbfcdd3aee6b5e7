/// The rectifier, `y = max(x, 0)` element-wise; its gradient passes where
/// the output is positive: `∂L/∂x = ∂L/∂y · [y > 0]` (0 at the kink `x = 0`,
/// as PyTorch does).
///
/// Both passes may run in place (`output == input`, `inputGradient ==
/// outputGradient`), since the backward pass needs only the output. In a
/// ``Sequential`` model it is a layer of its own, so a quantized model keeps
/// its float ReLUs while its linear layers change.
///
/// ```swift
/// let y = try ReLU(features: 3)(Tensor(shape: [1, 3], scalars: [-1, 0, 2]))   // [0, 0, 2]
/// ```
public struct ReLU: TrainableLayer {
    /// The width of the rows (input and output alike).
    public let features: Int
    public var inputFeatures: Int { features }
    public var outputFeatures: Int { features }

    public init(features: Int) {
        self.features = features
    }

    public func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                        scratch: inout LayerScratch) {
        Elementwise.relu(input, into: output, count: rows * features)
    }

    public mutating func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                                  outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?,
                                  rows: Int) {
        guard let inputGradient else { return }
        Elementwise.reluGradient(output: output, outputGradient: outputGradient, into: inputGradient, count: rows * features)
    }

    /// ReLU has no parameters.
    public mutating func visitParameters(_ visit: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void) {}
}
