import Testing
@testable import Quant

/// A Predictor reuses one workspace across calls: its logits and classes
/// are those of the model's own entry points, call after call, and a batch
/// it was not made for is a clear error.
@Suite struct PredictorTests {
    @Test(arguments: [false, true])
    func logitsAndClassesMatchTheModelOnEveryCall(quantized: Bool) throws {
        let float = try Sequential.mlp(sizes: [20, 12, 6], seed: 2)
        let model = quantized ? try float.quantized(with: DynamicQuantization.perChannel) : float
        let predictor = Predictor(model, maxRows: 8)
        var g = SeededGenerator(seed: 3)
        var classes: [Int32] = []
        // Batches of different sizes, larger then smaller, through the same buffers.
        for rows in [8, 3, 1, 8] {
            let batch = Distribution.normal(mean: 0, standardDeviation: 1).samples(rows * 20, using: &g)
            let expected = try model.logits(Tensor(shape: [rows, 20], scalars: batch))
            #expect(Array(try predictor.logits(batch)) == expected.scalars)
            try predictor.classes(batch, into: &classes)
            let images = try ImageDataset(images: batch, labels: [Int32](repeating: 0, count: rows), imageRows: 4, imageColumns: 5, classCount: 6)
            #expect(classes == (try model.predictions(for: images)))
        }
        #expect(try predictor.logits([Float]()).isEmpty, "an empty batch has no logits")
    }

    @Test func batchesItWasNotMadeForAreErrors() throws {
        let predictor = Predictor(try Sequential.mlp(sizes: [4, 3], seed: 1), maxRows: 2)
        #expect(throws: ModelError.batchTooLarge(rows: 3, maxRows: 2)) { try predictor.logits([Float](repeating: 0, count: 12)) }
        #expect(throws: ModelError.inputShape(expectedFeatures: 4, shape: [6])) { try predictor.logits([Float](repeating: 0, count: 6)) }
        #expect(ModelError.batchTooLarge(rows: 3, maxRows: 2).description == "a batch of 3 rows; this predictor was made for at most 2")
    }
}
