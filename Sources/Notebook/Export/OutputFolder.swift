import Foundation

/// The folder a run writes into, `<output>/<notebook>/`, and the one way
/// files get there: all or nothing.
///
/// A run writes every file into its own staging folder beside the result,
/// `<output>/.<notebook>.run-<pid>/` (each file atomically, a temporary file
/// then a rename), and only at the end ``publish(failed:)`` swaps the whole
/// folder into place: the previous `<notebook>/` is renamed aside, the
/// staging folder renamed to `<notebook>/`, the old one removed. So
///
/// - an interrupted run never leaves a half-written figure, JSON or
///   notebook, nor a mix of two runs' files (the old folder stays whole);
/// - a failed run leaves the last good one untouched and publishes its own
///   files, with the error, as `<notebook>.failed/`;
/// - two runs into one folder each swap under an exclusive `flock(2)` on the
///   output folder, so the folder always holds one run's files;
/// - staging folders of runs that died are recognised by their process id
///   and removed by the next run.
///
/// `prepare()` runs before the first cell: it creates a missing output
/// folder and the staging folder, so a bad `--output` fails at once with a
/// clear error instead of after minutes of computation.
///
/// ```swift
/// let folder = OutputFolder(root: "Figures", notebook: "mini1")
/// try folder.prepare()
/// try folder.write(Data("{}".utf8), to: "results.json")   // into Figures/.mini1.run-<pid>/
/// try folder.publish(failed: false)                        // now Figures/mini1/
/// ```
struct OutputFolder {
    /// `<output>`.
    let root: URL
    /// `<output>/<notebook>`: where the run's files are once published.
    let url: URL
    /// `<output>/.<notebook>.run-<pid>`: where they are written meanwhile.
    let staging: URL
    private let notebook: String

    init(root: String, notebook: String) {
        self.root = URL(fileURLWithPath: root, isDirectory: true)
        self.notebook = notebook
        url = self.root.appendingPathComponent(notebook, isDirectory: true)
        staging = self.root.appendingPathComponent(".\(notebook).run-\(getpid())", isDirectory: true)
    }

    /// The path shown in messages (relative paths stay relative).
    var path: String { url.relativePath }

    /// Where a failed run's files go: `<output>/<notebook>.failed`.
    var failedURL: URL { root.appendingPathComponent(notebook + ".failed", isDirectory: true) }

    func prepare() throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw NotebookError.outputFolderUnusable(path: path, reason: "it is a file, not a folder")
        }
        do {
            try manager.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw NotebookError.outputFolderUnusable(path: path, reason: "it cannot be created (\(Self.reason(error)))"
                + (fileInTheWay().map { "; '\($0)' is a file, not a folder" } ?? ""))
        }
        do {
            try withLock { removeAbandoned() }
            try? manager.removeItem(at: staging)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw NotebookError.outputFolderUnusable(path: path, reason: "it is not writable (\(Self.reason(error)))")
        }
    }

    /// Swaps the staging folder into place: `<notebook>/`, or
    /// `<notebook>.failed/` for a failed run (which leaves `<notebook>/` as it was).
    func publish(failed: Bool) throws {
        let target = failed ? failedURL : url
        let aside = root.appendingPathComponent(".\(notebook).old-\(getpid())", isDirectory: true)
        do {
            try withLock {
                if FileManager.default.fileExists(atPath: target.path) {
                    try Self.rename(target, to: aside)
                }
                try Self.rename(staging, to: target)
                if !failed { try? FileManager.default.removeItem(at: failedURL) }
            }
            try? FileManager.default.removeItem(at: aside)
        } catch {
            throw NotebookError.writeFailed(path: target.relativePath, reason: Self.reason(error))
        }
    }

    /// Removes the staging folder without publishing it.
    func discard() {
        try? FileManager.default.removeItem(at: staging)
    }

    /// Staging and set-aside folders of this notebook whose process is gone.
    private func removeAbandoned() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return }
        for name in names {
            for marker in [".\(notebook).run-", ".\(notebook).old-"] where name.hasPrefix(marker) {
                guard let pid = Int32(name.dropFirst(marker.count)), pid != getpid() else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH {
                    try? FileManager.default.removeItem(at: root.appendingPathComponent(name))
                }
            }
        }
    }

    /// Runs `body` holding an exclusive `flock(2)` on the output folder.
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        let fd = open(root.path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private static func rename(_ source: URL, to target: URL) throws {
        guard Foundation.rename(source.path, target.path) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// The nearest existing ancestor of the folder when it is a file (the
    /// usual reason a folder cannot be created), for the error message.
    private func fileInTheWay() -> String? {
        var ancestor = url.deletingLastPathComponent()
        while ancestor.path != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? nil : ancestor.relativePath
            }
            ancestor = ancestor.deletingLastPathComponent()
        }
        return nil
    }

    /// Writes `data` to `name` inside the staging folder, atomically.
    func write(_ data: Data, to name: String) throws {
        do {
            try data.write(to: staging.appendingPathComponent(name), options: .atomic)
        } catch {
            throw NotebookError.writeFailed(path: url.appendingPathComponent(name).relativePath, reason: Self.reason(error))
        }
    }

    /// The shortest useful text of a Foundation file error: the POSIX reason
    /// when there is one ("Permission denied"), else the localized text.
    private static func reason(_ error: Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let ns = error as NSError
        if let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }),
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
