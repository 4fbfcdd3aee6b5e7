/// The last step of a fake-quantized model that an integer-only model
/// takes too: its outputs rounded onto the 8-bit affine grid `(scale,
/// zeroPoint)` of the integer model's output codes,
/// `x̂ = (clamp(round(x/s) + z, 0, 255) − z)·s`.
///
/// PyTorch's eager QAT ends the same way (the fake-quantize after the last
/// quantized module). Appended to a fake-quantized model
/// (``Sequential/withOutputQuantized(scale:zeroPoint:)``), it makes the two
/// models' predictions comparable: on the coarse output grid two logits can
/// share a code, and both models then break the tie alike (the first class).
public struct OutputFakeQuantizer: Layer {
    public let features: Int
    let grid: QuantGrid

    public var inputFeatures: Int { features }
    public var outputFeatures: Int { features }

    /// - Throws: ``ModelError/quantization(_:)`` for a scale that is not
    ///   finite and positive, or a zero-point outside 0…255.
    public init(features: Int, scale: Float, zeroPoint: Int32) throws(ModelError) {
        guard scale.isFinite, scale > 0 else { throw .quantization(.invalidScale(channel: 0, scale: scale)) }
        guard (0...255).contains(zeroPoint) else { throw .quantization(.zeroPointOutOfRange(channel: 0, zeroPoint: zeroPoint, range: 0...255)) }
        self.features = features
        grid = QuantGrid(scale: scale, zeroPoint: zeroPoint, qmin: 0, qmax: 255)
    }

    public func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int,
                        scratch: inout LayerScratch) {
        grid.fakeQuantize(input, into: output, count: rows * features)
    }
}

extension Sequential {
    /// The model with its outputs fake-quantized onto an integer model's
    /// output grid (``OutputFakeQuantizer``): what to compare an integer-only
    /// model with.
    public func withOutputQuantized(scale: Float, zeroPoint: Int32) throws(ModelError) -> Sequential {
        try Sequential(layers + [OutputFakeQuantizer(features: outputFeatures, scale: scale, zeroPoint: zeroPoint)])
    }
}
