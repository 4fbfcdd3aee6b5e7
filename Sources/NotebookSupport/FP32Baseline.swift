import Quant

/// Where a notebook's FP32 model comes from: the dataset, the training
/// settings (the seed recipe with the run's seed; a subset in quick runs),
/// and the data store and checkpoint cache that hold both.
///
/// mini2 trains this model and later notebooks quantize it again: because
/// they build the same baseline from the same flags, they load mini2's
/// model from the checkpoint cache (in seconds) instead of retraining it.
///
/// ```swift
/// let baseline = FP32Baseline(kind: .mnist, seed: 1, quick: false)
/// let data = try baseline.loadData()
/// let trained = try baseline.trainOrLoad(on: data, progress: ProgressBar())
/// ```
public struct FP32Baseline: Sendable {
    /// Epochs of a quick run: enough for a model well above chance.
    public static let quickEpochs = 2
    /// Training images of a quick run (the first ones of the training set).
    public static let quickTrainingExamples = 3000

    /// The dataset it is trained on.
    public let kind: DatasetKind
    /// How it is trained; the checkpoint cache keys on these.
    public let settings: TrainingSettings
    /// Where the data (and the checkpoint cache) is found.
    public let store: DataStore

    /// The seed recipe (``TrainingSettings/seedRecipe``) with `seed`; with
    /// `quick`, ``quickEpochs`` epochs on the first ``quickTrainingExamples`` images.
    public init(kind: DatasetKind = .mnist, seed: UInt64 = TrainingSettings.seedRecipe.seed, quick: Bool = false,
                store: DataStore = DataStore()) {
        var settings = TrainingSettings.seedRecipe
        settings.seed = seed
        if quick {
            settings.epochs = Self.quickEpochs
            settings.trainingExamples = Self.quickTrainingExamples
        }
        self.kind = kind
        self.settings = settings
        self.store = store
    }

    /// The checkpoint cache in the store's per-user cache folder.
    public var cache: CheckpointCache { CheckpointCache(store: store) }

    /// The dataset, found (or downloaded) the way ``DataStore`` finds it;
    /// `log` hears about downloads.
    public func loadData(log: (String) -> Void = { _ in }) throws(DatasetError) -> ImageClassificationData {
        try store.load(kind, log: log)
    }

    /// The cached model for these settings and `data`, or one trained now
    /// (showing `progress`) and stored in the cache for later runs.
    public func trainOrLoad(on data: ImageClassificationData, progress: ProgressBar? = nil) throws(CheckpointError) -> TrainedBaseline {
        let (run, reused) = try cache.trainOrLoad(settings, data: data, progress: progress)
        return TrainedBaseline(run: run, reused: reused, checkpoint: cache.url(for: settings, dataChecksum: data.checksum))
    }
}
