import Foundation

/// One cell as the run saw it: what the exports (`.ipynb`, `.md`,
/// `results.json`) are written from.
struct RecordedCell {
    enum Kind: Equatable {
        case markdown
        /// `source` is the cell's Swift code; `executionCount` its `In [n]`.
        case code(title: String, source: String, executionCount: Int)
    }

    /// 1-based position among the notebook's cells, as printed (`[3]`).
    var number: Int
    var kind: Kind
    /// The markdown text for a markdown cell; empty for code.
    var markdown: String = ""
    var outputs: [CellOutput] = []
    /// Wall-clock seconds the code took (nil for markdown).
    var seconds: Double?
}

/// What a code cell showed, in order.
enum CellOutput: Equatable {
    /// Text the cell printed (an `.ipynb` `stream` output on stdout).
    case text(String)
    /// A table (an `.ipynb` `execute_result` with `text/plain` and `text/markdown`).
    case table(TextTable)
    /// A figure written as `<name>.png`/`.svg` (an `.ipynb` `display_data`
    /// with the PNG embedded, then one with the caption).
    case figure(name: String, caption: String, png: Data)
    /// The error that stopped the cell (an `.ipynb` `error` output).
    case error(type: String, message: String)
}
