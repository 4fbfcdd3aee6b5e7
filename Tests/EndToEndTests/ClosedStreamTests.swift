import Foundation
import Testing
import TestSupport

/// A full, closed or vanished standard stream ends a run quietly with a
/// non-zero status (74, `EX_IOERR`, or SIGPIPE), never with a trap and a
/// backtrace, and what was already written stays whole.
@Suite struct ClosedStreamTests {
    /// Runs `product` with stdout and/or stderr on /dev/full (a stream that
    /// refuses every write, ENOSPC); returns the status and what stderr got
    /// when it is not the full one.
    private func run(_ product: String, _ arguments: [String], fullStdout: Bool, fullStderr: Bool) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = try BuiltProduct(product).url
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardOutput = fullStdout ? FileHandle(forWritingAtPath: "/dev/full") : FileHandle.nullDevice
        process.standardError = fullStderr ? FileHandle(forWritingAtPath: "/dev/full") : try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: errors, encoding: .utf8))
    }

    @Test func notebookWithAFullStdoutStopsQuietly() throws {
        let directory = try TemporaryDirectory("full-stdout")
        defer { directory.remove() }
        let (status, stderr) = try run("notebook-mini1", ["--quick", "--output", directory.path], fullStdout: true, fullStderr: false)
        #expect(status == 74, "status \(status)")
        #expect(!stderr.contains("Fatal error") && !stderr.contains("crashed"), "stderr: \(stderr)")
        // All or nothing: the run died before publishing, so there is no half-written mini1/,
        // only its staging folder, which the next run removes (OutputFolderTests).
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(entries.allSatisfy { $0.hasPrefix(".mini1.run-") }, "published a partial run: \(entries)")
    }

    @Test func cliErrorWithAFullStderrDoesNotTrap() throws {
        let (status, _) = try run("quant", ["quantize", "/nonexistent.npy", "-o", "/tmp/never.npy", "--bits", "8"],
                                  fullStdout: false, fullStderr: true)
        #expect(status == 1, "status \(status) (132 is the trap)")
    }

    @Test(arguments: [["--bits", "-1"], ["--per-channel", "-5"]])
    func negativeOptionValuesAreReadAsValues(arguments: [String]) throws {
        let input = try TemporaryDirectory("negative")
        defer { input.remove() }
        let result = try BuiltProduct("quant").run(["quantize", "/nonexistent.npy", "-o", input.path + "/o.npy"] + arguments)
        #expect(result.status != 0)
        #expect(!result.stderr.contains("Missing value"), "a negative value was read as a flag: \(result.stderr)")
    }
}
