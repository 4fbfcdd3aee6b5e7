import Foundation
import NotebookSupport
import Quant
import Testing
import TestSupport

/// Checkpoints are measured on disk: in `--checkpoints DIR` (kept) or a
/// temporary folder (removed).
@Suite struct CheckpointFolderTests {
    @Test func temporaryFolderIsRemovedAndKeptFolderStays() throws {
        let model = try Sequential.mlp(sizes: [4, 3, 2], seed: 1)
        let temporary = try CheckpointFolder(keeping: nil, label: "checkpoint-folder-test")
        #expect(temporary.isTemporary)
        let bytes = try temporary.write(model.checkpoint(), as: "model.safetensors")
        let url = temporary.url.appendingPathComponent("model.safetensors")
        #expect(bytes == (try Data(contentsOf: url)).count)
        #expect(bytes > 4 * model.parameterCount)
        temporary.removeIfTemporary()
        #expect(!FileManager.default.fileExists(atPath: temporary.url.path))

        let dir = try TemporaryDirectory("checkpoint-folder")
        defer { dir.remove() }
        let kept = try CheckpointFolder(keeping: dir.url.appendingPathComponent("kept").path, label: "unused")
        #expect(!kept.isTemporary)
        _ = try kept.write(model.checkpoint(), as: "model.safetensors")
        kept.removeIfTemporary()
        #expect(try dir.files(in: "kept") == ["model.safetensors"])
    }
}
