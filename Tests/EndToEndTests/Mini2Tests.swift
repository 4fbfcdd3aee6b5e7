import Foundation
import Testing
import TestSupport

/// `notebook-mini2 --quick`, run as a user runs it, on the real MNIST found
/// the way the notebook finds it (`$QUANT_DATA` in CI, else the per-user cache).
@Suite(.serialized) struct Mini2Tests {
    static let figures = ["samples", "training_curves", "changed_predictions", "confusion_matrices", "weight_histograms"]

    /// One quick run checked in full, then a second one (which loads the
    /// FP32 model from the checkpoint cache) that must draw the same figures
    /// and reach the same accuracies.
    @Test func quickRunTrainsQuantizesAndRepeats() throws {
        let first = try TemporaryDirectory("mini2-a"), second = try TemporaryDirectory("mini2-b")
        defer { first.remove(); second.remove() }
        let product = try BuiltProduct("notebook-mini2")
        let run = try product.run(["--quick", "--output", first.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")

        for text in ["The data: MNIST", "60,000 images of 28×28", "235,146 parameters",
                     "checkpoint cache", "per-tensor weight scale s_w = max|W| / 127.5",
                     "activation zero-point z_x", "same as Quant's MinMaxObserver (QuantParams, quint8): true",
                     "int8 per-channel", "logits of 8 images bit-identical: true", "What this run found", "Saved"] {
            #expect(run.stdout.contains(text), "stdout lacks '\(text)'")
        }
        let folder = first.url.appendingPathComponent("mini2")
        for name in Self.figures {
            let png = try Data(contentsOf: folder.appendingPathComponent("\(name).png"))
            #expect(PNGCheck.size(png) != nil, "\(name).png is not a PNG")
        }
        let results = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("results.json"))) as? [String: Any])
        #expect(results["completed"] as? Bool == true)
        let fp32 = try #require(results["fp32_accuracy"] as? Double)
        let int8 = try #require(results["int8_accuracy"] as? [String: Double])
        #expect(fp32 > 0.8, "quick FP32 accuracy \(fp32)")
        for key in ["per_tensor", "per_channel"] {
            let accuracy = try #require(int8[key])
            #expect(abs(accuracy - fp32) <= 0.005, "\(key) int8 \(accuracy) vs FP32 \(fp32)")
        }
        let fp32Bytes = try #require(results["fp32_bytes"] as? Int)
        let int8Bytes = try #require((results["int8_bytes"] as? [String: Int])?["per_tensor"])
        #expect(Double(fp32Bytes) / Double(int8Bytes) > 3.85)
        #expect(results["epochs"] as? Int == 2)
        #expect((results["epoch_seconds"] as? Double ?? 0) > 0)
        #expect(results["fc1_activation_matches_observer"] as? Bool == true)
        #expect(results["kernels_agree"] as? Bool == true)

        let again = try product.run(["--quick", "--output", second.path])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(again.stdout.contains("Loaded from the checkpoint cache"))
        for name in Self.figures {
            for ext in ["png", "svg"] {
                let a = try Data(contentsOf: folder.appendingPathComponent("\(name).\(ext)"))
                let b = try Data(contentsOf: second.url.appendingPathComponent("mini2/\(name).\(ext)"))
                #expect(a == b, "\(name).\(ext) differs between two runs with the same seed")
            }
        }
        let repeated = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: second.url.appendingPathComponent("mini2/results.json"))) as? [String: Any])
        #expect(repeated["fp32_accuracy"] as? Double == fp32)
        #expect(repeated["int8_accuracy"] as? [String: Double] == int8)
    }

    @Test func unusableCheckpointFolderIsAClearError() throws {
        let dir = try TemporaryDirectory("mini2-bad")
        defer { dir.remove() }
        let file = dir.url.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let run = try BuiltProduct("notebook-mini2").run(["--quick", "--output", dir.path, "--checkpoints", file.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("checkpoint folder"), "stderr: \(run.stderr)")
        #expect(!run.stdout.contains("[1]"), "cells ran despite the bad folder")
    }

    @Test func unknownDatasetIsRejected() throws {
        let run = try BuiltProduct("notebook-mini2").run(["--dataset", "cifar"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("unknown dataset 'cifar'"), "stderr: \(run.stderr)")
    }
}
