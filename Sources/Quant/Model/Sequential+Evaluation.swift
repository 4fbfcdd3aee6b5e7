extension Sequential {
    /// The predicted class (arg-max output, ``Classification``) of every
    /// example in `dataset`, computed `batchSize` rows at a time.
    ///
    /// A dynamically quantized layer takes its activation range from each
    /// batch, so a quantized model's predictions can depend on the batch
    /// size (by one rounding step per activation at most).
    public func predictions(for dataset: ImageDataset, batchSize: Int = 1000) throws(ModelError) -> [Int32] {
        try checkInput(dataset)
        var result = [Int32](repeating: 0, count: dataset.count)
        try forEachBatch(of: dataset, batchSize: batchSize) { start, rows, workspace in
            result.withUnsafeMutableBufferPointer {
                Classification.argMax(workspace.output, rows: rows, classes: outputFeatures, into: $0.baseAddress! + start)
            }
        }
        return result
    }

    /// The fraction of `dataset` classified correctly, in [0, 1].
    public func accuracy(on dataset: ImageDataset, batchSize: Int = 1000) throws(ModelError) -> Double {
        Classification.accuracy(try predictions(for: dataset, batchSize: batchSize), labels: dataset.labels)
    }

    /// The outputs (logits) of a `[rows, inputFeatures]` tensor, as `[rows, outputFeatures]`, in one batch.
    public func logits(_ input: Tensor<Float>) throws(ModelError) -> Tensor<Float> {
        let rows = try checkInput(input)
        guard rows > 0 else { return Tensor(unchecked: [0, outputFeatures], scalars: []) }
        let workspace = SequentialWorkspace(self, maxRows: rows)
        try input.scalars.withUnsafeBufferPointer { x throws(ModelError) in
            try forward(x.baseAddress!, rows: rows, workspace: workspace)
        }
        return Tensor(unchecked: [rows, outputFeatures], scalars: Array(UnsafeBufferPointer(start: workspace.output, count: rows * outputFeatures)))
    }

    /// What each layer receives for a `[rows, inputFeatures]` batch: element
    /// `i` is layer `i`'s input, `[rows, layers[i].inputFeatures]`. The
    /// capture hook for calibration, inspection and tests.
    public func layerInputs(_ input: Tensor<Float>) throws(ModelError) -> [Tensor<Float>] {
        let rows = try checkInput(input)
        guard rows > 0 else { return layers.map { Tensor(unchecked: [0, $0.inputFeatures], scalars: []) } }
        let workspace = SequentialWorkspace(self, maxRows: rows)
        var inputs = [Tensor<Float>]()
        try input.scalars.withUnsafeBufferPointer { x throws(ModelError) in
            try forward(x.baseAddress!, rows: rows, workspace: workspace) { i, layerInput in
                inputs.append(Tensor(unchecked: [rows, layers[i].inputFeatures], scalars: Array(layerInput)))
            }
        }
        return inputs
    }

    /// Runs `dataset` through the model `batchSize` rows at a time, calling
    /// `body(firstRow, rows, workspace)` after each batch and `observe` with
    /// each layer's input during it.
    func forEachBatch(of dataset: ImageDataset, batchSize: Int,
                      observe: ((_ layer: Int, _ input: UnsafeBufferPointer<Float>) throws(ModelError) -> Void)? = nil,
                      _ body: (_ start: Int, _ rows: Int, _ workspace: SequentialWorkspace) throws(ModelError) -> Void)
        throws(ModelError) {
        let batch = max(1, min(batchSize, max(dataset.count, 1)))
        let workspace = SequentialWorkspace(self, maxRows: batch)
        try dataset.images.withUnsafeBufferPointer { images throws(ModelError) in
            guard let base = images.baseAddress else { return }
            for start in stride(from: 0, to: dataset.count, by: batch) {
                let rows = min(batch, dataset.count - start)
                try forward(base + start * inputFeatures, rows: rows, workspace: workspace, observe: observe)
                try body(start, rows, workspace)
            }
        }
    }

    @discardableResult
    private func checkInput(_ input: Tensor<Float>) throws(ModelError) -> Int {
        guard input.rank == 2, input.shape[1] == inputFeatures else {
            throw .inputShape(expectedFeatures: inputFeatures, shape: input.shape)
        }
        return input.shape[0]
    }

    private func checkInput(_ dataset: ImageDataset) throws(ModelError) {
        guard dataset.featureCount == inputFeatures else {
            throw .inputShape(expectedFeatures: inputFeatures, shape: [dataset.count, dataset.featureCount])
        }
    }
}
