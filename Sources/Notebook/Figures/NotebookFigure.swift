import Foundation

/// Something a code cell can show as a figure: it draws itself as PNG (for
/// the terminal run's files and the `.ipynb`, where Jupyter shows PNG
/// inline) and as SVG (for the report, where vectors stay sharp).
///
/// The runtime knows nothing else about figures, so any plotting library
/// can take part; `Plot.Figure` conforms with one line
/// (`extension Figure: NotebookFigure {}`) because it has exactly these
/// two methods.
///
/// ```swift
/// struct Swatch: NotebookFigure {
///     func pngData() throws -> Data { try Data(contentsOf: pngURL) }
///     func svgData() throws -> Data { Data("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8) }
/// }
/// try cell.figure("swatch", Swatch())
/// ```
public protocol NotebookFigure {
    /// The figure as a PNG file's bytes.
    func pngData() throws -> Data
    /// The figure as an SVG document's bytes (UTF-8).
    func svgData() throws -> Data
}
