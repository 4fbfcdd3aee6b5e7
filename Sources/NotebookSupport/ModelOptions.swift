import Foundation
import Notebook
import Quant

/// The flags of every notebook that starts from the FP32 model mini2 trains:
/// which data, which seed, and where to keep the checkpoints it writes.
/// Embed them beside ``NotebookOptions``:
///
/// ```swift
/// @main struct Mini3: NotebookCommand {
///     @OptionGroup var options: NotebookOptions
///     @OptionGroup var modelOptions: ModelOptions
///     func cells(_ nb: inout Notebook) throws {
///         let fp32Source = modelOptions.baseline(quick: nb.isQuick)
///         let data = try fp32Source.loadData()
///         let fp32 = try fp32Source.trainOrLoad(on: data, progress: ProgressBar()).model
///         …
/// ```
///
/// The same flags give the same ``FP32Baseline``, so a later notebook finds
/// mini2's model in the checkpoint cache instead of training it again.
public struct ModelOptions: ParsableArguments, Sendable {
    @Option(help: "A folder holding mnist/ or fashion-mnist/ (default: $QUANT_DATA, then the per-user cache).")
    public var data: String?

    @Option(help: "The dataset: mnist or fashion-mnist.")
    public var dataset: String = DatasetKind.mnist.rawValue

    @Option(parsing: .unconditional, help: "The training seed (initialisation and shuffling).")
    public var seed: UInt64 = TrainingSettings.seedRecipe.seed

    @Option(help: "Also keep the FP32 and int8 checkpoints in this folder (they are measured in a temporary one otherwise).")
    public var checkpoints: String?

    public init() {}

    /// The dataset `--dataset` names (MNIST until ``validate()`` has run).
    public var kind: DatasetKind { DatasetKind(rawValue: dataset) ?? .mnist }

    /// Rejects an unknown dataset, and a checkpoint folder that cannot be
    /// made, before any cell runs. ArgumentParser calls this for every
    /// `@OptionGroup`.
    public func validate() throws {
        guard DatasetKind(rawValue: dataset) != nil else {
            throw ValidationError("unknown dataset '\(dataset)'; use one of: \(DatasetKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let checkpoints {
            do {
                try FileManager.default.createDirectory(atPath: checkpoints, withIntermediateDirectories: true)
            } catch {
                throw ValidationError("cannot use \(checkpoints) as the checkpoint folder (\(error.localizedDescription)); give a folder, or a path where one can be made")
            }
        }
    }

    /// `notebook` on MNIST; on another dataset `<name>-<dataset>` with the
    /// title `title(kind)`, so that a Fashion-MNIST run writes beside the
    /// MNIST run (`mini2-fashion-mnist/`), not over it.
    public func info(for notebook: NotebookInfo, title: (DatasetKind) -> String) -> NotebookInfo {
        guard let kind = DatasetKind(rawValue: dataset), kind != .mnist else { return notebook }
        return NotebookInfo(name: "\(notebook.name)-\(kind.rawValue)", title: title(kind))
    }

    /// The FP32 model these flags choose (the quick-run subset under `--quick`).
    public func baseline(quick: Bool) -> FP32Baseline {
        FP32Baseline(kind: kind, seed: seed, quick: quick, store: DataStore(dataDirectory: data))
    }

    /// `--checkpoints DIR`, or a fresh temporary folder named after `label`
    /// (e.g. `notebook-mini2`) that ``CheckpointFolder/removeIfTemporary()``
    /// deletes at the end of the run.
    public func checkpointFolder(label: String) throws -> CheckpointFolder {
        try CheckpointFolder(keeping: checkpoints, label: label)
    }
}
