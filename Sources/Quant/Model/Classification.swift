/// From logits to predicted classes and accuracy, shared by the float
/// (``MLP``) and quantized (``QuantizedMLP``) models so that both are
/// scored by exactly the same rule.
///
/// ```swift
/// let accuracy = Classification.accuracy(model.predictions(for: test), labels: test.labels)
/// ```
public enum Classification {
    /// For each of `rows` rows of `classes` logits, the index of the largest
    /// logit (the first one on ties, as `torch.argmax` on CPU).
    static func argMax(_ logits: UnsafePointer<Float>, rows: Int, classes: Int, into predictions: UnsafeMutablePointer<Int32>) {
        for r in 0..<rows {
            let z = logits + r * classes
            var best = 0
            for j in 1..<classes where z[j] > z[best] { best = j }
            predictions[r] = Int32(best)
        }
    }

    /// The fraction of `predicted` equal to `labels`, in [0, 1]; 0 for no examples.
    public static func accuracy(_ predicted: [Int32], labels: [Int32]) -> Double {
        guard !labels.isEmpty else { return 0 }
        let correct = zip(predicted, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(correct) / Double(labels.count)
    }
}
