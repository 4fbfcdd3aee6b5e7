/// What one training epoch did: its mean training loss, how long the
/// training pass took (evaluation excluded), and the test accuracy after it.
///
/// ```swift
/// for r in run.history { print(r.epoch, r.trainLoss, r.testAccuracy ?? .nan, r.seconds ?? .nan) }
/// ```
public struct EpochReport: Sendable, Hashable, Codable {
    /// 1 for the first epoch.
    public let epoch: Int
    /// The mean over the epoch's batches of the batch-mean cross-entropy.
    public let trainLoss: Double
    /// The fraction of the training examples classified correctly during
    /// the epoch (each batch judged just before its update: free to measure,
    /// slightly below the accuracy of the end-of-epoch model).
    public let trainAccuracy: Double?
    /// The test accuracy after the epoch, when a test set was given.
    public let testAccuracy: Double?
    /// Wall-clock seconds of the epoch's training pass; `nil` for a run
    /// loaded from the checkpoint cache (timings are not stored, so that a
    /// checkpoint's bytes depend only on the settings and data).
    public let seconds: Double?

    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double?, testAccuracy: Double?, seconds: Double?) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.testAccuracy = testAccuracy
        self.seconds = seconds
    }
}
