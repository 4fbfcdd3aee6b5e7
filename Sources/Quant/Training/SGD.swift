/// Stochastic gradient descent with (heavy-ball) momentum, as PyTorch's
/// `torch.optim.SGD` computes it: `b ← μb + g` (`b = g` on the first step),
/// `θ ← θ − lr·b`. With `momentum = 0` it is plain SGD.
///
/// ```swift
/// var sgd = SGD(learningRate: 0.05, momentum: 0.9)
/// ```
public struct SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    private var slot = 0
    private var buffers: [[Float]] = []

    public init(learningRate: Float, momentum: Float = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    public mutating func beginStep() {
        slot = 0
    }

    public mutating func update(_ parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>) {
        let (lr, mu) = (learningRate, momentum)
        if slot == buffers.count {
            buffers.append(Array(gradients))
        } else {
            buffers[slot].withUnsafeMutableBufferPointer { b in
                for i in 0..<b.count { b[i] = mu * b[i] + gradients[i] }
            }
        }
        buffers[slot].withUnsafeBufferPointer { b in
            for i in 0..<parameters.count { parameters[i] -= lr * b[i] }
        }
        slot += 1
    }
}
