/// An update rule for parameters from their gradients.
///
/// Each training step calls ``beginStep()`` once, then
/// ``update(_:gradients:)`` once per parameter array, always in the same
/// order; optimizers with per-parameter state (momentum, Adam's moments)
/// keep it by that position, allocated on the first step only.
public protocol Optimizer: Sendable {
    /// The step size now; a ``LearningRateSchedule`` changes it between steps.
    var learningRate: Float { get set }
    /// Marks the start of a step (advances step counters).
    mutating func beginStep()
    /// Updates one parameter array in place from its gradient.
    mutating func update(_ parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>)
}
