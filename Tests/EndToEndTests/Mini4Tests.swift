import Foundation
import NotebookSupport
import Quant
import Testing
import TestSupport

/// `notebook-mini4 --quick`, run as a user runs it, on the real MNIST found
/// the way the notebook finds it (`$QUANT_DATA` in CI, else the per-user cache).
@Suite(.serialized) struct Mini4Tests {
    static let harness = NotebookHarness(
        "notebook-mini4", figures: ["bits_granularity", "weights_activations", "qat_gain", "pareto"], exportsRepeat: true)

    @Test func quickRunSweepsTrainsPacksAndRepeats() throws {
        try Self.harness.checkQuickRun { run in
            for text in ["the short last group", "Weight-only PTQ", "FP32 control", "Pareto", "round trip: every layer"] {
                #expect(run.stdout.contains(text), "stdout lacks '\(text)'")
            }
            let results = run.results
            let fp32 = try #require(results[Mini4Results.fp32Accuracy]?["mnist"])
            let sweep = try #require(results[Mini4Results.weightOnlyAccuracy]?["mnist"])
            // 8-bit weights are within a few of the 1,000 test images of FP32 at every granularity.
            for (granularity, accuracy) in try #require(sweep["8"]) {
                #expect(abs(accuracy - fp32) <= 0.005, "8-bit \(granularity): \(accuracy) vs FP32 \(fp32)")
            }
            // Per-tensor binary weights lose most of the model; finer scales never lose much more than noise.
            #expect(try #require(sweep["binary"]?["per-tensor"]) < fp32 - 0.05)
            for grid in ["4", "2", "binary"] {
                let perChannel = try #require(sweep[grid]?["per-channel"]), g32 = try #require(sweep[grid]?["g32"])
                #expect(g32 >= perChannel - 0.02, "\(grid): g32 \(g32) vs per-channel \(perChannel)")
            }
            // QAT recovers at least as much as the best PTQ loses at 2 bits and binary, and beats it.
            let gains = try #require(results[Mini4Results.qatGainPoints]?["mnist"])
            #expect(try #require(gains["binary"]) > 0)
            let packed = try #require(results[Mini4Results.packedBytes])
            let fp32Bytes = try #require(results[Mini4Results.fp32Bytes])
            let four = try #require(packed["4-bit per-channel"]), binary = try #require(packed["binary per-channel"])
            #expect(four["codes"] == Double(fp32Bytes - 394 * 4) / 8, "4-bit codes: half a byte per weight")
            #expect(binary["codes"] == Double(fp32Bytes - 394 * 4) / 32, "binary codes: an eighth of a byte per weight")
            #expect(!(try #require(results[Mini4Results.paretoFront])).isEmpty)
            // Deployed on the low-bit kernels, the QAT models keep their accuracy (activations now uint8 per batch)
            // and their files shrink with the bits.
            let deployed = try #require(results[Mini4Results.deployedAccuracy]), files = try #require(results[Mini4Results.checkpointBytes])
            let qat4 = try #require(results[Mini4Results.qatAccuracy]?["mnist"]?["4"]?.values.max())
            #expect(abs(try #require(deployed["qat-4"]) - qat4) <= 0.01)
            #expect(try #require(files["qat-binary"]) < #require(files["qat-2"]))
            #expect(try #require(files["qat-2"]) < #require(files["qat-4"]))
            #expect(try #require(files["qat-4"]) < #require(files["int8"]))
            #expect(try #require(files["int8"]) < #require(files["fp32"]))
            #expect(try #require(results[Mini4Results.gemvMicroseconds]).keys.sorted() == ["fp32", "int2", "int4", "int8"])
            // The ONNX files hold the same packed codes, so they are within a few KiB of the checkpoints —
            // but for binary, which ONNX (no 1-bit type) stores as INT2: twice its code bytes.
            let onnx = try #require(results[Mini4Results.onnxBytes])
            for (model, bytes) in files where model != "qat-binary" {
                #expect(abs(try #require(onnx[model]) - bytes) < 4096, "\(model): ONNX \(onnx[model] ?? 0) vs \(bytes)")
            }
            #expect(try #require(onnx["qat-binary"]) == #require(onnx["qat-2"]))
        } rerun: { first, second in
            #expect(second.results[Mini4Results.weightOnlyAccuracy] == first.results[Mini4Results.weightOnlyAccuracy])
            #expect(second.results[Mini4Results.qatAccuracy] == first.results[Mini4Results.qatAccuracy])
        }
    }
}
