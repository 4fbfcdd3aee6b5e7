import Foundation
import Notebook
import Testing

/// The end-to-end checks every notebook's executable must pass, run as a
/// user runs it: `--quick` into a fresh temporary folder (MNIST found
/// through `$QUANT_DATA` or the per-user cache, as the process inherits
/// them), then the same again, which must draw byte-identical figures.
///
/// A notebook's test names its executable and figures and adds what only it
/// can check, reading `results.json` by the notebook's typed keys:
///
/// ```swift
/// static let harness = NotebookHarness("notebook-mini1", figures: ["staircase"], exportsRepeat: true)
///
/// @Test func quickRunAndRerun() throws {
///     try Self.harness.checkQuickRun { run in
///         #expect(run.results[Mini1Results.exampleZeroPoint] == 106)
///     }
/// }
/// ```
///
/// Failures are recorded at the line that called the harness.
public struct NotebookHarness: Sendable {
    /// The executable, e.g. `notebook-mini2`.
    public let executable: String
    /// The run's folder under `--output` (the executable's name without `notebook-`).
    public let name: String
    /// Every figure a quick run writes, in the order it writes them.
    public let figures: [String]
    /// Whether the `.ipynb` and `.md` are byte-identical on rerun too (false
    /// for a notebook that shows timings in its cells).
    public let exportsRepeat: Bool

    public init(_ executable: String, figures: [String], exportsRepeat: Bool) {
        self.executable = executable
        self.name = executable.hasPrefix("notebook-") ? String(executable.dropFirst("notebook-".count)) : executable
        self.figures = figures
        self.exportsRepeat = exportsRepeat
    }

    /// Runs the notebook `--quick` (plus `arguments`) and checks what every
    /// run must write: exit status 0; exactly the figures (PNG and SVG), the
    /// `.ipynb` (nbformat 4, every figure embedded), the `.md` (every figure
    /// linked) and a `results.json` of a complete quick run. Then `check`
    /// sees the run; a second run must repeat the figures byte for byte (and
    /// the exports when ``exportsRepeat``); then `rerun` sees both runs.
    public func checkQuickRun(_ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation,
                              _ check: (NotebookRun) throws -> Void,
                              rerun: (NotebookRun, NotebookRun) throws -> Void = { _, _ in }) throws {
        let firstDirectory = try TemporaryDirectory("\(name)-a"), secondDirectory = try TemporaryDirectory("\(name)-b")
        defer { firstDirectory.remove(); secondDirectory.remove() }
        let first = try runQuick(arguments, into: firstDirectory, sourceLocation: sourceLocation)
        try check(first)
        let second = try runQuick(arguments, into: secondDirectory, sourceLocation: sourceLocation)
        let repeated = figures.flatMap { ["\($0).png", "\($0).svg"] } + (exportsRepeat ? ["\(name).ipynb", "\(name).md"] : [])
        for file in repeated {
            #expect(try first.data(file) == second.data(file), "\(file) differs between two runs with the same seed",
                    sourceLocation: sourceLocation)
        }
        try rerun(first, second)
    }

    /// Expects the notebook to refuse to start when `flag` names a file
    /// rather than a folder: a non-zero exit, `message` on standard error,
    /// and no cell run.
    public func expectUnusableFolderRejected(flag: String, message: String,
                                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = try TemporaryDirectory("\(name)-bad")
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let run = try BuiltProduct(executable).run(["--quick", "--output", directory.path, flag, file.path])
        #expect(run.status != 0, sourceLocation: sourceLocation)
        #expect(run.stderr.contains(message), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(!run.stdout.contains("[1]"), "cells ran despite the bad folder", sourceLocation: sourceLocation)
    }

    /// Expects the command line `arguments` to be refused with `message` on
    /// standard error.
    public func expectRejected(_ arguments: [String], message: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try BuiltProduct(executable).run(arguments)
        #expect(run.status != 0, sourceLocation: sourceLocation)
        #expect(run.stderr.contains(message), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
    }

    private func runQuick(_ arguments: [String], into directory: TemporaryDirectory,
                          sourceLocation: SourceLocation) throws -> NotebookRun {
        let process = try BuiltProduct(executable).run(["--quick", "--output", directory.path] + arguments)
        try #require(process.status == 0, "stderr: \(process.stderr)", sourceLocation: sourceLocation)
        #expect(process.stdout.contains("Saved"), sourceLocation: sourceLocation)
        let folder = directory.url.appendingPathComponent(name)
        let expected = figures.flatMap { ["\($0).png", "\($0).svg"] } + ["\(name).ipynb", "\(name).md", "results.json"]
        #expect(try directory.files(in: name) == expected.sorted(), sourceLocation: sourceLocation)
        let run = NotebookRun(process: process, folder: folder,
                              results: try NotebookResults(contentsOf: folder.appendingPathComponent("results.json")))
        #expect(run.results.completed == true, sourceLocation: sourceLocation)
        #expect(run.results.isQuick == true, sourceLocation: sourceLocation)
        #expect(run.results.figures == figures, sourceLocation: sourceLocation)
        for figure in figures {
            #expect(PNGCheck.size(try run.data("\(figure).png")) != nil, "\(figure).png is not a PNG", sourceLocation: sourceLocation)
            let svg = String(decoding: try run.data("\(figure).svg"), as: UTF8.self)
            #expect(svg.hasPrefix("<?xml") && svg.contains("<svg"), "\(figure).svg is not an SVG", sourceLocation: sourceLocation)
        }
        try checkExports(of: run, sourceLocation: sourceLocation)
        return run
    }

    /// The Jupyter export is nbformat 4 with markdown and code cells and
    /// every figure embedded as a PNG; the Markdown links every figure.
    private func checkExports(of run: NotebookRun, sourceLocation: SourceLocation) throws {
        let notebook = try #require(try JSONSerialization.jsonObject(with: run.data("\(name).ipynb")) as? [String: Any],
                                    sourceLocation: sourceLocation)
        #expect(notebook["nbformat"] as? Int == 4, sourceLocation: sourceLocation)
        let cells = try #require(notebook["cells"] as? [[String: Any]], sourceLocation: sourceLocation)
        #expect(Set(cells.compactMap { $0["cell_type"] as? String }) == ["markdown", "code"], sourceLocation: sourceLocation)
        let images = cells.flatMap { ($0["outputs"] as? [[String: Any]]) ?? [] }
            .compactMap { ($0["data"] as? [String: Any])?["image/png"] as? String }
        #expect(images.count == figures.count, sourceLocation: sourceLocation)
        for image in images {
            #expect(Data(base64Encoded: image).map(PNGCheck.looksLikePNG) == true, sourceLocation: sourceLocation)
        }
        let markdown = String(decoding: try run.data("\(name).md"), as: UTF8.self)
        for figure in figures {
            #expect(markdown.contains("(\(figure).png)"), "\(name).md does not link \(figure).png", sourceLocation: sourceLocation)
        }
    }
}
