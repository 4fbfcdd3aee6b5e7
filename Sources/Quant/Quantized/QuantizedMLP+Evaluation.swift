extension QuantizedMLP {
    /// The predicted class (arg-max logit) of every example in `dataset`,
    /// computed `batchSize` rows at a time (each batch gets its own
    /// activation ranges, so results can depend on the batch size — by a
    /// rounding step at most per activation).
    public func predictions(for dataset: ImageDataset, batchSize: Int = 1000) throws(QuantizedModelError) -> [Int32] {
        guard dataset.featureCount == inputFeatures else {
            throw .inputShape(expectedFeatures: inputFeatures, shape: [dataset.count, dataset.featureCount])
        }
        let batch = max(1, batchSize)
        let workspace = QuantizedMLPWorkspace(sizes: sizes, maxRows: batch)
        var result = [Int32](repeating: 0, count: dataset.count)
        let classes = classCount
        try dataset.images.withUnsafeBufferPointer { images throws(QuantizedModelError) in
            guard let base = images.baseAddress else { return }
            for start in stride(from: 0, to: dataset.count, by: batch) {
                let rows = min(batch, dataset.count - start)
                _ = try forward(base + start * inputFeatures, rows: rows, workspace: workspace)
                result.withUnsafeMutableBufferPointer {
                    Classification.argMax(workspace.logits, rows: rows, classes: classes, into: $0.baseAddress! + start)
                }
            }
        }
        return result
    }

    /// The fraction of `dataset` classified correctly, in [0, 1].
    public func accuracy(on dataset: ImageDataset, batchSize: Int = 1000) throws(QuantizedModelError) -> Double {
        Classification.accuracy(try predictions(for: dataset, batchSize: batchSize), labels: dataset.labels)
    }

    /// The logits of a `[rows, inputFeatures]` tensor (one batch), as
    /// `[rows, classCount]`, with the activation scale and zero-point each
    /// layer used for it.
    public func logits(_ input: Tensor<Float>) throws(QuantizedModelError)
        -> (logits: Tensor<Float>, activations: [DynamicActivationQuantizer.Parameters]) {
        guard input.rank == 2, input.shape[1] == inputFeatures else {
            throw .inputShape(expectedFeatures: inputFeatures, shape: input.shape)
        }
        let rows = input.shape[0]
        let workspace = QuantizedMLPWorkspace(sizes: sizes, maxRows: rows)
        let used = try input.scalars.withUnsafeBufferPointer { x throws(QuantizedModelError) in
            try forward(x.baseAddress ?? UnsafePointer(workspace.logits), rows: rows, workspace: workspace)
        }
        let logits = Array(UnsafeBufferPointer(start: workspace.logits, count: rows * classCount))
        return (Tensor(unchecked: [rows, classCount], scalars: logits), used)
    }
}
