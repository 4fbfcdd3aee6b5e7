import Foundation
import Testing
import TestSupport

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
