extension MLP {
    /// The predicted class (arg-max logit) of every example in `dataset`,
    /// computed `batchSize` rows at a time.
    public func predictions(for dataset: ImageDataset, batchSize: Int = 1000) -> [Int32] {
        let batch = max(1, batchSize)
        let workspace = MLPWorkspace(sizes: sizes, maxRows: batch)
        var result = [Int32](repeating: 0, count: dataset.count)
        let classes = classCount
        dataset.images.withUnsafeBufferPointer { images in
            guard let base = images.baseAddress else { return }
            for start in stride(from: 0, to: dataset.count, by: batch) {
                let rows = min(batch, dataset.count - start)
                forward(base + start * inputFeatures, rows: rows, workspace: workspace)
                result.withUnsafeMutableBufferPointer {
                    Classification.argMax(workspace.logits, rows: rows, classes: classes, into: $0.baseAddress! + start)
                }
            }
        }
        return result
    }

    /// The fraction of `dataset` classified correctly, in [0, 1].
    public func accuracy(on dataset: ImageDataset, batchSize: Int = 1000) -> Double {
        Classification.accuracy(predictions(for: dataset, batchSize: batchSize), labels: dataset.labels)
    }

    /// The logits of a `[rows, inputFeatures]` tensor, as `[rows, classCount]`.
    public func logits(_ input: Tensor<Float>) throws(ModelError) -> Tensor<Float> {
        guard input.rank == 2, input.shape[1] == inputFeatures else {
            throw .inputShape(expectedFeatures: inputFeatures, shape: input.shape)
        }
        let rows = input.shape[0]
        guard rows > 0 else { return Tensor(unchecked: [0, classCount], scalars: []) }
        let workspace = MLPWorkspace(sizes: sizes, maxRows: rows)
        input.scalars.withUnsafeBufferPointer { forward($0.baseAddress!, rows: rows, workspace: workspace) }
        return Tensor(unchecked: [rows, classCount], scalars: Array(UnsafeBufferPointer(start: workspace.logits, count: rows * classCount)))
    }
}
