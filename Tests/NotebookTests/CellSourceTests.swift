import Foundation
import Testing
@testable import Notebook

@Suite struct CellSourceTests {
    private func body(_ source: String, line: Int) -> String? {
        CellSource.body(lines: source.components(separatedBy: "\n"), line: line)
    }

    @Test func trailingClosureBodyIsExtractedAndDedented() {
        let source = """
            func cells(_ nb: inout Notebook) throws {
                try nb.code("Scale {and} zero-point") { cell in
                    let p = 1
                    if p > 0 {
                        cell.print(p)
                    }

                }
                nb.markdown("after")
            }
            """
        #expect(body(source, line: 2) == "let p = 1\nif p > 0 {\n    cell.print(p)\n}")
    }

    @Test func callSplitOverLinesAndTypedParameters() {
        let source = """
                let p = try nb.code(
                    "A long title"
                ) { (cell: inout CodeCell) in
                    return 2
                }
            """
        #expect(body(source, line: 1) == "return 2\n// this cell's result is `p` in the cells below")
    }

    @Test func onlyAKeptResultIsNamed() {
        let kept = """
                let loaded = try nb.code("Data") { cell in
                    return 1
                }
            """
        #expect(body(kept, line: 1) == "return 1\n// this cell's result is `loaded` in the cells below")
        let dropped = """
                try nb.code("Data") { cell in
                    cell.print(1)
                }
            """
        #expect(body(dropped, line: 1) == "cell.print(1)")
    }

    @Test func oneLineClosure() {
        #expect(body(#"    try nb.code("x") { cell in cell.print("a in b") }"#, line: 1) == #"cell.print("a in b")"#)
    }

    @Test func unrecognisedLayoutOrMissingFileGivesNil() {
        #expect(body("try nb.code(\"x\", body)", line: 1) == nil)
        #expect(body("a", line: 5) == nil)
        var sources = CellSource()
        #expect(sources.body(file: "/nonexistent/moved/notebook.swift", line: 3) == nil)
    }

    @Test func exportFallsBackToTheTitleAsAComment() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        let options = try NotebookOptions.parse(["--output", run.directory.path])
        try Notebook.run(NotebookInfo(name: "moved", title: "Moved"), options: options, console: run.console()) { nb in
            try nb.code("Scale from range", file: "/nonexistent/moved/main.swift", line: 12) { cell in cell.print(1) }
        }
        let md = String(decoding: try run.data("moved.md", notebook: "moved"), as: UTF8.self)
        #expect(md.contains("```swift\n// Scale from range\n// (source not available: /nonexistent/moved/main.swift is not on this machine)\n```"))
    }
}

@Suite struct NotebookCommandTests {
    @Test func commandIsNamedForTheNotebookAndHelpListsTheCommonFlags() {
        #expect(DemoNotebook.configuration.commandName == "notebook-demo")
        let help = DemoNotebook.helpMessage(columns: 200)
        for flag in ["--step", "--quick", "--output <dir>", "--no-figures", "--seed <seed>", "--help"] {
            #expect(help.contains(flag), "help lacks \(flag)")
        }
        #expect(help.contains("A demo notebook"))
    }

    @Test func optionsParseWithDefaultsAndTheNotebooksOwnOptions() throws {
        let defaults = try DemoNotebook.parse([])
        #expect(defaults.options.output == "Figures")
        #expect(!defaults.options.quick && !defaults.options.step && !defaults.options.noFigures)
        let custom = try DemoNotebook.parse(["--quick", "--no-figures", "--step", "--output", "out", "--seed", "3"])
        #expect(custom.options.quick && custom.options.noFigures && custom.options.step)
        #expect(custom.options.output == "out")
        #expect(custom.seed == 3)
        #expect(throws: (any Error).self) { try DemoNotebook.parse(["--bogus"]) }
    }
}
