/// How often each true class was predicted as each class: the net accuracy
/// of two models can agree while their mistakes differ, and comparing their
/// confusion matrices shows where.
///
/// ```swift
/// let matrix = ConfusionMatrix(predicted: try model.predictions(for: test), labels: test.labels, classes: 10)
/// matrix[3, 5]     // threes taken for fives
/// ```
public struct ConfusionMatrix: Sendable, Equatable {
    /// The number of classes (rows and columns).
    public let classes: Int
    /// Row-major counts: `counts[trueClass · classes + predicted]`.
    public let counts: [Int]

    /// Counts the pairs (`labels[i]`, `predicted[i]`); both hold class
    /// numbers in `0..<classes`, one per example.
    public init(predicted: [Int32], labels: [Int32], classes: Int) {
        precondition(predicted.count == labels.count, "\(predicted.count) predictions for \(labels.count) labels")
        var counts = [Int](repeating: 0, count: classes * classes)
        for (p, t) in zip(predicted, labels) { counts[Int(t) * classes + Int(p)] += 1 }
        self.classes = classes
        self.counts = counts
    }

    /// How many examples of `trueClass` were predicted as `predicted`.
    public subscript(trueClass: Int, predicted: Int) -> Int {
        counts[trueClass * classes + predicted]
    }

    /// The number of examples counted.
    public var total: Int { counts.reduce(0, +) }
}
