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
        try folder.publish(failed: false)
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("big.bin")) == Data("small".utf8))
        #expect(try dir.files(in: "nb") == ["big.bin"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["nb"], "no staging folder left")
    }

    @Test func failedWriteIsADescriptiveErrorAndKeepsWhatWasThere() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let folder = OutputFolder(root: dir.path, notebook: "nb")
        try folder.prepare()
        let blocker = folder.staging.appendingPathComponent("results.json")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: blocker.appendingPathComponent("inside"))
        #expect {
            try folder.write(Data("{}".utf8), to: "results.json")
        } throws: { error in
            guard case NotebookError.writeFailed(let path, _) = error else { return false }
            return path.hasSuffix("nb/results.json") && "\(error)".hasPrefix("could not write '")
        }
        #expect(try Data(contentsOf: blocker.appendingPathComponent("inside")) == Data("keep".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.staging.path) == ["results.json"], "no temporary file left behind")
        folder.discard()
    }

    /// A failed run publishes as `nb.failed/`; the last complete run stays whole.
    @Test func aFailedRunLeavesTheLastCompleteRun() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let good = OutputFolder(root: dir.path, notebook: "nb")
        try good.prepare()
        try good.write(Data("good".utf8), to: "results.json")
        try good.write(Data("png".utf8), to: "figure.png")
        try good.publish(failed: false)
        let bad = OutputFolder(root: dir.path, notebook: "nb")
        try bad.prepare()
        try bad.write(Data("error".utf8), to: "results.json")
        try bad.publish(failed: true)
        #expect(try Data(contentsOf: good.url.appendingPathComponent("results.json")) == Data("good".utf8))
        #expect(try dir.files(in: "nb") == ["figure.png", "results.json"])
        #expect(try Data(contentsOf: bad.failedURL.appendingPathComponent("results.json")) == Data("error".utf8))
        // The next complete run replaces the folder whole and clears the failed one.
        let next = OutputFolder(root: dir.path, notebook: "nb")
        try next.prepare()
        try next.write(Data("next".utf8), to: "results.json")
        try next.publish(failed: false)
        #expect(try dir.files(in: "nb") == ["results.json"], "no file of an earlier run mixed in")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["nb"])
    }

    /// The staging folder of a run that died (its process is gone) is removed by the next run.
    @Test func abandonedStagingFoldersAreRemoved() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Process ids stop far below Int32.max, so this one cannot be alive.
        let abandoned = dir.url.appendingPathComponent(".nb.run-2147483000")
        try FileManager.default.createDirectory(at: abandoned, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: abandoned.appendingPathComponent(".dat.nosync1234"))
        let other = dir.url.appendingPathComponent(".other.run-2147483000")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let folder = OutputFolder(root: dir.path, notebook: "nb")
        try folder.prepare()
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
        #expect(FileManager.default.fileExists(atPath: other.path), "another notebook's folder is not touched")
        folder.discard()
    }
}
