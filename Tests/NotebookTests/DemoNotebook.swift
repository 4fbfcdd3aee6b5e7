import Foundation
import Notebook
import TestSupport

/// A figure that returns a tiny valid PNG (or fails), standing in for
/// `Plot.Figure` so the runtime is tested on its own.
struct FakeFigure: NotebookFigure {
    struct DrawError: Error, CustomStringConvertible {
        var description: String { "the fake figure was asked to fail" }
    }

    var fails = false

    func pngData() throws -> Data {
        if fails { throw DrawError() }
        return PNGCheck.onePixel
    }

    func svgData() throws -> Data {
        Data(#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>"#.utf8)
    }
}

/// The small notebook the runtime tests run end to end, written the way a
/// real notebook is: one command, cells top to bottom, its own `--seed`.
struct DemoNotebook: NotebookCommand {
    @OptionGroup var options: NotebookOptions
    @Option(help: "The seed of the demo's numbers.") var seed: UInt64 = 7
    static let notebook = NotebookInfo(name: "demo", title: "A demo notebook")

    func cells(_ nb: inout Notebook) throws {
        nb.seed = seed
        nb.markdown("""
            ## Rounding to a grid
            A float `x` is stored as an integer code `q`, and this sentence is long on purpose \
            so that the terminal renderer has to wrap it onto a second line.
            - a **bold** first point
            - a second point

            | x | q |
            |---|--:|
            | 0.5 | 128 |
            """)
        let count = nb.size(full: 1000, quick: 10)
        let total = try nb.code("Count and scale") { cell in
            let total = (1...count).reduce(0, +)
            cell.print("count =", count)
            cell.print("total = \(total)")
            try cell.record("count", count)
            try cell.record("scale", Float(0.1))
            return total
        }
        try nb.code("A table and a figure") { cell in
            try cell.table(["x", "q"], [[0.5, 128], [-1.0, 0]])
            try cell.figure("pixel", FakeFigure(), caption: "One pixel")
            try cell.record("summary", ["total": total.resultValue, "bits": [1, 2, 3], "lossless": .double(.infinity)])
        }
        try nb.code("One line") { cell in cell.print("done") }
    }
}

/// A notebook whose second code cell throws, to test the failure path.
struct FailingNotebook {
    struct Boom: Error, CustomStringConvertible {
        var description: String { "boom: bad input at row 3" }
    }

    static func cells(_ nb: inout Notebook) throws {
        try nb.code("Fine") { cell in
            cell.print("before")
            try cell.record("before", 1)
        }
        try nb.code("Breaks") { cell in
            cell.print("partial output")
            throw Boom()
        }
        try nb.code("Never runs") { cell in cell.print("unreachable") }
    }
}
