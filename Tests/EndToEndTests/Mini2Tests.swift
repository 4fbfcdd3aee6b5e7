import Foundation
import NotebookSupport
import Testing
import TestSupport

/// `notebook-mini2 --quick`, run as a user runs it, on the real MNIST found
/// the way the notebook finds it (`$QUANT_DATA` in CI, else the per-user cache).
@Suite(.serialized) struct Mini2Tests {
    /// Timings and cache hits go to the terminal only (CodeCell.note), so the exports repeat byte for byte too.
    static let harness = NotebookHarness(
        "notebook-mini2", figures: ["samples", "training_curves", "changed_predictions", "confusion_matrices", "weight_histograms",
                                     "activation_histograms", "bit_width_sweep"],
        exportsRepeat: true)

    /// One quick run checked in full, then a second one (which loads the
    /// FP32 model from the checkpoint cache) that must draw the same figures
    /// and reach the same accuracies.
    @Test func quickRunTrainsQuantizesAndRepeats() throws {
        try Self.harness.checkQuickRun { run in
            for text in ["The data: MNIST", "60,000 images of 28×28", "235,146 parameters",
                         "checkpoint cache", "per-tensor weight scale s_w = max|W| / 127.5",
                         "activation zero-point z_x", "same as Quant's MinMaxObserver (QuantParams, quint8): true",
                         "int8 per-channel", "logits of 8 images bit-identical: true", "What this run found"] {
                #expect(run.stdout.contains(text), "stdout lacks '\(text)'")
            }
            let results = run.results
            let fp32 = try #require(results[Mini2Results.fp32Accuracy])
            let int8 = try #require(results[Mini2Results.int8Accuracy])
            #expect(fp32 > 0.8, "quick FP32 accuracy \(fp32)")
            for key in ["per_tensor", "per_channel"] {
                expectClose(try #require(int8[key]), fp32, atol: 0.005, "\(key) int8 against FP32")
            }
            let fp32Bytes = try #require(results[Mini2Results.fp32Bytes])
            let int8Bytes = try #require(results[Mini2Results.int8Bytes]?["per_tensor"])
            #expect(Double(fp32Bytes) / Double(int8Bytes) > 3.85)
            #expect(results[Mini2Results.epochs] == FP32Baseline.quickEpochs)
            #expect(results[Mini2Results.epochSeconds] ?? 0 > 0)
            #expect(results[Mini2Results.fc1ActivationMatchesObserver] == true)
            #expect(results[Mini2Results.kernelsAgree] == true)
            // Folding the normalisation into fc1 makes its input exact up to Float32 rounding.
            #expect(try #require(results[Mini2Results.foldedInputError]) < 1e-6)
            // The fake-quantized sweep reproduces the int8 model, and 2-bit per-tensor weights break it.
            #expect(run.stdout.contains("simulated W8A8 per-tensor and the int8 model differ on 0 of"))
            let sweep = try #require(results[Mini2Results.sweepAccuracy])
            #expect(try #require(sweep["per_tensor_a8"]?.last) < fp32 - 0.05, "W2A8 per-tensor \(sweep["per_tensor_a8"] ?? [])")
            #expect(results[Mini2Results.changedByBatchSize]?["per_tensor"]?.count == 3)
            #expect(results[Mini2Results.mcNemarPValues]?.count == 3)
        } rerun: { first, second in
            #expect(second.stdout.contains("Loaded from the checkpoint cache"))
            #expect(second.results[Mini2Results.fp32Accuracy] == first.results[Mini2Results.fp32Accuracy])
            #expect(second.results[Mini2Results.int8Accuracy] == first.results[Mini2Results.int8Accuracy])
        }
    }

    @Test func unusableCheckpointFolderIsAClearError() throws {
        try Self.harness.expectUnusableFolderRejected(flag: "--checkpoints", message: "checkpoint folder")
    }

    @Test func unknownDatasetIsRejected() throws {
        try Self.harness.expectRejected(["--dataset", "cifar"], message: "unknown dataset 'cifar'")
    }
}
