import Foundation
import Notebook

/// The topics of a notebook — its `## ` sections, numbered from 1 as
/// `--topic` counts them — with the titled code cells under each, read from
/// the `.ipynb` its last run exported (so listing takes no time: the cells
/// are only known by running them).
struct TopicListing: Equatable {
    struct Topic: Equatable {
        /// The heading without `## `, e.g. `6. Integer-only inference`.
        var heading: String
        /// The titles of the code cells in the section.
        var cells: [String] = []
    }

    var topics: [Topic] = []

    /// Reads `<name>.ipynb` in `folder`.
    ///
    /// - Throws: ``RunnerError/noRunToList(_:path:)`` when it is missing or
    ///   is not a notebook document.
    init(notebook name: String, folder: URL) throws(RunnerError) {
        let url = folder.appendingPathComponent("\(name).ipynb")
        guard let data = try? Data(contentsOf: url),
              let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cells = document["cells"] as? [[String: Any]]
        else { throw .noRunToList(name, path: url.relativePath) }
        for cell in cells {
            let source = (cell["source"] as? [String])?.joined() ?? (cell["source"] as? String) ?? ""
            switch cell["cell_type"] as? String {
            case "markdown" where Notebook.isTopic(source):
                let heading = source.dropFirst(3).prefix { $0 != "\n" }
                topics.append(Topic(heading: String(heading)))
            case "code":
                if let title = (cell["metadata"] as? [String: Any])?["title"] as? String, !topics.isEmpty {
                    topics[topics.count - 1].cells.append(title)
                }
            default:
                break
            }
        }
    }

    /// `mini3:6  6. Integer-only inference` and its cells indented below.
    func lines(notebook name: String) -> [String] {
        topics.enumerated().flatMap { index, topic in
            ["\(name):\(index + 1)  \(topic.heading)"] + topic.cells.map { "          · \($0)" }
        }
    }
}
