/// Why `notebooks` stopped; printed as one line.
enum RunnerError: Error, CustomStringConvertible {
    /// A notebook executable is not built beside `notebooks`.
    case notebookMissing(String, folder: String)
    /// A notebook exited non-zero.
    case notebookFailed(String, status: Int32)
    /// `--only` or `--topic` named a notebook the plan does not have.
    case unknownNotebook(String, known: [String])
    /// `--topic` is not `NOTEBOOK:N`.
    case badTopic(String)
    /// `--list` found no exported run of a notebook to read topics from.
    case noRunToList(String, path: String)
    /// `--readme` names a file without the headline markers (or that cannot be read).
    case readmeMarkers(String, begin: String, end: String)
    /// A report file could not be written.
    case writeFailed(String, String)

    var description: String {
        switch self {
        case .notebookMissing(let executable, let folder):
            return "\(executable) is not built in \(folder); build every notebook with `swift build -c release`"
        case .notebookFailed(let executable, let status):
            return "\(executable) failed (exit status \(status)); its error is above, and nothing after it ran"
        case .unknownNotebook(let name, let known):
            return "no notebook named '\(name)'; the notebooks are \(known.joined(separator: ", "))"
        case .badTopic(let text):
            return "--topic '\(text)' is not NOTEBOOK:N (e.g. mini3:5); `notebooks --list` shows the topics"
        case .noRunToList(let notebook, let path):
            return "no run of \(notebook) at \(path) to list its topics from; run `notebooks` (or notebook-\(notebook)) once first"
        case .readmeMarkers(let path, let begin, let end):
            return "\(path) has no headline block to rewrite: it needs a line \(begin) and, after it, a line \(end)"
        case .writeFailed(let path, let reason):
            return "could not write \(path): \(reason)"
        }
    }
}
