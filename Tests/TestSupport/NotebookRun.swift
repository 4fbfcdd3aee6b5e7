import Foundation
import Notebook

/// One finished run of a notebook's executable: what it printed and the
/// folder it wrote (`<output>/<notebook>/`), with its `results.json` read.
public struct NotebookRun: Sendable {
    /// Exit status and output of the process.
    public let process: BuiltProduct.Result
    /// The run's folder: figures, `.ipynb`, `.md`, `results.json`.
    public let folder: URL
    /// `results.json`, to read by the notebook's typed keys.
    public let results: NotebookResults

    /// The narration on standard output.
    public var stdout: String { process.stdout }

    /// The bytes of `file` in the run's folder.
    public func data(_ file: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(file))
    }
}
