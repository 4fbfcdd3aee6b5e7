extension Sequential {
    /// The model converted by `recipe`: every layer that `filter` accepts
    /// and the recipe converts is replaced, the others are kept as they are
    /// (mlx-swift's `quantize(model:filter:)`, as a value).
    ///
    /// When the recipe asks for calibrators, `calibration` runs through
    /// this (unconverted) model `batchSize` rows at a time, and each
    /// calibrator sees its layer's input for every batch before the layer
    /// is converted.
    ///
    /// ```swift
    /// let int8 = try model.quantized(with: DynamicQuantization.perChannel)
    /// let lastStaysFloat = try model.quantized(with: DynamicQuantization.perTensor) { index, _ in index < 4 }
    /// ```
    ///
    /// - Throws: ``ModelError/calibrationDataRequired`` when a calibrator is
    ///   needed and `calibration` is `nil`; a recipe's error, located at its layer.
    public func quantized(with recipe: some QuantizationRecipe, calibration: ImageDataset? = nil, batchSize: Int = 256,
                          where filter: (_ index: Int, _ layer: any Layer) -> Bool = { _, _ in true })
        throws(ModelError) -> Sequential {
        let calibrators = layers.enumerated().map { index, layer in
            filter(index, layer) ? recipe.calibrator(for: layer, at: index) : nil
        }
        if calibrators.contains(where: { $0 != nil }) {
            guard let calibration else { throw .calibrationDataRequired }
            try forEachBatch(of: calibration, batchSize: batchSize, observe: { index, input in
                let features = layers[index].inputFeatures
                calibrators[index]?.observe(input, rows: input.count / max(features, 1), features: features)
            }, { _, _, _ in })
        }
        return try mapLayers { (index, layer) throws(ModelError) in
            guard filter(index, layer) else { return nil }
            return try recipe.convert(layer, at: index, calibrated: calibrators[index])
        }
    }
}
