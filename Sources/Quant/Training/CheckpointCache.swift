import Foundation

/// Trained FP32 models kept on disk so later notebooks reuse them instead
/// of retraining: one safetensors file per (training settings, data).
///
/// The file name is `mlp-<16 hex digits>.safetensors`, the start of the
/// SHA-256 of the settings' ``TrainingSettings/summary`` and the data's
/// ``ImageClassificationData/checksum``; the full key text and the
/// per-epoch history (losses, accuracies — not timings) are stored in the
/// file's metadata and checked on load. Files are written atomically.
///
/// ```swift
/// let store = DataStore(dataDirectory: options.data)
/// let mnist = try store.load(.mnist)
/// let (run, reused) = try CheckpointCache(store: store).trainOrLoad(.seedRecipe, data: mnist, progress: ProgressBar())
/// ```
public struct CheckpointCache: Sendable {
    /// Where checkpoints are stored (created on first store).
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    /// The cache in `store`'s per-user cache folder: `<cache>/checkpoints`.
    public init(store: DataStore) {
        self.init(folder: store.cacheFolder.appendingPathComponent("checkpoints"))
    }

    /// The text a checkpoint is keyed by.
    public static func key(_ settings: TrainingSettings, dataChecksum: String) -> String {
        settings.summary + " data=" + dataChecksum
    }

    /// The file for `settings` trained on data with `dataChecksum`.
    public func url(for settings: TrainingSettings, dataChecksum: String) -> URL {
        let hash = SHA256.hexDigest(of: Array(Self.key(settings, dataChecksum: dataChecksum).utf8))
        return folder.appendingPathComponent("mlp-\(hash.prefix(16)).safetensors")
    }

    /// The cached run for these settings and data, or `nil` when there is none.
    ///
    /// - Throws: ``CheckpointError`` when a file exists but is damaged or
    ///   belongs to other settings (the message says to delete it).
    public func load(_ settings: TrainingSettings, dataChecksum: String) throws(CheckpointError) -> TrainingRun? {
        let url = url(for: settings, dataChecksum: dataChecksum)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file: Safetensors
        do { file = try Safetensors(contentsOf: url) } catch { throw .unreadable(path: url.path, reason: error.description) }
        let expected = Self.key(settings, dataChecksum: dataChecksum)
        guard file.metadata[MetadataKey.key] == expected else {
            throw .keyMismatch(path: url.path, expected: expected, found: file.metadata[MetadataKey.key] ?? "(none)")
        }
        let history: [EpochReport]
        do {
            history = try JSONDecoder().decode([EpochReport].self, from: Data((file.metadata[MetadataKey.history] ?? "").utf8))
        } catch {
            throw .unreadable(path: url.path, reason: "its training history is not readable (\(error.localizedDescription))")
        }
        let model: Sequential
        do { model = try Sequential(checkpoint: file) } catch { throw .unreadable(path: url.path, reason: error.description) }
        let sizes = [model.inputFeatures] + model.layers(of: Linear.self).map(\.outputFeatures)
        guard sizes == settings.sizes, model.layers.count == 2 * settings.sizes.count - 3 else {
            throw .unreadable(path: url.path, reason: "it holds a model of sizes \(sizes), expected an MLP of \(settings.sizes)")
        }
        return TrainingRun(settings: settings, model: model, history: history)
    }

    /// Stores `run` for data with `dataChecksum`; returns the file written.
    @discardableResult
    public func store(_ run: TrainingRun, dataChecksum: String) throws(CheckpointError) -> URL {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotStore(path: folder.path, reason: error.localizedDescription)
        }
        // Timings vary from run to run; leaving them out keeps the file's bytes reproducible.
        let history = run.history.map {
            EpochReport(epoch: $0.epoch, trainLoss: $0.trainLoss, trainAccuracy: $0.trainAccuracy, testAccuracy: $0.testAccuracy, seconds: nil)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let historyJSON = (try? encoder.encode(history)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let file: Safetensors
        do {
            file = try run.model.checkpoint(metadata: [
                MetadataKey.key: Self.key(run.settings, dataChecksum: dataChecksum),
                MetadataKey.history: historyJSON,
                "format": "pt",
            ])
        } catch {
            throw .cannotStore(path: folder.path, reason: error.description)
        }
        let url = url(for: run.settings, dataChecksum: dataChecksum)
        do { try file.write(to: url) } catch { throw .cannotStore(path: url.path, reason: error.description) }
        return url
    }

    /// The cached run for `settings` on `data`, or a new one trained (with
    /// the test accuracy after every epoch) and stored. `reused` says which.
    public func trainOrLoad(_ settings: TrainingSettings, data: ImageClassificationData, progress: ProgressBar? = nil,
                            onEpoch: (EpochReport) -> Void = { _ in }) throws(CheckpointError) -> (run: TrainingRun, reused: Bool) {
        if let run = try load(settings, dataChecksum: data.checksum) { return (run, true) }
        let run: TrainingRun
        do {
            run = try Trainer(settings: settings).train(on: data.train, test: data.test, progress: progress, onEpoch: onEpoch)
        } catch {
            throw .training(error)
        }
        try store(run, dataChecksum: data.checksum)
        return (run, false)
    }

    private enum MetadataKey {
        static let key = "quant.training"
        static let history = "quant.history"
    }
}
