/// Preallocated buffers for running an ``MLP`` on batches of up to
/// `maxRows` examples: one activation buffer per layer and two gradient
/// buffers used in turn. Made once per training run or evaluation, so the
/// per-batch work allocates nothing.
final class MLPWorkspace {
    /// `activations[i]` holds layer `i`'s output (after ReLU for hidden layers).
    let activations: [UnsafeMutablePointer<Float>]
    /// Two buffers of `maxRows × widest layer`, for `∂L/∂y` and `∂L/∂x`.
    let gradients: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    let maxRows: Int

    init(sizes: [Int], maxRows: Int) {
        self.maxRows = maxRows
        activations = sizes.dropFirst().map { width in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, maxRows * width))
            p.initialize(repeating: 0, count: max(1, maxRows * width))
            return p
        }
        let widest = max(1, maxRows * (sizes.max() ?? 1))
        let g0 = UnsafeMutablePointer<Float>.allocate(capacity: widest), g1 = UnsafeMutablePointer<Float>.allocate(capacity: widest)
        g0.initialize(repeating: 0, count: widest)
        g1.initialize(repeating: 0, count: widest)
        gradients = (g0, g1)
    }

    /// The last layer's output: the logits.
    var logits: UnsafeMutablePointer<Float> { activations[activations.count - 1] }

    deinit {
        activations.forEach { $0.deallocate() }
        gradients.0.deallocate()
        gradients.1.deallocate()
    }
}
