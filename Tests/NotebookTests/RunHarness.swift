import Foundation
@testable import Notebook
import TestSupport

/// Runs a notebook in-process into a fresh temporary folder with a console
/// that collects the narration (plain text, 80 columns), as a non-terminal
/// stdout would get it.
struct RunHarness {
    final class Collector { var text = "" }

    let directory: TemporaryDirectory
    let collector = Collector()

    init() throws { directory = try TemporaryDirectory("notebook-test") }

    func console(inputIsTerminal: Bool = false, lines: [String] = []) -> Console {
        var remaining = lines
        return Console(sink: { [collector] in collector.text += $0 }, styled: false, width: 80,
                       inputIsTerminal: inputIsTerminal,
                       readLine: { remaining.isEmpty ? nil : remaining.removeFirst() })
    }

    /// Parses `arguments` (plus `--output <temp>`) as the demo's command
    /// line and runs it.
    func runDemo(_ arguments: [String] = [], console: Console? = nil) throws {
        let demo = try DemoNotebook.parse(arguments + ["--output", directory.path])
        try Notebook.run(DemoNotebook.notebook, options: demo.options, console: console ?? self.console(),
                         cells: demo.cells)
    }

    /// Runs `cells` as the demo notebook (`--quick`, into the temporary folder).
    func run(_ cells: (inout Notebook) throws -> Void) throws {
        let options = try NotebookOptions.parse(["--quick", "--output", directory.path])
        try Notebook.run(DemoNotebook.notebook, options: options, console: console(), cells: cells)
    }

    var stdout: String { collector.text }

    func data(_ name: String, notebook: String = "demo") throws -> Data {
        try Data(contentsOf: directory.url.appendingPathComponent(notebook).appendingPathComponent(name))
    }

    func json(_ name: String, notebook: String = "demo") throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data(name, notebook: notebook)) as! [String: Any]
    }
}
