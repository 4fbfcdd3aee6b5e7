/// What a notebook is called: `name` names its executable
/// (`notebook-<name>`) and its output folder (`<output>/<name>/`), `title`
/// heads the narration and the exported `.ipynb`/`.md`.
///
/// ```swift
/// static let notebook = NotebookInfo(name: "mini1", title: "Uniform affine quantization")
/// ```
public struct NotebookInfo: Sendable, Equatable {
    /// A short file-safe name, e.g. `mini1`.
    public var name: String
    /// The human title, e.g. `Uniform affine quantization`.
    public var title: String

    public init(name: String, title: String) {
        self.name = name
        self.title = title
    }
}
