import Testing
@testable import Notebook

/// Each code cell's seed comes from the notebook's seed and the cell's
/// title, so cells can be added without changing other cells' numbers.
@Suite struct CellSeedTests {
    /// Runs cells with `titles` under `seed` and returns each cell's seed.
    private func seeds(_ titles: [String], notebookSeed: UInt64?) throws -> [String: UInt64] {
        let run = try RunHarness()
        defer { run.directory.remove() }
        var seeds: [String: UInt64] = [:]
        try run.run { nb in
            nb.seed = notebookSeed
            for title in titles {
                seeds[title] = try nb.code(title) { cell in try cell.seed }
            }
        }
        return seeds
    }

    @Test func aNewCellLeavesTheOtherCellsSeeds() throws {
        let before = try seeds(["Data", "Noise"], notebookSeed: 7)
        let after = try seeds(["Data", "Inserted", "Noise"], notebookSeed: 7)
        #expect(after["Data"] == before["Data"])
        #expect(after["Noise"] == before["Noise"])
        #expect(Set(after.values).count == 3, "distinct titles get distinct seeds")
        let otherSeed = try seeds(["Data", "Noise"], notebookSeed: 8)
        #expect(otherSeed["Data"] != before["Data"] && otherSeed["Noise"] != before["Noise"])
    }

    /// Pinned (the values also follow from a Python transcription of the
    /// derivation): changing it would change every notebook's numbers.
    @Test func derivationIsFixed() {
        #expect(CodeCell.seed(notebook: 1, title: "Noise on the weights") == 0xED62_C5BE_B93C_EC03)
        #expect(CodeCell.seed(notebook: 2026, title: "") == 0xF32C_6891_09D4_FDEF)
    }

    @Test func aNotebookWithoutSeedIsAnError() throws {
        #expect(throws: NotebookError.noSeed(cell: 1, title: "Noise")) {
            _ = try seeds(["Noise"], notebookSeed: nil)
        }
    }
}
