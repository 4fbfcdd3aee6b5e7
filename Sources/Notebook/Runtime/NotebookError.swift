import Foundation

/// Why a notebook could not run or could not save what it produced.
///
/// Each case says what was wrong, where, and what to do about it; the
/// command line prints `description` as a one-line error.
public enum NotebookError: Error, Equatable, Sendable {
    /// The output folder could not be created or written to (checked before
    /// any cell runs).
    case outputFolderUnusable(path: String, reason: String)
    /// A file of the run could not be written.
    case writeFailed(path: String, reason: String)
    /// A code cell threw; `cell` is its number, `message` the error's text.
    case cellFailed(cell: Int, title: String, message: String)
    /// Two `record` calls used the same key.
    case duplicateResult(key: String, firstCell: Int, cell: Int)
    /// A `record` key is one that `results.json` uses for the run itself.
    case reservedResultKey(key: String, cell: Int)
    /// A figure name is empty or has characters unsafe in a file name.
    case invalidFigureName(name: String, cell: Int)
    /// Two figures of the run have the same name (they would overwrite each other).
    case duplicateFigure(name: String, cell: Int)
    /// A figure could not draw itself.
    case figureFailed(name: String, cell: Int, message: String)
    /// A table row does not have one entry per column.
    case tableShape(row: Int, count: Int, columns: Int, cell: Int)
    /// A cell asked for its seed in a notebook that set none.
    case noSeed(cell: Int, title: String)
    /// `--topic` named a topic past the notebook's last one.
    case unknownTopic(Int, count: Int)
}

extension NotebookError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .outputFolderUnusable(let path, let reason):
            return "cannot use output folder '\(path)': \(reason); choose another with --output DIR"
        case .writeFailed(let path, let reason):
            return "could not write '\(path)': \(reason)"
        case .cellFailed(let cell, let title, let message):
            return "cell \(cell) ('\(title)') failed: \(message)"
        case .duplicateResult(let key, let firstCell, let cell):
            return "cell \(cell) records '\(key)', which cell \(firstCell) already recorded; use a distinct key"
        case .reservedResultKey(let key, let cell):
            let reserved = ResultsFile.reservedKeys.sorted().joined(separator: ", ")
            return "cell \(cell) records '\(key)', a key results.json keeps for the run (\(reserved)); rename it"
        case .invalidFigureName(let name, let cell):
            return "cell \(cell): figure name '\(name)' must be non-empty and use only letters, digits, '_', '-' and '.'"
        case .duplicateFigure(let name, let cell):
            return "cell \(cell): a figure named '\(name)' was already written in this run; figure names must be unique"
        case .figureFailed(let name, let cell, let message):
            return "cell \(cell): figure '\(name)' could not be drawn: \(message)"
        case .tableShape(let row, let count, let columns, let cell):
            return "cell \(cell): table row \(row) has \(count) entries but the table has \(columns) columns"
        case .noSeed(let cell, let title):
            return "cell \(cell) ('\(title)') asks for its seed, but the notebook has none; set nb.seed before the first cell"
        case .unknownTopic(let topic, let count):
            return "--topic \(topic): this notebook has \(count) topic\(count == 1 ? "" : "s") (1…\(count)); `notebooks --list` shows them"
        }
    }
}
