import Foundation

/// Adam (Kingma & Ba, 2015), as PyTorch's `torch.optim.Adam` computes it:
///
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
/// `θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)`.
///
/// The bias corrections are folded into two scalars per step, so the
/// per-element loop is a handful of fused multiply-adds, one square root and
/// one division, which the compiler vectorises.
///
/// ```swift
/// var adam = Adam(learningRate: 1e-3)
/// ```
public struct Adam: Optimizer {
    public let learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    /// The number of steps taken.
    public private(set) var step = 0
    private var slot = 0
    private var firstMoments: [[Float]] = []
    private var secondMoments: [[Float]] = []

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public mutating func beginStep() {
        step += 1
        slot = 0
    }

    public mutating func update(_ parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>) {
        if slot == firstMoments.count {
            firstMoments.append([Float](repeating: 0, count: parameters.count))
            secondMoments.append([Float](repeating: 0, count: parameters.count))
        }
        let t = Double(step)
        let stepSize = Float(Double(learningRate) / (1 - pow(Double(beta1), t)))
        let inverseRootCorrection = Float(1 / (1 - pow(Double(beta2), t)).squareRoot())
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        let (c1, c2) = (1 - beta1, 1 - beta2)
        firstMoments[slot].withUnsafeMutableBufferPointer { m in
            secondMoments[slot].withUnsafeMutableBufferPointer { v in
                for i in 0..<parameters.count {
                    let g = gradients[i]
                    let mi = b1 * m[i] + c1 * g
                    let vi = b2 * v[i] + c2 * (g * g)
                    m[i] = mi
                    v[i] = vi
                    parameters[i] -= stepSize * mi / (vi.squareRoot() * inverseRootCorrection + eps)
                }
            }
        }
        slot += 1
    }
}
