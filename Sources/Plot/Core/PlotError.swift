/// Everything that can go wrong when describing, rendering or saving a figure.
///
/// Each case says what was wrong, where, and what to do about it, so that a
/// notebook cell that fails prints a message a reader can act on:
///
/// ```swift
/// do { try figure.save(to: URL(fileURLWithPath: "out/errors.gif")) }
/// catch let error as PlotError { print(error) }
/// // cannot save 'out/errors.gif': unknown format 'gif'; use .png, .svg or .pdf
/// ```
public enum PlotError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file extension names no format Plot writes.
    case unknownFormat(path: String, extension: String)
    /// The output folder does not exist or cannot be written.
    case unwritableLocation(path: String, reason: String)
    /// Cairo reported a failure while drawing or encoding.
    case cairo(operation: String, status: String)
    /// The figure itself is malformed (size, DPI, grid).
    case invalidFigure(reason: String)
    /// A mark was given data it cannot draw.
    case invalidData(mark: String, reason: String)

    public var description: String {
        switch self {
        case .unknownFormat(let path, let ext):
            let shown = ext.isEmpty ? "no extension" : "unknown format '\(ext)'"
            return "cannot save '\(path)': \(shown); use .png, .svg or .pdf"
        case .unwritableLocation(let path, let reason):
            return "cannot save '\(path)': \(reason); create the folder or choose a writable one"
        case .cairo(let operation, let status):
            return "Cairo failed in \(operation): \(status)"
        case .invalidFigure(let reason):
            return "invalid figure: \(reason)"
        case .invalidData(let mark, let reason):
            return "invalid data in \(mark): \(reason)"
        }
    }
}
