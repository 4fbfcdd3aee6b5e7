import Foundation
import Testing
@testable import Notebook
import TestSupport

/// Typed keys: what a cell records under a `ResultKey` reads back from
/// `results.json` as the same type and value.
@Suite struct ResultKeyTests {
    static let count = ResultKey<Int>("count")
    static let scale = ResultKey<Float>("scale")
    static let lossless = ResultKey<Double>("lossless_sqnr_db")
    static let sqnr = ResultKey<[String: [Double]]>("sqnr_db")
    static let agree = ResultKey<Bool>("agree")
    static let source = ResultKey<String>("source")

    @Test func typedRecordsReadBackAsTheirTypes() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        try run.run { nb in
            try nb.code("Typed") { cell in
                try cell.record(Self.count, 10)
                try cell.record(Self.scale, 0.1)
                try cell.record(Self.lossless, .infinity)
                try cell.record(Self.sqnr, ["per_tensor": [40.5, 38], "per_channel": []])
                try cell.record(Self.agree, true)
                try cell.record(Self.source, "this run")
            }
        }
        let results = try NotebookResults(contentsOf: run.directory.url.appendingPathComponent("demo/results.json"))
        #expect(results[Self.count] == 10)
        #expect(results[Self.scale] == Float(0.1), "a Float comes back bit for bit from its shortest digits")
        #expect(results[Self.lossless] == .infinity)
        #expect(results[Self.sqnr] == ["per_tensor": [40.5, 38], "per_channel": []])
        #expect(results[Self.agree] == true)
        #expect(results[Self.source] == "this run")
        #expect(results.completed == true && results.isQuick == true && results.figures == [])

        // A key read as another type, or never recorded, is nil rather than a wrong value.
        #expect(results[ResultKey<String>("count")] == nil)
        #expect(results[ResultKey<Bool>("count")] == nil)
        #expect(results[ResultKey<Int>("scale")] == nil)
        #expect(results[ResultKey<Int>("missing")] == nil)
        #expect(results[ResultKey<Double>("count")] == 10, "JSON does not tell 10 from 10.0")
    }

    @Test func typedAndStringKeysAreOneNamespace() throws {
        let run = try RunHarness()
        defer { run.directory.remove() }
        #expect(throws: NotebookError.duplicateResult(key: "count", firstCell: 1, cell: 2)) {
            try run.run { nb in
                try nb.code("First") { cell in try cell.record(Self.count, 1) }
                try nb.code("Second") { cell in try cell.record("count", 2) }
            }
        }
        #expect(throws: NotebookError.reservedResultKey(key: "seed", cell: 1)) {
            try run.run { nb in
                try nb.code("Reserved") { cell in try cell.record(ResultKey<Int>("seed"), 1) }
            }
        }
    }
}
