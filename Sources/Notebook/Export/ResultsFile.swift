/// `results.json`: the run's key numbers, for the write-up and for checks
/// that read numbers rather than prose.
///
/// One JSON object, keys sorted, two-space indent. Each `record(key, value)`
/// is a top-level key; beside them the run describes itself under reserved
/// keys:
///
/// ```json
/// {
///   "completed": true,
///   "figures": ["max_error_vs_bits"],
///   "notebook": "mini1",
///   "quick": false,
///   "scale_8bit": 0.015686275,
///   "seed": 42,
///   "timings": {"cells": [{"cell": 2, "seconds": 0.0123, "title": "…"}], "total_seconds": 1.9},
///   "title": "Uniform affine quantization"
/// }
/// ```
///
/// `seed` is present only when the notebook set one; `error` only when a
/// cell failed (then `completed` is false). `timings` holds the only values
/// that differ between two runs with the same flags; the `.ipynb` and `.md`
/// carry no timings, so they are byte-identical on rerun.
enum ResultsFile {
    static let reservedKeys: Set<String> = [
        "completed", "error", "figures", "notebook", "quick", "seed", "timings", "title",
    ]

    static func document(of notebook: Notebook, totalSeconds: Double, failure: Error?) -> JSONText {
        var members = notebook.results.mapValues(\.value.json)
        members["notebook"] = .string(notebook.info.name)
        members["title"] = .string(notebook.info.title)
        members["quick"] = .bool(notebook.isQuick)
        members["completed"] = .bool(failure == nil)
        members["figures"] = .array(notebook.figures.map(JSONText.string))
        if let seed = notebook.seed {
            members["seed"] = seed <= UInt64(Int.max) ? .int(Int(seed)) : .string(String(seed))
        }
        if let failure { members["error"] = .string("\(failure)") }
        let cells: [JSONText] = notebook.cells.compactMap { cell in
            guard case .code(let title, _, _) = cell.kind, let seconds = cell.seconds else { return nil }
            return .object(["cell": .int(cell.number), "title": .string(title), "seconds": .double(microseconds(seconds))])
        }
        members["timings"] = .object(["cells": .array(cells), "total_seconds": .double(microseconds(totalSeconds))])
        return .object(members)
    }

    /// Seconds rounded to the microsecond: finer digits are clock noise.
    private static func microseconds(_ seconds: Double) -> Double {
        (seconds * 1e6).rounded() / 1e6
    }
}
