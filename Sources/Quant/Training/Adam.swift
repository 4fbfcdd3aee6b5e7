import Foundation
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Adam (Kingma & Ba, 2015), as PyTorch's `torch.optim.Adam` computes it:
///
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
/// `θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)`.
///
/// The bias corrections are folded into two scalars per step, so the
/// per-element loop is a few multiply-adds, one square root and one
/// division, run four lanes at a time (SSE `sqrtps` on x86-64: Swift's
/// scalar `squareRoot()` keeps C's errno check and is never vectorised,
/// which made Adam a fifth of the epoch time).
///
/// ```swift
/// var adam = Adam(learningRate: 1e-3)
/// ```
public struct Adam: Optimizer {
    public var learningRate: Float
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
        firstMoments[slot].withUnsafeMutableBufferPointer { mBuffer in
            secondMoments[slot].withUnsafeMutableBufferPointer { vBuffer in
                guard let p = parameters.baseAddress, let g = gradients.baseAddress,
                      let m = mBuffer.baseAddress, let v = vBuffer.baseAddress else { return }
                let count = parameters.count
                var i = 0
                typealias Lanes = SIMD4<Float>
                while i + 4 <= count {
                    let gi = UnsafeRawPointer(g + i).loadUnaligned(as: Lanes.self)
                    let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: Lanes.self) + c1 * gi
                    let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: Lanes.self) + c2 * (gi * gi)
                    let pi = UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self)
                    UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: Lanes.self)
                    UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: Lanes.self)
                    let updated = pi - stepSize * mi / (Self.squareRoot(vi) * inverseRootCorrection + eps)
                    UnsafeMutableRawPointer(p + i).storeBytes(of: updated, as: Lanes.self)
                    i += 4
                }
                while i < count {
                    let gi = g[i]
                    let mi = b1 * m[i] + c1 * gi
                    let vi = b2 * v[i] + c2 * (gi * gi)
                    m[i] = mi
                    v[i] = vi
                    p[i] -= stepSize * mi / (vi.squareRoot() * inverseRootCorrection + eps)
                    i += 1
                }
            }
        }
        slot += 1
    }

    /// The lane-wise square root, in one instruction where available.
    @inline(__always)
    private static func squareRoot(_ x: SIMD4<Float>) -> SIMD4<Float> {
        #if arch(x86_64)
        return _mm_sqrt_ps(x)
        #else
        return x.squareRoot()
        #endif
    }
}
