/// The file formats a figure renders to.
///
/// ```swift
/// for format in OutputFormat.allCases {
///     try figure.save(to: folder.appendingPathComponent("chart.\(format.rawValue)"))
/// }
/// ```
public enum OutputFormat: String, Sendable, CaseIterable {
    case png
    case svg
    case pdf

    /// The format named by a file extension (case-insensitive), if any.
    public init?(fileExtension: String) {
        self.init(rawValue: fileExtension.lowercased())
    }
}
