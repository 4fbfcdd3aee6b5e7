import Foundation

/// The classification loss: softmax of the logits, then the negative log of
/// the probability given to the true class, averaged over the batch:
///
/// `L = (1/R) Σ_r [ log Σ_j exp(z_rj) − z_r,y_r ]`,  `∂L/∂z_rj = (softmax(z_r)_j − [j = y_r]) / R`.
///
/// The log-sum-exp is shifted by each row's maximum, so large logits cannot
/// overflow (`exp` of a non-positive number is at most 1).
///
/// ```swift
/// let loss = SoftmaxCrossEntropy(classes: 10)
/// let l = try loss(logits: logits, labels: [3, 7])   // mean over the 2 rows
/// ```
public struct SoftmaxCrossEntropy: Sendable {
    /// The number of classes (logits per row).
    public let classes: Int

    public init(classes: Int) {
        self.classes = classes
    }

    /// The mean loss over `rows` rows; writes `∂L/∂logits` into `gradient` when given.
    /// Labels must be in `0..<classes` (the caller checks; see ``callAsFunction(logits:labels:)``).
    public func lossAndGradient(logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int,
                                gradient: UnsafeMutablePointer<Float>?) -> Float {
        guard rows > 0 else { return 0 }
        var total = 0.0
        let scale = 1 / Float(rows)
        for r in 0..<rows {
            let z = logits + r * classes
            var top = z[0]
            for j in 1..<classes { top = max(top, z[j]) }
            var sum: Float = 0
            for j in 0..<classes { sum += Foundation.exp(z[j] - top) }
            let logSum = Foundation.log(sum) + top
            let label = Int(labels[r])
            total += Double(logSum - z[label])
            if let gradient {
                let g = gradient + r * classes
                let inverse = 1 / sum
                for j in 0..<classes { g[j] = Foundation.exp(z[j] - top) * inverse * scale }
                g[label] -= scale
            }
        }
        return Float(total / Double(rows))
    }

    /// The mean loss of `[rows, classes]` logits against one label per row.
    public func callAsFunction(logits: Tensor<Float>, labels: [Int32]) throws(ModelError) -> Float {
        guard classes > 0, logits.rank == 2, logits.shape[1] == classes else {
            throw .inputShape(expectedFeatures: classes, shape: logits.shape)
        }
        guard labels.count == logits.shape[0] else {
            throw .labels("\(labels.count) labels for \(logits.shape[0]) rows of logits")
        }
        if let bad = labels.first(where: { $0 < 0 || Int($0) >= classes }) {
            throw .labels("label \(bad) is not in 0..<\(classes)")
        }
        guard !labels.isEmpty else { return 0 }
        return logits.scalars.withUnsafeBufferPointer { z in
            labels.withUnsafeBufferPointer { y in
                lossAndGradient(logits: z.baseAddress!, labels: y.baseAddress!, rows: labels.count, gradient: nil)
            }
        }
    }
}
