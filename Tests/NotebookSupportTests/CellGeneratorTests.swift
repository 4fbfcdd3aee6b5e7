import Foundation
@testable import Notebook
import NotebookSupport
import Quant
import Testing
import TestSupport

@Suite struct CellGeneratorTests {
    /// `cell.generator()` is the project's generator seeded with the cell's
    /// own seed, so a notebook gets numbers no other cell shares.
    @Test func generatorIsSeededWithTheCellSeed() throws {
        let dir = try TemporaryDirectory("cell-generator")
        defer { dir.remove() }
        let options = try NotebookOptions.parse(["--quick", "--output", dir.path])
        let console = Console(sink: { _ in }, styled: false, width: 80, inputIsTerminal: false, readLine: { nil })
        var draws: [[UInt64]] = []
        try Notebook.run(NotebookInfo(name: "generator", title: "Generator"), options: options, console: console) { nb in
            nb.seed = 3
            for title in ["One", "Two"] {
                try nb.code(title) { cell in
                    var rng = try cell.generator()
                    var expected = SeededGenerator(seed: try cell.seed)
                    let values = (0..<4).map { _ in rng.next() }
                    #expect(values == (0..<4).map { _ in expected.next() })
                    draws.append(values)
                }
            }
        }
        #expect(draws.count == 2 && draws[0] != draws[1])
    }
}
