import Foundation
import Notebook
import NotebookSupport
import Testing
import TestSupport
@testable import notebooks

/// `notebooks`, the runner of every notebook: its run of mini1, `--list`
/// read from that run, `--topic` narrating from one topic on, and its errors.
@Suite(.serialized) struct NotebooksRunnerTests {
    @Test func runsListsAndJumpsToATopic() throws {
        let runner = try BuiltProduct("notebooks")
        let directory = try TemporaryDirectory("notebooks")
        defer { directory.remove() }

        let run = try runner.run(["--quick", "--only", "mini1", "--output", directory.path])
        #expect(run.status == 0, "notebooks failed: \(run.stderr)")
        #expect(run.stdout.contains("▶ [1/1] notebook-mini1 → \(directory.path)/mini1/"))
        #expect(run.stdout.contains("A worked example: seven values, 8 bits"), "the notebook's narration is not passed through")
        #expect(try directory.files(in: "mini1").contains("mini1.ipynb"))
        try checkReport(in: directory.url, runner: runner)

        // --list: every "## " section of the run just made, numbered as --topic counts them, with its code cells.
        let list = try runner.run(["--list", "--only", "mini1", "--output", directory.path])
        #expect(list.status == 0, "--list failed: \(list.stderr)")
        let topics = list.stdout.split(separator: "\n").filter { $0.hasPrefix("mini1:") }
        #expect(topics.first == "mini1:1  1. Scale and zero-point from a tensor's range")
        #expect(topics.contains("mini1:5  5. The staircase"))
        #expect(list.stdout.contains("          · Input vs dequantized output at 2 and 3 bits"))

        // --topic: the cells before topic 5 run silently; narration starts at its heading.
        let topic = try runner.run(["--topic", "mini1:5", "--quick", "--output", directory.path])
        #expect(topic.status == 0, "--topic failed: \(topic.stderr)")
        #expect(topic.stdout.contains("5. The staircase"))
        #expect(topic.stdout.contains("Input vs dequantized output at 2 and 3 bits"))
        #expect(!topic.stdout.contains("A worked example: seven values, 8 bits"), "a cell before the topic was narrated")
        #expect(try directory.files(in: "mini1").contains("staircase.png"), "the silent cells must still run and write")

        let pastTheEnd = try runner.run(["--topic", "mini1:\(topics.count + 1)", "--quick", "--output", directory.path])
        #expect(pastTheEnd.status != 0)
        #expect(pastTheEnd.stderr.contains("this notebook has \(topics.count) topics"), "stderr: \(pastTheEnd.stderr)")
    }

    /// The write-up of that run: mini1's section filled from its results.json, the
    /// others marked missing, figures inlined in the HTML, the README block rewritten,
    /// and a rerun writing the same bytes.
    private func checkReport(in directory: URL, runner: BuiltProduct) throws {
        let report = try String(contentsOf: directory.appendingPathComponent("REPORT.md"), encoding: .utf8)
        let results = try NotebookResults(contentsOf: directory.appendingPathComponent("mini1/results.json"))
        let scale = try #require(results[Mini1Results.exampleScale])
        #expect(report.contains("## 1. The affine quantizer"))
        #expect(report.contains("the scale is s = \(fixed(scale, 6))"), "mini1's numbers come from its results.json")
        #expect(report.contains("(`mini4` has no complete run under this folder"), "a missing run is said, not filled")
        #expect(report.contains("![Max error against bit-width, measured and predicted (s/2)](mini1/max_error_vs_bits.png)"))
        let html = try String(contentsOf: directory.appendingPathComponent("REPORT.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("src=\"data:image/png;base64,iVBOR"), "figures inlined")
        #expect(!html.contains("src=\"mini1/"), "no image read from disk")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("TIMINGS.md").path))

        let readme = directory.appendingPathComponent("README.md")
        try Data("# Title\n\(Notebooks.headlineBegin)\nold\n\(Notebooks.headlineEnd)\nrest\n".utf8).write(to: readme)
        let again = try runner.run(["--quick", "--only", "mini1", "--output", directory.path, "--readme", readme.path])
        #expect(again.status == 0, "\(again.stderr)")
        let rewritten = try String(contentsOf: readme, encoding: .utf8)
        #expect(rewritten.hasPrefix("# Title\n\(Notebooks.headlineBegin)\n| method |") && rewritten.hasSuffix("\(Notebooks.headlineEnd)\nrest\n"))
        #expect(!rewritten.contains("old"))
        #expect(try String(contentsOf: directory.appendingPathComponent("REPORT.md"), encoding: .utf8) == report, "a rerun rewrites the report byte for byte")

        try Data("no markers\n".utf8).write(to: readme)
        let refused = try runner.run(["--quick", "--only", "mini1", "--output", directory.path, "--readme", readme.path])
        #expect(refused.status != 0 && refused.stderr.contains("has no headline block to rewrite"), "\(refused.stderr)")
    }

    @Test(arguments: [
        (["--only", "mini9"], "no notebook named 'mini9'"),
        (["--topic", "mini3"], "is not NOTEBOOK:N"),
        (["--topic", "mini3:0"], "is not NOTEBOOK:N"),
        (["--list", "--output", "/nonexistent-quant-folder"], "no run of mini1"),
    ])
    func badInputIsAClearError(arguments: [String], message: String) throws {
        let result = try BuiltProduct("notebooks").run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }
}
