import Foundation

/// McNemar's exact test of whether two classifiers differ in accuracy on
/// the same test set: only the examples where exactly one of them is right
/// count. With `b` examples that model A gets right and B wrong, and `c`
/// the other way round, under "no difference" each of those `b + c`
/// disagreements is a fair coin, so the two-sided p-value is
///
/// `p = min(1, 2 · Σ_{i ≤ min(b, c)} C(b + c, i) / 2^(b + c))`
///
/// (the exact binomial form, right for the small counts quantization gives).
/// A small p (say < 0.05) means the accuracy difference is unlikely to be
/// noise; "15 vs 7" changes give p ≈ 0.13, not significant.
///
/// ```swift
/// let test = McNemarTest(predictions: int8, against: fp32, labels: test.labels)
/// test.onlyFirstCorrect, test.onlySecondCorrect, test.pValue
/// ```
public struct McNemarTest: Sendable, Hashable {
    /// Examples the first model classifies correctly and the second does not (`b`).
    public let onlyFirstCorrect: Int
    /// Examples the second model classifies correctly and the first does not (`c`).
    public let onlySecondCorrect: Int

    /// The test of `first` against `second` predictions of the same `labels`.
    public init(predictions first: [Int32], against second: [Int32], labels: [Int32]) {
        var b = 0, c = 0
        for ((p, q), y) in zip(zip(first, second), labels) {
            if p == y && q != y { b += 1 }
            if p != y && q == y { c += 1 }
        }
        onlyFirstCorrect = b
        onlySecondCorrect = c
    }

    /// The two-sided exact p-value (1 when the models never disagree on correctness).
    public var pValue: Double {
        let n = onlyFirstCorrect + onlySecondCorrect
        guard n > 0 else { return 1 }
        let k = min(onlyFirstCorrect, onlySecondCorrect)
        // Σ C(n, i)·2⁻ⁿ in log space, so n in the thousands cannot overflow.
        let logHalf = -Double(n) * log(2)
        var tail = 0.0
        for i in 0...k {
            tail += exp(lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1)) + logHalf)
        }
        return min(1, 2 * tail)
    }
}
