import Foundation

/// A notebook run: the cells, in the order the notebook's source declares
/// them, each printed as it runs and kept for the exports.
///
/// A notebook's `cells(_:)` receives the run as `inout Notebook` and calls
/// `markdown` and `code` top to bottom, so the source reads like the
/// `.ipynb` it produces. `Notebook` is a value type used through `inout` on
/// purpose: Swift's exclusivity rule then forbids a cell from touching the
/// notebook while it runs (no cell can start another cell or record into
/// the wrong one — that is a compile-time error), and values a later cell
/// needs are passed the ordinary way, as `let`s the cell returns:
///
/// ```swift
/// func cells(_ nb: inout Notebook) throws {
///     nb.markdown("## The affine map\nA float `x` is stored as an integer code `q` …")
///     let p = try nb.code("Scale and zero-point from a range") { cell in
///         let p = try QuantParams(min: -1, max: 3, bits: 8)
///         cell.print("scale = \(p.scale)")
///         try cell.record("scale_8bit", p.scale)
///         return p
///     }
///     try nb.code("Quantize a few values") { cell in cell.print(p.quantize(0.5)) }
/// }
/// ```
public struct Notebook {
    /// The notebook's name and title.
    public let info: NotebookInfo
    /// The common flags of this run.
    public let options: NotebookOptions
    /// Whether the run is `--quick` (use smaller sizes).
    public var isQuick: Bool { options.quick }
    /// The seed the notebook's random data comes from, written to
    /// `results.json` (set it before the first cell when there is one).
    /// Each code cell derives its own seed from it (``CodeCell/seed``).
    public var seed: UInt64?

    var cells: [RecordedCell] = []
    /// Every recorded result with the cell that recorded it.
    var results: [String: (value: ResultValue, cell: Int)] = [:]
    /// Figures written, in order.
    var figures: [String] = []

    let console: Console
    let folder: OutputFolder
    private var sources = CellSource()
    private var executionCount = 0
    /// Topics (`## ` sections) begun so far.
    private(set) var topicCount = 0

    init(info: NotebookInfo, options: NotebookOptions, console: Console, folder: OutputFolder) {
        self.info = info
        self.options = options
        self.console = console
        self.folder = folder
    }

    /// `full` normally, `quick` under `--quick`:
    /// `let n = nb.size(full: 1_000_000, quick: 10_000)`.
    public func size<T>(full: T, quick: T) -> T { isQuick ? quick : full }

    /// A markdown cell: prose, headings, lists, tables, `code`. Printed
    /// wrapped for the terminal; kept verbatim in the `.ipynb` and `.md`.
    public mutating func markdown(_ text: String) {
        let number = cells.count + 1
        if Self.isTopic(text) {
            topicCount += 1
            if topicCount == options.topic { console.isMuted = false }
        }
        console.line(rule("[\(number)]"))
        console.line(TerminalMarkdown(console: console).render(text))
        console.line()
        cells.append(RecordedCell(number: number, kind: .markdown, markdown: text))
        console.pause()
    }

    /// A code cell: runs `body`, printing its title, its output and how long
    /// it took. Its Swift source for the `.ipynb` is read from `file` at
    /// `line` (leave both defaulted; see `CellSource`). Returns what `body`
    /// returns, so later cells can use values computed here.
    ///
    /// - Throws: `NotebookError.cellFailed` (or the `NotebookError` the cell
    ///   threw) when `body` throws; the cell's output up to the error and
    ///   the error itself are kept for the exports.
    @discardableResult
    public mutating func code<T>(_ title: String, file: String = #filePath, line: Int = #line,
                                 _ body: (inout CodeCell) throws -> T) throws -> T {
        let number = cells.count + 1
        executionCount += 1
        let source = sources.body(file: file, line: line)
            ?? "// \(title)\n// (source not available: \(file) is not on this machine)"
        console.line(rule("[\(number)] \(title)"))
        var cell = CodeCell(
            number: number, title: title, isQuick: isQuick, notebookSeed: seed, console: console, folder: folder,
            drawFigures: !options.noFigures, earlierKeys: results.mapValues(\.cell),
            earlierFigures: Set(figures))
        let start = DispatchTime.now().uptimeNanoseconds
        var failure: Error?
        var value: T?
        do {
            value = try body(&cell)
        } catch {
            failure = error
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        for (key, result) in cell.records { results[key] = (result, number) }
        figures += cell.figures
        var recorded = RecordedCell(
            number: number, kind: .code(title: title, source: source, executionCount: executionCount),
            outputs: cell.outputs, seconds: seconds)
        if let failure {
            recorded.outputs.append(.error(type: String(describing: type(of: failure)), message: "\(failure)"))
            cells.append(recorded)
            console.line(console.style("error: \(failure)", .red))
            throw failure as? NotebookError
                ?? NotebookError.cellFailed(cell: number, title: title, message: "\(failure)")
        }
        cells.append(recorded)
        console.line(console.style(String(format: "(%.3f s)", seconds), .dim))
        console.line()
        console.pause()
        return value!
    }

    /// Whether a markdown cell starts a topic: its text opens with a
    /// second-level heading (`## 3. Integer-only inference`). `--topic N`
    /// counts these, and `notebooks --list` lists them by the same rule.
    public static func isTopic(_ markdown: String) -> Bool { markdown.hasPrefix("## ") }

    /// `── [3] Title ─────…` across the console width.
    private func rule(_ label: String) -> String {
        let head = "── " + label + " "
        let fill = String(repeating: "─", count: max(3, console.width - head.count))
        return console.style(head + fill, .boldCyan)
    }
}
