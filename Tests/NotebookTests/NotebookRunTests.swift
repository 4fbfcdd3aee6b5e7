import Foundation
import Testing
@testable import Notebook
import TestSupport

@Suite struct NotebookRunTests {
    @Test func narrationShowsNumbersTitlesWrappedProseOutputAndTimes() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        try run.runDemo(["--quick"])
        let out = run.stdout
        #expect(out.hasPrefix("A demo notebook\n═══════════════\n"))
        #expect(out.contains("── [1] ──"))
        #expect(out.contains("── [2] Count and scale ──"))
        #expect(out.contains("── [3] A table and a figure ──"))
        #expect(out.contains("── [4] One line ──"))
        // Heading underlined, prose wrapped at 80 columns, inline code kept as `code` in plain text.
        #expect(out.contains("Rounding to a grid\n──────────────────\n"))
        #expect(out.contains("A float `x` is stored as an integer code `q`, and this sentence is long on\npurpose"))
        #expect(out.contains("  • a bold first point\n  • a second point"))
        #expect(out.contains("  x      q\n  ───  ───\n  0.5  128"))
        #expect(out.contains("count = 10\ntotal = 55\n"))
        #expect(out.contains("   x    q\n────  ───\n 0.5  128\n-1.0    0\n"), "numeric columns right-aligned")
        #expect(out.contains("figure \(run.directory.path)/demo/pixel.png (.svg)"))
        #expect(out.contains("Saved \(run.directory.path)/demo/: demo.ipynb, demo.md, results.json, 1 figure (PNG + SVG)"))
        let timings = out.split(separator: "\n").filter { $0.hasPrefix("(") && $0.hasSuffix(" s)") }
        #expect(timings.count == 3)
        #expect(!out.contains("\u{1B}["), "no ANSI escapes when stdout is not a terminal")
        for line in out.split(separator: "\n") where !line.contains(run.directory.path) {
            #expect(line.count <= 80, "line too long: \(line)")
        }
    }

    @Test func resultsJSONHoldsRecordedValuesAndRunFacts() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        try run.runDemo(["--quick", "--seed", "42"])
        let results = try run.json("results.json")
        #expect(results["notebook"] as? String == "demo")
        #expect(results["title"] as? String == "A demo notebook")
        #expect(results["quick"] as? Bool == true)
        #expect(results["completed"] as? Bool == true)
        #expect(results["seed"] as? Int == 42)
        #expect(results["count"] as? Int == 10)
        #expect(results["scale"] as? Double == 0.1, "a Float is written with its shortest digits")
        #expect(results["figures"] as? [String] == ["pixel"])
        let summary = try #require(results["summary"] as? [String: Any])
        #expect(summary["total"] as? Int == 55)
        #expect(summary["bits"] as? [Int] == [1, 2, 3])
        #expect(summary["lossless"] as? String == "Infinity")
        let timings = try #require(results["timings"] as? [String: Any])
        let cells = try #require(timings["cells"] as? [[String: Any]])
        #expect(cells.map { $0["cell"] as? Int } == [2, 3, 4])
        #expect(cells.map { $0["title"] as? String } == ["Count and scale", "A table and a figure", "One line"])
        #expect(cells.allSatisfy { ($0["seconds"] as? Double ?? -1) >= 0 })
        #expect(timings["total_seconds"] is Double)
        // Sorted keys, two-space indent, trailing newline.
        let text = String(decoding: try run.data("results.json"), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"completed\": true,\n  \"count\": 10,\n"))
        #expect(text.hasSuffix("}\n"))
    }

    @Test func ipynbHasNbformat4StructureCodeSourcesAndEmbeddedPNG() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        try run.runDemo(["--quick"])
        let nb = try run.json("demo.ipynb")
        #expect(nb["nbformat"] as? Int == 4)
        #expect(nb["nbformat_minor"] as? Int == 5)
        let metadata = try #require(nb["metadata"] as? [String: Any])
        let kernelspec = try #require(metadata["kernelspec"] as? [String: Any])
        #expect(kernelspec["name"] as? String == "swift")
        #expect(kernelspec["display_name"] as? String == "Swift")
        #expect((metadata["language_info"] as? [String: Any])?["name"] as? String == "swift")

        let cells = try #require(nb["cells"] as? [[String: Any]])
        #expect(cells.map { $0["cell_type"] as? String } == ["markdown", "markdown", "code", "code", "code"])
        for cell in cells {
            #expect(cell["source"] is [String])
            #expect(cell["metadata"] is [String: Any])
            #expect((cell["id"] as? String)?.isEmpty == false)
        }
        #expect((cells[0]["source"] as? [String]) == ["# A demo notebook"])
        #expect((cells[1]["source"] as? [String])?.first == "## Rounding to a grid\n")

        // Code cells carry the Swift source of their closure body, de-indented, and name a kept result.
        let source = (cells[2]["source"] as? [String])?.joined()
        #expect(source == """
            let total = (1...count).reduce(0, +)
            cell.print("count =", count)
            cell.print("total = \\(total)")
            try cell.record("count", count)
            try cell.record("scale", Float(0.1))
            return total
            // this cell's result is `total` in the cells below
            """)
        #expect((cells[4]["source"] as? [String]) == [#"cell.print("done")"#])
        #expect(cells[2]["execution_count"] as? Int == 1)
        #expect(cells[4]["execution_count"] as? Int == 3)

        let stream = try #require((cells[2]["outputs"] as? [[String: Any]])?.first)
        #expect(stream["output_type"] as? String == "stream")
        #expect(stream["name"] as? String == "stdout")
        #expect(stream["text"] as? [String] == ["count = 10\n", "total = 55\n"])

        let outputs = try #require(cells[3]["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["output_type"] as? String } == ["execute_result", "display_data", "display_data"])
        let table = try #require(outputs[0]["data"] as? [String: Any])
        #expect((table["text/markdown"] as? [String])?.joined() == "| x | q |\n| ---: | ---: |\n| 0.5 | 128 |\n| -1.0 | 0 |")
        #expect(outputs[0]["execution_count"] as? Int == 2)
        let image = try #require((outputs[1]["data"] as? [String: Any])?["image/png"] as? String)
        let png = try #require(Data(base64Encoded: image))
        #expect(PNGCheck.looksLikePNG(png))
        #expect(png == (try run.data("pixel.png")))
        // The caption is an output of its own, which nbconvert's HTML shows under
        // the image (it ignores the image's alt metadata).
        let caption = try #require(outputs[2]["data"] as? [String: Any])
        #expect(caption["text/markdown"] as? [String] == ["*One pixel*"])
        #expect(caption["text/plain"] as? [String] == ["One pixel"])
        #expect(((outputs[2]["metadata"] as? [String: Any])?["quant"] as? [String: Any])?["caption_of"] as? String == "pixel")
    }

    @Test func markdownExportHasCodeOutputsAndFigureLinks() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        try run.runDemo(["--quick"])
        let md = String(decoding: try run.data("demo.md"), as: UTF8.self)
        #expect(md.hasPrefix("# A demo notebook\n\n## Rounding to a grid\n"))
        #expect(md.contains("```swift\nlet total = (1...count).reduce(0, +)\n"))
        #expect(md.contains("```text\ncount = 10\ntotal = 55\n```"))
        #expect(md.contains("| x | q |\n| ---: | ---: |\n| 0.5 | 128 |"))
        #expect(md.contains("![One pixel](pixel.png)"))
        #expect(FileManager.default.fileExists(atPath: run.directory.url.appendingPathComponent("demo/pixel.svg").path))
    }

    @Test func rerunIsByteIdenticalExceptTimings() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        try run.runDemo(["--quick"])
        let first = try ["demo.ipynb", "demo.md", "pixel.png", "pixel.svg"].map { try run.data($0) }
        var firstResults = try run.json("results.json")
        try run.runDemo(["--quick"])
        let second = try ["demo.ipynb", "demo.md", "pixel.png", "pixel.svg"].map { try run.data($0) }
        var secondResults = try run.json("results.json")
        #expect(first == second)
        firstResults["timings"] = nil
        secondResults["timings"] = nil
        #expect(NSDictionary(dictionary: firstResults) == NSDictionary(dictionary: secondResults))
    }

    @Test func writesLeaveNoTemporaryFilesAndOnlyTheRunsFiles() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        try run.runDemo(["--quick"])
        try run.runDemo(["--quick"])
        #expect(try run.directory.files(in: "demo") == ["demo.ipynb", "demo.md", "pixel.png", "pixel.svg", "results.json"])
    }

    @Test func noFiguresWritesNoImagesButStillExports() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        try run.runDemo(["--quick", "--no-figures"])
        #expect(try run.directory.files(in: "demo") == ["demo.ipynb", "demo.md", "results.json"])
        #expect(run.stdout.contains("(figure pixel not drawn: --no-figures)"))
        #expect(try run.json("results.json")["figures"] as? [String] == [])
        #expect(!String(decoding: try run.data("demo.md"), as: UTF8.self).contains("!["))
    }

    @Test func unusableOutputFolderFailsBeforeAnyCellRuns() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        let file = run.directory.url.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let options = try NotebookOptions.parse(["--output", file.path])
        var ran = false
        #expect {
            try Notebook.run(DemoNotebook.notebook, options: options, console: run.console()) { _ in ran = true }
        } throws: { error in
            guard case NotebookError.outputFolderUnusable(let path, _) = error else { return false }
            return path.hasSuffix("not-a-folder/demo")
                && "\(error)".contains("cannot use output folder") && "\(error)".contains("--output DIR")
                && "\(error)".contains("'\(file.path)' is a file, not a folder")
        }
        #expect(!ran)
        #expect(run.stdout.isEmpty)
    }

    @Test func missingOutputFolderIsCreated() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        let nested = run.directory.url.appendingPathComponent("a/b").path
        let demo = try DemoNotebook.parse(["--quick", "--output", nested])
        try Notebook.run(DemoNotebook.notebook, options: demo.options, console: run.console(), cells: demo.cells)
        #expect(FileManager.default.fileExists(atPath: nested + "/demo/results.json"))
    }

    @Test func failingCellIsSavedWithItsErrorAndRethrown() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        let options = try NotebookOptions.parse(["--output", run.directory.path])
        let info = NotebookInfo(name: "failing", title: "Failing")
        #expect {
            try Notebook.run(info, options: options, console: run.console(), cells: FailingNotebook.cells)
        } throws: { error in
            "\(error)" == "cell 2 ('Breaks') failed: boom: bad input at row 3"
        }
        #expect(!run.stdout.contains("unreachable"))
        #expect(run.stdout.contains("partial output\nerror: boom: bad input at row 3"))
        #expect(run.stdout.contains("/failing.failed/: failing.ipynb"))
        #expect(!FileManager.default.fileExists(atPath: run.directory.url.appendingPathComponent("failing").path),
                "a failed run does not publish as a complete one")
        let results = try run.json("results.json", notebook: "failing.failed")
        #expect(results["completed"] as? Bool == false)
        #expect(results["before"] as? Int == 1)
        #expect((results["error"] as? String)?.contains("boom") == true)
        let cells = try #require(try run.json("failing.ipynb", notebook: "failing.failed")["cells"] as? [[String: Any]])
        #expect(cells.count == 3)
        let outputs = try #require(cells[2]["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["output_type"] as? String } == ["stream", "error"])
        #expect(outputs[1]["evalue"] as? String == "boom: bad input at row 3")
    }

    @Test func recordingMistakesAreDescriptiveErrors() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        let options = try NotebookOptions.parse(["--output", run.directory.path])
        let info = NotebookInfo(name: "mistakes", title: "Mistakes")
        #expect(throws: NotebookError.duplicateResult(key: "k", firstCell: 1, cell: 2)) {
            try Notebook.run(info, options: options, console: run.console()) { nb in
                try nb.code("a") { cell in try cell.record("k", 1) }
                try nb.code("b") { cell in try cell.record("k", 2) }
            }
        }
        #expect(throws: NotebookError.reservedResultKey(key: "quick", cell: 1)) {
            try Notebook.run(info, options: options, console: run.console()) { nb in
                try nb.code("a") { cell in try cell.record("quick", true) }
            }
        }
        #expect(throws: NotebookError.invalidFigureName(name: "../up", cell: 1)) {
            try Notebook.run(info, options: options, console: run.console()) { nb in
                try nb.code("a") { cell in try cell.figure("../up", FakeFigure()) }
            }
        }
        #expect(throws: NotebookError.duplicateFigure(name: "f", cell: 2)) {
            try Notebook.run(info, options: options, console: run.console()) { nb in
                try nb.code("a") { cell in try cell.figure("f", FakeFigure()) }
                try nb.code("b") { cell in try cell.figure("f", FakeFigure()) }
            }
        }
        #expect(throws: NotebookError.tableShape(row: 2, count: 1, columns: 2, cell: 1)) {
            try Notebook.run(info, options: options, console: run.console()) { nb in
                try nb.code("a") { cell in try cell.table(["x", "y"], [[1, 2], [3]]) }
            }
        }
    }

    @Test func figureThatFailsToDrawLeavesNoFile() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        let options = try NotebookOptions.parse(["--output", run.directory.path])
        let info = NotebookInfo(name: "broken", title: "Broken figure")
        #expect {
            try Notebook.run(info, options: options, console: run.console()) { nb in
                try nb.code("draw") { cell in try cell.figure("bad", FakeFigure(fails: true)) }
            }
        } throws: { error in
            "\(error)" == "cell 1: figure 'bad' could not be drawn: the fake figure was asked to fail"
        }
        #expect(try run.directory.files(in: "broken.failed") == ["broken.ipynb", "broken.md", "results.json"])
    }

    @Test func stepDoesNotHangWhenInputIsNotATerminal() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        try run.runDemo(["--quick", "--step"], console: run.console(inputIsTerminal: false))
        #expect(run.stdout.contains("--step: standard input is not a terminal, so the run does not pause."))
        #expect(!run.stdout.contains("Enter: next cell"))
    }

    @Test func stepPausesAfterEachCellAndStopsWhenInputCloses() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        // Two Enters, then end of input: two pauses answered, the third sees EOF, no more pauses.
        try run.runDemo(["--quick", "--step"], console: run.console(inputIsTerminal: true, lines: ["", ""]))
        let out = run.stdout
        #expect(out.components(separatedBy: "Enter: next cell").count - 1 == 3)
        #expect(out.contains("(input closed: running the remaining cells without pausing)"))
        #expect(out.contains("── [4] One line ──"))
    }

    @Test func styledNarrationUsesANSI() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        var text = ""
        let styled = Console(sink: { text += $0 }, styled: true, width: 80)
        try run.runDemo(["--quick"], console: styled)
        #expect(text.contains("\u{1B}[1mA demo notebook\u{1B}[0m"))
        #expect(text.contains("\u{1B}[1;36m── [2] Count and scale"))
        #expect(text.contains("\u{1B}[36mx\u{1B}[0m"), "inline code in cyan")
    }
}

@Suite struct MeasuredOutputTests {
    /// A note (here a measurement) shows on the terminal and nowhere in the exports.
    @Test func notesStayOutOfTheExports() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        try run.run { nb in
            try nb.code("Speed") { cell in
                cell.print("steady text")
                cell.note("⏱ \(12_345) images/s")
            }
        }
        #expect(run.stdout.contains("⏱ 12345 images/s"))
        for file in ["demo.md", "demo.ipynb"] {
            let text = String(decoding: try run.data(file), as: UTF8.self)
            #expect(text.contains("steady text"), "\(file)")
            #expect(!text.contains("12345"), "\(file) holds a measurement")
        }
    }
}
