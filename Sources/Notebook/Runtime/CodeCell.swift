import Foundation

/// What a code cell's body writes to: text, tables, figures and recorded
/// numbers. Everything shows on the terminal as it happens and is kept for
/// the `.ipynb`, `.md` and `results.json`.
///
/// Use `cell.print`, not Swift's `print`: only what goes through the cell is
/// part of the notebook's exported output.
///
/// ```swift
/// try nb.code("Scale and zero-point from a range") { cell in
///     cell.print("scale = \(p.scale)")
///     try cell.table(["x", "q"], [["0.5", "128"], ["-1.0", "0"]])
///     try cell.record("scale_8bit", p.scale)
///     try cell.figure("max_error_vs_bits", figure)
/// }
/// ```
public struct CodeCell {
    /// The cell's number in the notebook (as printed, `[3]`).
    public let number: Int
    /// The cell's title.
    public let title: String
    /// Whether the run is `--quick` (use smaller sizes).
    public let isQuick: Bool
    /// The notebook's seed, from which ``seed`` is derived.
    let notebookSeed: UInt64?

    var outputs: [CellOutput] = []
    /// Keys recorded by this cell, in order.
    var records: [(key: String, value: ResultValue)] = []
    /// Figures written by this cell, in order.
    var figures: [String] = []

    private let console: Console
    private let folder: OutputFolder
    private let drawFigures: Bool
    /// Keys recorded by earlier cells, with the cell that recorded each.
    private let earlierKeys: [String: Int]
    private let earlierFigures: Set<String>

    init(number: Int, title: String, isQuick: Bool, notebookSeed: UInt64?, console: Console, folder: OutputFolder,
         drawFigures: Bool, earlierKeys: [String: Int], earlierFigures: Set<String>) {
        self.number = number
        self.title = title
        self.isQuick = isQuick
        self.notebookSeed = notebookSeed
        self.console = console
        self.folder = folder
        self.drawFigures = drawFigures
        self.earlierKeys = earlierKeys
        self.earlierFigures = earlierFigures
    }

    /// Prints like Swift's `print` and keeps the text as the cell's output.
    public mutating func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
        let text = items.map { "\($0)" }.joined(separator: separator) + terminator
        console.write(text)
        if case .text(let earlier)? = outputs.last {
            outputs[outputs.count - 1] = .text(earlier + text)
        } else {
            outputs.append(.text(text))
        }
    }

    /// Prints, on the terminal only and dimmed, what changes from run to run
    /// with the same seed — a speed, a duration, whether a model came from
    /// the cache: the `.ipynb` and `.md` keep no trace of it, so that a fixed
    /// seed gives byte-identical exports. Record a measured number in
    /// `results.json` too, where the write-up and the checks read it.
    public mutating func note(_ text: String) {
        console.write(console.style(text, .dim) + "\n")
    }

    /// Shows a table: aligned columns on the terminal and in the `.ipynb`'s
    /// plain text, a Markdown table in the `.md` and the `.ipynb`'s rich
    /// view. Columns whose entries are all numbers are right-aligned. Format
    /// numbers yourself (e.g. `String(format: "%.4f", x)`) to choose digits.
    ///
    /// - Throws: `NotebookError.tableShape` when a row has the wrong length.
    public mutating func table(_ headers: [String], _ rows: [[any CustomStringConvertible]]) throws {
        for (i, row) in rows.enumerated() where row.count != headers.count {
            throw NotebookError.tableShape(row: i + 1, count: row.count, columns: headers.count, cell: number)
        }
        let table = TextTable(headers: headers, rows: rows.map { $0.map(\.description) })
        console.line(table.plainText(styleHeader: { [console] in console.style($0, .bold) }))
        outputs.append(.table(table))
    }

    /// Records a number (or array or object of them) under `key` in
    /// `results.json`, so that later checks and the write-up read the value
    /// the run computed. A notebook whose results others read records with
    /// a ``ResultKey`` instead (the overload below), so both sides
    /// spell the name once.
    ///
    /// - Throws: `NotebookError.duplicateResult` when `key` was recorded
    ///   before in this run, `.reservedResultKey` for keys `results.json`
    ///   keeps for the run itself (`notebook`, `quick`, `seed`, …).
    public mutating func record(_ key: String, _ value: some ResultConvertible) throws {
        if ResultsFile.reservedKeys.contains(key) {
            throw NotebookError.reservedResultKey(key: key, cell: number)
        }
        if let first = earlierKeys[key] {
            throw NotebookError.duplicateResult(key: key, firstCell: first, cell: number)
        }
        if records.contains(where: { $0.key == key }) {
            throw NotebookError.duplicateResult(key: key, firstCell: number, cell: number)
        }
        records.append((key, value.resultValue))
    }

    /// Records `value` under a typed key, the one the notebook's tests and
    /// the write-up read it back with (see ``ResultKey``).
    ///
    /// - Throws: as the `String`-keyed `record(_:_:)` above.
    public mutating func record<Value>(_ key: ResultKey<Value>, _ value: Value) throws {
        try record(key.name, value)
    }

    /// Draws `figure` and writes it as `<name>.png` and `<name>.svg` in the
    /// run's folder; the PNG is also embedded in the `.ipynb` and linked from
    /// the `.md`. With `--no-figures` nothing is drawn or written.
    ///
    /// Both formats are drawn before either is written, so a figure that
    /// fails to draw leaves no file behind.
    ///
    /// - Parameters:
    ///   - name: the file name without extension: letters, digits, `_`, `-`, `.`.
    ///   - caption: alt text in the `.md` and `.ipynb`, and a caption output
    ///     under the image in the `.ipynb` (default: `name`).
    /// - Throws: `NotebookError.invalidFigureName`, `.duplicateFigure`,
    ///   `.figureFailed` (the figure threw), `.writeFailed`.
    public mutating func figure(_ name: String, _ figure: some NotebookFigure, caption: String? = nil) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)
        }
        guard !name.isEmpty, allowed, !name.hasPrefix(".") else {
            throw NotebookError.invalidFigureName(name: name, cell: number)
        }
        guard !earlierFigures.contains(name), !figures.contains(name) else {
            throw NotebookError.duplicateFigure(name: name, cell: number)
        }
        guard drawFigures else {
            console.line(console.style("  (figure \(name) not drawn: --no-figures)", .dim))
            return
        }
        let png: Data, svg: Data
        do {
            png = try figure.pngData()
            svg = try figure.svgData()
        } catch {
            throw NotebookError.figureFailed(name: name, cell: number, message: "\(error)")
        }
        try folder.write(png, to: name + ".png")
        try folder.write(svg, to: name + ".svg")
        figures.append(name)
        outputs.append(.figure(name: name, caption: caption ?? name, png: png))
        console.line(console.style("  ↳ figure \(folder.path)/\(name).png (.svg)", .dim))
    }
}
