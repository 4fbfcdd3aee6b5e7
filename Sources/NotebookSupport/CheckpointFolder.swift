import Foundation
import Quant

/// The folder a notebook writes the checkpoints it measures into: the
/// user's `--checkpoints DIR`, kept after the run; otherwise a fresh
/// temporary folder, since a checkpoint's size is measured on disk.
///
/// ```swift
/// let scratch = try modelOptions.checkpointFolder(label: "notebook-mini2")
/// defer { scratch.removeIfTemporary() }
/// let bytes = try scratch.write(fp32.checkpoint(), as: "mini2-mnist-fp32.safetensors")
/// ```
public struct CheckpointFolder: Sendable {
    /// The folder.
    public let url: URL
    /// Whether it is a temporary folder of this run (removed at its end).
    public let isTemporary: Bool

    /// `path` when given, else `<temporary>/<label>-<UUID>`; created when missing.
    public init(keeping path: String?, label: String) throws {
        if let path {
            url = URL(fileURLWithPath: path, isDirectory: true)
            isTemporary = false
        } else {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
            isTemporary = true
        }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `file` (atomically) as `name` in the folder and returns its
    /// size on disk in bytes.
    public func write(_ file: Safetensors, as name: String) throws -> Int {
        let fileURL = url.appendingPathComponent(name)
        try file.write(to: fileURL)
        return (try FileManager.default.attributesOfItem(atPath: fileURL.path)[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Deletes the folder when it is a temporary one; keeps `--checkpoints`.
    public func removeIfTemporary() {
        if isTemporary { try? FileManager.default.removeItem(at: url) }
    }
}
