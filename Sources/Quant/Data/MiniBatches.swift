/// Seeded shuffled mini-batches over an ``ImageDataset``, gathered into one
/// reusable buffer: after `init`, no batch allocates.
///
/// Each epoch starts with ``shuffle()``, a Fisher–Yates shuffle of the
/// example order driven by the seeded generator (with unbiased bounded
/// draws, so the order is the same on every platform and Swift version).
/// ``load(_:from:)`` copies the rows of batch `b` into ``features`` and
/// ``labels``; the last batch of an epoch may be smaller (`count % batchSize`).
///
/// ```swift
/// var batches = MiniBatches(exampleCount: train.count, featureCount: 784, batchSize: 128, seed: 1)
/// batches.shuffle()
/// for b in 0..<batches.batchCount {
///     let rows = batches.load(b, from: train)   // features[0..<rows*784], labels[0..<rows]
/// }
/// ```
public struct MiniBatches: Sendable {
    /// The examples per full batch.
    public let batchSize: Int
    /// The number of batches per epoch, `⌈exampleCount / batchSize⌉`.
    public let batchCount: Int
    /// The current batch's inputs, `batchSize × featureCount` (only the first `rows` rows are valid).
    public private(set) var features: [Float]
    /// The current batch's labels (only the first `rows` are valid).
    public private(set) var labels: [Int32]
    /// The example order of the current epoch.
    public private(set) var order: [Int]
    private let featureCount: Int
    private var generator: SeededGenerator

    /// Batches of `batchSize` over `exampleCount` examples of `featureCount` features, in the
    /// identity order until the first ``shuffle()``.
    public init(exampleCount: Int, featureCount: Int, batchSize: Int, seed: UInt64) {
        self.batchSize = max(1, batchSize)
        self.batchCount = (exampleCount + self.batchSize - 1) / self.batchSize
        self.featureCount = featureCount
        self.features = [Float](repeating: 0, count: self.batchSize * featureCount)
        self.labels = [Int32](repeating: 0, count: self.batchSize)
        self.order = Array(0..<exampleCount)
        self.generator = SeededGenerator(seed: seed)
    }

    /// Reorders the examples for a new epoch (Fisher–Yates).
    public mutating func shuffle() {
        order.withUnsafeMutableBufferPointer { order in
            var i = order.count - 1
            while i > 0 {
                let j = Self.uniform(below: UInt64(i + 1), using: &generator)
                order.swapAt(i, Int(j))
                i -= 1
            }
        }
    }

    /// Gathers batch `index` of the current order from `dataset` into
    /// ``features``/``labels`` and returns its number of rows.
    public mutating func load(_ index: Int, from dataset: ImageDataset) -> Int {
        let start = index * batchSize
        let rows = max(0, min(batchSize, order.count - start))
        let width = featureCount
        features.withUnsafeMutableBufferPointer { out in
            labels.withUnsafeMutableBufferPointer { outLabels in
                dataset.images.withUnsafeBufferPointer { images in
                    dataset.labels.withUnsafeBufferPointer { allLabels in
                        order.withUnsafeBufferPointer { order in
                            for r in 0..<rows {
                                let example = order[start + r]
                                (out.baseAddress! + r * width).update(from: images.baseAddress! + example * width, count: width)
                                outLabels[r] = allLabels[example]
                            }
                        }
                    }
                }
            }
        }
        return rows
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject; unbiased).
    static func uniform(below bound: UInt64, using generator: inout SeededGenerator) -> UInt64 {
        var product = generator.next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = generator.next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }
}
