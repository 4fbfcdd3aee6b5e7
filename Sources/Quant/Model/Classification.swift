/// From logits to predicted classes and accuracy: the one arg-max rule that
/// scores every model (float or quantized, in evaluation and in training).
///
/// ```swift
/// let accuracy = Classification.accuracy(model.predictions(for: test), labels: test.labels)
/// ```
public enum Classification {
    /// For each of `rows` rows of `classes` logits, the index of the largest
    /// logit (the first one on ties, as `torch.argmax` on CPU).
    static func argMax(_ logits: UnsafePointer<Float>, rows: Int, classes: Int, into predictions: UnsafeMutablePointer<Int32>) {
        for r in 0..<rows { predictions[r] = argMax(logits + r * classes, classes: classes) }
    }

    /// How many of `rows` rows of `classes` logits have their arg-max at the row's label.
    static func correctCount(_ logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, classes: Int) -> Int {
        var correct = 0
        for r in 0..<rows where argMax(logits + r * classes, classes: classes) == labels[r] { correct += 1 }
        return correct
    }

    /// The index of the largest of `classes` logits (the first on ties).
    private static func argMax(_ z: UnsafePointer<Float>, classes: Int) -> Int32 {
        var best = 0
        for j in 1..<classes where z[j] > z[best] { best = j }
        return Int32(best)
    }

    /// The fraction of `predicted` equal to `labels`, in [0, 1]; 0 for no examples.
    public static func accuracy(_ predicted: [Int32], labels: [Int32]) -> Double {
        guard !labels.isEmpty else { return 0 }
        let correct = zip(predicted, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(correct) / Double(labels.count)
    }
}
