import Foundation
import Testing
import TestSupport

/// `notebook-mini1 --quick`, run as a user runs it, and what it writes.
@Suite(.serialized) struct Mini1Tests {
    static let figures = ["error_histogram", "max_error_vs_bits", "sqnr_vs_bits", "staircase", "per_channel_sqnr"]

    @Test func quickRunNarratesAndWritesEveryFile() throws {
        let dir = try TemporaryDirectory("mini1")
        defer { dir.remove() }
        let run = try BuiltProduct("notebook-mini1").run(["--quick", "--output", dir.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")

        // The narration: numbered cells with their titles and the numbers behind the prose.
        for text in ["[1]", "A worked example: seven values, 8 bits", "zero-point = 0 − round(−1.8 / scale)",
                     "Checking |x − x̂| ≤ s/2", "SQNR 8b (dB)", "codes used by the bulk", "Three ways to round at a tie",
                     "Saved"] {
            #expect(run.stdout.contains(text), "stdout lacks '\(text)'")
        }

        let folder = dir.url.appendingPathComponent("mini1")
        for name in Self.figures {
            let png = try Data(contentsOf: folder.appendingPathComponent("\(name).png"))
            let size = try #require(PNGCheck.size(png), "\(name).png is not a PNG")
            #expect(size.width == 960 && size.height == 720, "\(name).png is \(size)")
            let svg = try String(contentsOf: folder.appendingPathComponent("\(name).svg"), encoding: .utf8)
            #expect(svg.hasPrefix("<?xml") && svg.contains("<svg"))
        }

        // results.json: the numbers the write-up reads, and the claims they back.
        let results = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("results.json"))) as? [String: Any])
        #expect(results["completed"] as? Bool == true)
        #expect(results["quick"] as? Bool == true)
        #expect(results["example_zero_point"] as? Int == 106)
        let ratio = try #require(results["bound_check_max_error_over_scale"] as? Double)
        #expect(ratio > 0.45 && ratio <= 0.5 + 1e-6, "max error is \(ratio) steps, not within s/2")
        #expect(results["zero_error_integer_zero_point"] as? Double == 0)
        let sqnr = try #require(results["sweep_sqnr_db_uniform_affine"] as? [Double])
        #expect(sqnr.count == 16)
        let slope = (sqnr[11] - sqnr[3]) / 8
        #expect(abs(slope - 6.02) < 0.2, "uniform SQNR grows \(slope) dB/bit")
        let perChannel = try #require(results["per_channel_row_sqnr_db"] as? [Double])
        let perTensor = try #require(results["per_tensor_row_sqnr_db"] as? [Double])
        #expect(perChannel[0] > perTensor[0] + 20)

        // The Jupyter export: nbformat 4, markdown and code cells, figures embedded as PNG.
        let notebook = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("mini1.ipynb"))) as? [String: Any])
        #expect(notebook["nbformat"] as? Int == 4)
        let cells = try #require(notebook["cells"] as? [[String: Any]])
        #expect(Set(cells.compactMap { $0["cell_type"] as? String }) == ["markdown", "code"])
        let images = cells.flatMap { ($0["outputs"] as? [[String: Any]]) ?? [] }
            .compactMap { ($0["data"] as? [String: Any])?["image/png"] as? String }
        #expect(images.count == Self.figures.count)
        for image in images {
            #expect(PNGCheck.looksLikePNG(try #require(Data(base64Encoded: image))))
        }
        let markdown = try String(contentsOf: folder.appendingPathComponent("mini1.md"), encoding: .utf8)
        for name in Self.figures { #expect(markdown.contains("(\(name).png)")) }
    }

    @Test func rerunGivesIdenticalFiles() throws {
        let first = try TemporaryDirectory("mini1-a"), second = try TemporaryDirectory("mini1-b")
        defer { first.remove(); second.remove() }
        let product = try BuiltProduct("notebook-mini1")
        for dir in [first, second] {
            let run = try product.run(["--quick", "--output", dir.path])
            #expect(run.status == 0, "stderr: \(run.stderr)")
        }
        let names = try first.files(in: "mini1").filter { $0 != "results.json" }   // results.json holds timings
        #expect(names == (try second.files(in: "mini1")).filter { $0 != "results.json" })
        #expect(names.count == 2 * Self.figures.count + 2)
        for name in names {
            let a = try Data(contentsOf: first.url.appendingPathComponent("mini1/\(name)"))
            let b = try Data(contentsOf: second.url.appendingPathComponent("mini1/\(name)"))
            #expect(a == b, "\(name) differs between two runs with the same seed")
        }
    }

    @Test func unusableOutputFolderIsAClearError() throws {
        let dir = try TemporaryDirectory("mini1-bad")
        defer { dir.remove() }
        let file = dir.url.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let run = try BuiltProduct("notebook-mini1").run(["--quick", "--output", file.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("output folder"), "stderr: \(run.stderr)")
        #expect(!run.stdout.contains("[1]"), "cells ran despite the bad folder")
    }

    @Test func unknownFlagIsRejected() throws {
        let run = try BuiltProduct("notebook-mini1").run(["--bits", "9"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--bits"))
    }
}
