import Foundation

/// A run's `results.json` read back, for the checks and the write-up that
/// read the numbers a run computed rather than its prose.
///
/// Values are read by the same ``ResultKey`` the notebook recorded with, so
/// they come back as the type it wrote (`nil` when the key is missing or
/// holds another type). The facts the run writes about itself have their
/// own properties.
///
/// ```swift
/// let results = try NotebookResults(contentsOf: folder.appendingPathComponent("results.json"))
/// #expect(results.completed == true)
/// let accuracy = try #require(results[Mini2Results.fp32Accuracy])
/// ```
public struct NotebookResults: Sendable {
    /// Every top-level member, recorded values and run facts alike.
    public let members: [String: ResultValue]

    /// Reads and parses the file at `url`.
    ///
    /// - Throws: the file's read error, or a `DecodingError` when it is not
    ///   a JSON object.
    public init(contentsOf url: URL) throws {
        members = try JSONDecoder().decode([String: ResultValue].self, from: Data(contentsOf: url))
    }

    /// The value recorded under `key`, or nil when there is none of its type.
    public subscript<Value>(key: ResultKey<Value>) -> Value? {
        members[key.name].flatMap(Value.init(resultValue:))
    }

    /// Whether every cell ran (false: `error` says what stopped the run).
    public var completed: Bool? { self[ResultKey<Bool>("completed")] }

    /// Whether the run was `--quick`.
    public var isQuick: Bool? { self[ResultKey<Bool>("quick")] }

    /// The figures written, in order.
    public var figures: [String]? { self[ResultKey<[String]>("figures")] }
}
