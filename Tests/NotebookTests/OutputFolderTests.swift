import Foundation
import Testing
@testable import Notebook
import TestSupport

@Suite struct OutputFolderTests {
    @Test func writeReplacesAWholeFileAndLeavesNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let folder = OutputFolder(root: dir.path, notebook: "nb")
        try folder.prepare()
        try folder.write(Data(repeating: 1, count: 100_000), to: "big.bin")
        try folder.write(Data("small".utf8), to: "big.bin")
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("big.bin")) == Data("small".utf8))
        #expect(try dir.files(in: "nb") == ["big.bin"])
    }

    @Test func failedWriteIsADescriptiveErrorAndKeepsWhatWasThere() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let folder = OutputFolder(root: dir.path, notebook: "nb")
        try folder.prepare()
        let blocker = folder.url.appendingPathComponent("results.json")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: blocker.appendingPathComponent("inside"))
        #expect {
            try folder.write(Data("{}".utf8), to: "results.json")
        } throws: { error in
            guard case NotebookError.writeFailed(let path, _) = error else { return false }
            return path.hasSuffix("nb/results.json") && "\(error)".hasPrefix("could not write '")
        }
        #expect(try Data(contentsOf: blocker.appendingPathComponent("inside")) == Data("keep".utf8))
        #expect(try dir.files(in: "nb") == ["results.json"], "no temporary file left behind")
    }
}
