import Foundation
import NotebookSupport
import Testing
import TestSupport

/// `notebook-mini1 --quick`, run as a user runs it, and what it writes.
@Suite(.serialized) struct Mini1Tests {
    static let harness = NotebookHarness(
        "notebook-mini1", figures: ["error_histogram", "max_error_vs_bits", "sqnr_vs_bits", "staircase", "per_channel_sqnr"],
        exportsRepeat: true)

    @Test func quickRunNarratesWritesEveryFileAndRepeats() throws {
        try Self.harness.checkQuickRun { run in
            // The narration: numbered cells with their titles and the numbers behind the prose.
            for text in ["[1]", "A worked example: seven values, 8 bits", "zero-point = 0 − round(−1.8 / scale)",
                         "Checking |x − x̂| ≤ s/2", "SQNR 8b (dB)", "codes used by the bulk", "Three ways to round at a tie"] {
                #expect(run.stdout.contains(text), "stdout lacks '\(text)'")
            }
            for name in Self.harness.figures {
                let size = try #require(PNGCheck.size(try run.data("\(name).png")))
                #expect(size.width == 960 && size.height == 720, "\(name).png is \(size)")
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
        }
    }

    @Test func unusableOutputFolderIsAClearError() throws {
        try Self.harness.expectUnusableFolderRejected(flag: "--output", message: "output folder")
    }

    @Test func unknownFlagIsRejected() throws {
        try Self.harness.expectRejected(["--bits", "9"], message: "--bits")
    }
}
