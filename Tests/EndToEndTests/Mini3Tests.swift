import Foundation
import NotebookSupport
import Testing
import TestSupport

/// `notebook-mini3 --quick`, run as a user runs it, on the real MNIST found
/// the way the notebook finds it (`$QUANT_DATA` in CI, else the per-user cache).
@Suite(.serialized) struct Mini3Tests {
    /// Its results.json holds epoch timings, so only the figures must repeat byte for byte.
    static let harness = NotebookHarness(
        "notebook-mini3", figures: ["ste", "calibration_ranges", "calibration_images", "qat_curves", "step_sizes", "weights_on_grid"],
        exportsRepeat: true)

    @Test func quickRunCalibratesTrainsAndRepeats() throws {
        try Self.harness.checkQuickRun { run in
            for text in ["straight-through estimator", "Static PTQ accuracy per calibrator", "best static PTQ",
                         "best QAT method", "McNemar", "FP32 control"] {
                #expect(run.stdout.contains(text), "stdout lacks '\(text)'")
            }
            let results = run.results
            let fp32 = try #require(results[Mini3Results.fp32Accuracy])
            let qat = try #require(results[Mini3Results.qatAccuracy])
            let ptq = try #require(results[Mini3Results.staticAccuracy])
            for config in ["W8A8", "W4A8", "W4A4"] {
                for method in ["ste", "lsq", "pact"] {
                    let accuracy = try #require(qat[config]?[method], "\(config) \(method)")
                    #expect(accuracy > fp32 - 0.05, "\(config) \(method) QAT \(accuracy) vs FP32 \(fp32)")
                }
                #expect(ptq[config]?["min-max"] ?? 0 > fp32 - 0.05)
            }
            // The W8A8 fake-quantized model starts within a few images of FP32.
            expectClose(try #require(results[Mini3Results.qatStartAccuracy]?["W8A8"]?["ste"]), fp32, atol: 0.01)
            #expect(results[Mini3Results.qatEpochs] == 1)
        } rerun: { first, second in
            #expect(second.results[Mini3Results.qatAccuracy] == first.results[Mini3Results.qatAccuracy])
            #expect(second.results[Mini3Results.staticAccuracy] == first.results[Mini3Results.staticAccuracy])
        }
    }

    @Test func unknownDatasetIsRejected() throws {
        try Self.harness.expectRejected(["--dataset", "cifar"], message: "unknown dataset 'cifar'")
    }
}
