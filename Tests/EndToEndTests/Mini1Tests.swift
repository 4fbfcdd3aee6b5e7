import Foundation
import NotebookSupport
import Testing
import TestSupport

/// `notebook-mini1 --quick`, run as a user runs it, and what it writes.
@Suite(.serialized) struct Mini1Tests {
    static let harness = NotebookHarness(
        "notebook-mini1", figures: figureSizes.map(\.name), exportsRepeat: true)

    /// Each figure, in the order the cells draw them, and its size in pixels:
    /// two panels side by side, or one.
    static let figureSizes: [(name: String, width: Int, height: Int)] = [
        ("error_sawtooth", 1500, 660), ("max_error_vs_bits", 1500, 660), ("sqnr_vs_bits", 1500, 660), ("staircase", 1500, 660),
        ("clipping_histogram", 1500, 660), ("clipping_mse", 960, 720), ("per_channel_sqnr", 960, 720),
    ]

    @Test func quickRunNarratesWritesEveryFileAndRepeats() throws {
        try Self.harness.checkQuickRun { run in
            // The narration: numbered cells with their titles and the numbers behind the prose.
            for text in ["[1]", "A worked example: seven values, 8 bits", "zero-point = 0 − round(−1.8 / scale)", "seed = 2026",
                         "Checking |x − x̂| ≤ s/2", "SQNR 8b (dB)", "codes used by the bulk", "Three ways to round at a tie"] {
                #expect(run.stdout.contains(text), "stdout lacks '\(text)'")
            }
            for (name, width, height) in Self.figureSizes {
                let size = try #require(PNGCheck.size(try run.data("\(name).png")))
                #expect(size.width == width && size.height == height, "\(name).png is \(size)")
            }

            // results.json: the numbers the write-up reads, and the claims they back.
            let results = run.results
            #expect(results[Mini1Results.exampleZeroPoint] == 106)
            let ratio = try #require(results[Mini1Results.boundCheckMaxErrorOverScale])
            #expect(ratio > 0.45 && ratio <= 0.5 + 1e-6, "max error is \(ratio) steps, not within s/2")
            #expect(results[Mini1Results.zeroErrorIntegerZeroPoint] == 0)
            let sqnr = try #require(results[Mini1Results.sweepSQNR("uniform_affine")])
            #expect(sqnr.count == 16)
            expectClose((sqnr[11] - sqnr[3]) / 8, 6.02, atol: 0.2, "uniform SQNR dB per bit")
            let perChannel = try #require(results[Mini1Results.perChannelRowSQNR])
            let perTensor = try #require(results[Mini1Results.perTensorRowSQNR])
            #expect(perChannel[0] > perTensor[0] + 20)
            // §4's formula predicts the measured 8-bit SQNR; §5 counts 4 of 4 and 7 of 8 codes reached.
            let predicted = try #require(results[Mini1Results.predictedSQNR8Bit])
            for (i, key) in ["uniform_affine", "gaussian_affine", "laplace_affine"].enumerated() {
                expectClose(predicted[i], try #require(results[Mini1Results.sweepSQNR(key)])[7], atol: 0.5, "\(key) predicted 8-bit SQNR")
            }
            #expect(results[Mini1Results.staircaseLevelsReached] == [4, 7])
            // §6: the best clipping threshold for a standard Gaussian bulk lies between 3 and 5 σ.
            let clip = try #require(results[Mini1Results.bestClipBulk])
            #expect(clip > 3 && clip < 5, "best clip \(clip)")
        }
    }

    @Test func unusableOutputFolderIsAClearError() throws {
        try Self.harness.expectUnusableFolderRejected(flag: "--output", message: "output folder")
    }

    @Test func unknownFlagIsRejected() throws {
        try Self.harness.expectRejected(["--bits", "9"], message: "--bits")
    }
}
