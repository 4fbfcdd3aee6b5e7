/// Preallocated buffers for running a ``Sequential`` model on batches of up
/// to `maxRows` examples: one output buffer per layer, two gradient buffers
/// used in turn by the backward pass, and the layers' shared scratch. Made
/// once per training run or evaluation, so the per-batch work allocates nothing.
final class SequentialWorkspace {
    /// `activations[i]` holds layer `i`'s output.
    let activations: [UnsafeMutablePointer<Float>]
    /// Two buffers of `maxRows × widest buffer`, for `∂L/∂y` and `∂L/∂x`.
    let gradients: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    /// Memory the layers share (quantized layers' input codes).
    var scratch: LayerScratch
    let maxRows: Int

    init(widths: [Int], maxRows: Int) {
        self.maxRows = maxRows
        activations = widths.dropFirst().map { Self.zeros(maxRows * $0) }
        let widest = maxRows * (widths.max() ?? 1)
        gradients = (Self.zeros(widest), Self.zeros(widest))
        scratch = LayerScratch(capacity: maxRows * (widths.dropLast().max() ?? 0))
    }

    convenience init(_ model: Sequential, maxRows: Int) {
        self.init(widths: model.widths, maxRows: maxRows)
    }

    /// The last layer's output: the logits of a classifier.
    var output: UnsafeMutablePointer<Float> { activations[activations.count - 1] }

    private static func zeros(_ count: Int) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        p.initialize(repeating: 0, count: max(1, count))
        return p
    }

    deinit {
        activations.forEach { $0.deallocate() }
        gradients.0.deallocate()
        gradients.1.deallocate()
    }
}
