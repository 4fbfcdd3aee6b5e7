/// A trained model with the settings and per-epoch history that produced it.
public struct TrainingRun: Sendable {
    public let settings: TrainingSettings
    public let model: Sequential
    public let history: [EpochReport]

    public init(settings: TrainingSettings, model: Sequential, history: [EpochReport]) {
        self.settings = settings
        self.model = model
        self.history = history
    }
}
