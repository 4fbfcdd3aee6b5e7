import Foundation

/// The folder a run writes into, `<output>/<notebook>/`, and the one way
/// files get there: atomically (a temporary file in the same folder, then a
/// rename), so an interrupted run never leaves a half-written figure, JSON or
/// notebook behind.
///
/// `prepare()` runs before the first cell: it creates a missing folder and
/// proves the folder is writable by writing and removing a probe file, so a
/// bad `--output` fails at once with a clear error instead of after minutes
/// of computation. (A probe is used rather than `access(2)`, which says yes
/// to root even on read-only mounts.)
///
/// ```swift
/// let folder = OutputFolder(root: "Figures", notebook: "mini1")
/// try folder.prepare()
/// try folder.write(Data("{}".utf8), to: "results.json")
/// ```
struct OutputFolder {
    /// `<output>/<notebook>`.
    let url: URL

    init(root: String, notebook: String) {
        url = URL(fileURLWithPath: root, isDirectory: true).appendingPathComponent(notebook, isDirectory: true)
    }

    /// The path shown in messages (relative paths stay relative).
    var path: String { url.relativePath }

    func prepare() throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw NotebookError.outputFolderUnusable(path: path, reason: "it is a file, not a folder")
            }
        } else {
            do {
                try manager.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw NotebookError.outputFolderUnusable(path: path, reason: "it cannot be created (\(Self.reason(error)))"
                    + (fileInTheWay().map { "; '\($0)' is a file, not a folder" } ?? ""))
            }
        }
        let probe = url.appendingPathComponent(".write-probe-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data().write(to: probe, options: .atomic)
            try manager.removeItem(at: probe)
        } catch {
            throw NotebookError.outputFolderUnusable(path: path, reason: "it is not writable (\(Self.reason(error)))")
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

    /// Writes `data` to `name` inside the folder, atomically.
    func write(_ data: Data, to name: String) throws {
        let file = url.appendingPathComponent(name)
        do {
            try data.write(to: file, options: .atomic)
        } catch {
            throw NotebookError.writeFailed(path: file.relativePath, reason: Self.reason(error))
        }
    }

    /// The shortest useful text of a Foundation file error: the POSIX reason
    /// when there is one ("Permission denied"), else the localized text.
    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }),
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
