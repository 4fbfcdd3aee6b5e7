import Foundation
import NotebookSupport
import Quant
import Testing
import TestSupport

/// `notebook-mini3 --quick`, run as a user runs it, on the real MNIST found
/// the way the notebook finds it (`$QUANT_DATA` in CI, else the per-user cache).
@Suite(.serialized) struct Mini3Tests {
    /// The first run may train the quick FP32 model and the second load it;
    /// the terminal says which, the exports do not, so they repeat byte for byte.
    static let harness = NotebookHarness(
        "notebook-mini3", figures: ["ste", "calibration_ranges", "calibration_images", "qat_curves", "step_sizes", "weights_on_grid"], exportsRepeat: true)

    @Test func quickRunCalibratesTrainsAndRepeats() throws {
        let checkpoints = try TemporaryDirectory("mini3-checkpoints")
        defer { checkpoints.remove() }
        try Self.harness.checkQuickRun(["--checkpoints", checkpoints.url.path]) { run in
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
            // On 1,000 images one prediction is 0.1 point; the quick QAT models are weak, so W4A4 moves more.
            for (key, gap) in try #require(results[Mini3Results.integerOnlyGapPoints]) {
                #expect(abs(gap) <= (key.contains("w4a4") ? 3 : 0.5), "integer-only \(key) is \(gap) points from its fake-quantized model")
            }
            try checkQuantPredict(checkpoints: checkpoints.url)
        } rerun: { first, second in
            #expect(second.results[Mini3Results.qatAccuracy] == first.results[Mini3Results.qatAccuracy])
            #expect(second.results[Mini3Results.staticAccuracy] == first.results[Mini3Results.staticAccuracy])
        }
    }

    /// `quant predict` reruns a saved integer-only model on the test images with
    /// the notebook's accuracy, writes its logits and raw codes, and refuses bad input.
    private func checkQuantPredict(checkpoints: URL) throws {
        let quant = try BuiltProduct("quant")
        let mnist = try DataStore().load(.mnist).folder
        let images = mnist.appendingPathComponent(DatasetKind.fileNames[2]).path, labels = mnist.appendingPathComponent(DatasetKind.fileNames[3]).path
        let model = checkpoints.appendingPathComponent("mini3-mnist-static-w8a8.safetensors")
        let logits = checkpoints.appendingPathComponent("logits.npy"), raw = checkpoints.appendingPathComponent("raw.npy")
        let run = try quant.run(["predict", model.path, "--images", images, "--labels", labels, "-o", logits.path, "--raw", raw.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("of 10000 images"), "\(run.stdout)")
        #expect(try NPYArray(contentsOf: logits).shape == [10000, 10])
        #expect(try NPYArray(contentsOf: raw).shape == [10000, 10])

        // A float model has no raw codes; a truncated model and images of the wrong size are one-line errors.
        let float = checkpoints.appendingPathComponent("float.safetensors")
        try Sequential.mlp(sizes: [784, 16, 10], seed: 1).checkpoint(metadata: Normalization(mean: 0.1307, standardDeviation: 0.3081).metadata).write(to: float)
        let refused = try quant.run(["predict", float.path, "--images", images, "--raw", raw.path])
        #expect(refused.status != 0 && refused.stderr.contains("--raw writes the uint8 output codes of an integer-only model"), "\(refused.stderr)")
        let truncated = checkpoints.appendingPathComponent("truncated.safetensors")
        try Data(try Data(contentsOf: model).prefix(1000)).write(to: truncated)
        let broken = try quant.run(["predict", truncated.path, "--images", images])
        #expect(broken.status != 0 && broken.stderr.hasPrefix("quant: error:") && broken.stderr.split(separator: "\n").count == 1, "\(broken.stderr)")
        let small = try Sequential.mlp(sizes: [100, 10], seed: 1)
        try small.checkpoint(metadata: Normalization(mean: 0, standardDeviation: 1).metadata).write(to: float)
        let wrongSize = try quant.run(["predict", float.path, "--images", images])
        #expect(wrongSize.status != 0 && wrongSize.stderr.contains("the model takes 100 pixels per image"), "\(wrongSize.stderr)")
    }

    @Test func unknownDatasetIsRejected() throws {
        try Self.harness.expectRejected(["--dataset", "cifar"], message: "unknown dataset 'cifar'")
    }
}
