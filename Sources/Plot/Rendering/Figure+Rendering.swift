import Foundation

extension Figure {
    /// The figure as a PNG image, `width·dpi × height·dpi` pixels, opaque.
    public func pngData() throws -> Data {
        try data(as: .png)
    }

    /// The figure as an SVG document in points (text as glyph outlines, as
    /// Cairo writes it, so it looks the same on every machine).
    public func svgData() throws -> Data {
        try data(as: .svg)
    }

    /// The figure as a one-page PDF in points, with selectable text and a
    /// fixed creation date (so reruns are byte-identical).
    public func pdfData() throws -> Data {
        try data(as: .pdf)
    }

    /// The figure in `format`.
    public func data(as format: OutputFormat) throws -> Data {
        try validate()
        return try Surface.render(format, width: width * 72, height: height * 72, pixels: pixelSize, dpi: dpi,
                                  title: title, theme: theme) { canvas in
            _ = try FigureRenderer(figure: self, canvas: canvas).draw()
        }
    }

    /// Writes the figure to `url`, in the format its extension names
    /// (`.png`, `.svg`, `.pdf`). The file is written atomically (a temporary
    /// file renamed into place), so an interrupted run never leaves half a
    /// figure. Throws `PlotError.unknownFormat` for other extensions and
    /// `PlotError.unwritableLocation` when the folder is missing or read-only.
    ///
    /// ```swift
    /// try figure.save(to: URL(fileURLWithPath: "Figures/mini1/sqnr.svg"))
    /// ```
    public func save(to url: URL) throws {
        guard let format = OutputFormat(fileExtension: url.pathExtension) else {
            throw PlotError.unknownFormat(path: url.path, extension: url.pathExtension)
        }
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PlotError.unwritableLocation(path: url.path, reason: "the folder '\(folder.path)' does not exist")
        }
        let bytes = try data(as: format)
        do {
            try bytes.write(to: url, options: .atomic)
        } catch {
            throw PlotError.unwritableLocation(path: url.path, reason: "the file could not be written (\(error.localizedDescription))")
        }
    }
}
