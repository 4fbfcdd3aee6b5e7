import ArgumentParser

/// A runnable notebook: a command-line program whose `cells(_:)` declares
/// the notebook top to bottom. Conforming is all a notebook does; `run()`
/// (narration, figures, exports) and `--help` come with the protocol.
///
/// ```swift
/// import Notebook
///
/// @main struct Mini1: NotebookCommand {
///     @OptionGroup var options: NotebookOptions
///     static let notebook = NotebookInfo(name: "mini1", title: "Uniform affine quantization")
///
///     func cells(_ nb: inout Notebook) throws {
///         nb.markdown("## The affine map\nA float `x` is stored as an integer code `q` …")
///         try nb.code("Scale and zero-point from a range") { cell in
///             cell.print("scale = \(1.0 / 255)")
///             try cell.record("scale_8bit", 1.0 / 255)
///         }
///     }
/// }
/// ```
///
/// Notebooks add their own options beside the common ones
/// (`@Option var seed: UInt64 = 1`, then `nb.seed = seed` in `cells`).
public protocol NotebookCommand: ParsableCommand {
    /// The notebook's name (executable `notebook-<name>`, folder
    /// `<output>/<name>/`) and title.
    static var notebook: NotebookInfo { get }
    /// This run's name and title: ``notebook`` unless the run's options make
    /// it a variant that must not overwrite the default run's folder (mini2
    /// on Fashion-MNIST writes `mini2-fashion-mnist/`).
    var info: NotebookInfo { get }
    /// The common flags; declare as `@OptionGroup var options: NotebookOptions`.
    var options: NotebookOptions { get }
    /// The notebook's cells, in order.
    func cells(_ nb: inout Notebook) throws
}

extension NotebookCommand {
    /// `notebook-<name>`, with the title as the help's abstract.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "notebook-\(notebook.name)",
            abstract: notebook.title,
            discussion: """
                Runs the notebook, narrating each cell on standard output, and writes to \
                <output>/\(notebook.name)/: the figures (PNG and SVG), results.json (the run's \
                numbers), \(notebook.name).ipynb (a Jupyter notebook of the run) and \
                \(notebook.name).md.
                """)
    }

    public var info: NotebookInfo { Self.notebook }

    public func run() throws {
        try Notebook.run(info, options: options, console: .standard(), cells: cells)
    }
}
