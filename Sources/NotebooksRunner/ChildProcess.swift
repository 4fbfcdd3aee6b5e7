import Foundation

/// Runs one notebook executable, sharing this process's terminal (so its
/// narration streams as it runs and `--step` reads Enter from the same
/// keyboard), and waits for it.
///
/// The notebooks are separate executables built beside `notebooks` (SwiftPM
/// builds a target's executable dependencies with it), so each run is
/// exactly what `swift run notebook-miniN` does, and one notebook's state
/// cannot leak into the next.
enum ChildProcess {
    /// The folder holding this executable, where the notebooks are built.
    static var binaryFolder: URL {
        (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]))
            .resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Runs `executable` (in ``binaryFolder``) with `arguments`.
    ///
    /// - Throws: ``RunnerError/notebookMissing(_:folder:)`` when it is not
    ///   built there; ``RunnerError/notebookFailed(_:status:)`` when it
    ///   exits non-zero (its own error is already on the terminal).
    static func run(_ executable: String, _ arguments: [String]) throws(RunnerError) {
        let url = binaryFolder.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw .notebookMissing(executable, folder: binaryFolder.path)
        }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        do {
            fflush(nil)
            try process.run()
        } catch {
            throw .notebookFailed(executable, status: -1)
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .notebookFailed(executable, status: process.terminationStatus)
        }
    }
}
