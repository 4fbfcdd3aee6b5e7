import Foundation

/// A fresh, empty folder under the system's temporary directory, for tests
/// that write files; remove it with `remove()` (a `defer` right after
/// creating it).
///
/// ```swift
/// let dir = try TemporaryDirectory()
/// defer { dir.remove() }
/// try Data().write(to: dir.url.appendingPathComponent("x.json"))
/// ```
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ label: String = "quant-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    /// The names of the files under `relative` (sorted), e.g. to check that
    /// no temporary file was left behind.
    public func files(in relative: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent(relative).path).sorted()
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
