import Foundation

/// Trains a ``Sequential`` model with mini-batch gradient descent, deterministically.
///
/// Each epoch shuffles the training examples (seeded), then for every batch
/// runs forward, softmax cross-entropy, backward and an optimiser step, all
/// in buffers allocated once before the first epoch. The trainer trains the
/// model it is given — a fresh MLP, or one whose layers were swapped for
/// others (fake-quantized layers for QAT) — as long as every layer is a
/// ``TrainableLayer``. The shuffling comes from a seed derived from
/// `settings.seed` (which also seeds the fresh MLP's weights), so a run is
/// reproducible bit for bit on a given machine and BLAS.
///
/// ```swift
/// let trainer = Trainer(settings: .seedRecipe)
/// let run = try trainer.train(on: data.train, test: data.test, progress: ProgressBar())   // a new MLP
/// let tuned = try Trainer(settings: fineTune).train(run.model, on: data.train)           // a given model
/// ```
public struct Trainer: Sendable {
    public let settings: TrainingSettings

    public init(settings: TrainingSettings) {
        self.settings = settings
    }

    /// Trains a freshly initialised MLP of `settings.sizes`, its weights
    /// drawn from `settings.seed` (see ``Sequential/mlp(sizes:seed:)``).
    public func train(on train: ImageDataset, test: ImageDataset? = nil, progress: ProgressBar? = nil,
                      onEpoch: (EpochReport) -> Void = { _ in }) throws(ModelError) -> TrainingRun {
        try self.train(Sequential.mlp(sizes: settings.sizes, seed: settings.seed), on: train, test: test,
                       progress: progress) { report, _ in onEpoch(report) }
    }

    /// Trains `model` (see ``train(_:on:test:progress:onEpoch:)``) with no per-epoch callback.
    public func train(_ model: Sequential, on train: ImageDataset, test: ImageDataset? = nil,
                      progress: ProgressBar? = nil) throws(ModelError) -> TrainingRun {
        try self.train(model, on: train, test: test, progress: progress) { _, _ in }
    }

    /// Trains `model` on `train` (its first `settings.trainingExamples`
    /// examples, if set) for `settings.epochs` epochs; `settings.sizes` is
    /// not used (the model is what it is).
    ///
    /// - Parameters:
    ///   - test: evaluated after every epoch when given (not used for training).
    ///   - progress: shows progress; `nil` for silence.
    ///   - onEpoch: called after every epoch with its report and the model as
    ///     it is then (e.g. to log, plot, or read learned step sizes).
    /// - Throws: ``ModelError`` when a layer cannot be trained or the data
    ///   does not fit the model's sizes.
    public func train(_ model: Sequential, on train: ImageDataset, test: ImageDataset? = nil, progress: ProgressBar? = nil,
                      onEpoch: (EpochReport, Sequential) -> Void) throws(ModelError) -> TrainingRun {
        var model = model
        if let error = model.untrainableLayer() { throw error }
        let data = settings.trainingExamples.map { train.prefix($0) } ?? train
        for split in [data] + (test.map { [$0] } ?? []) {
            guard split.featureCount == model.inputFeatures else {
                throw .inputShape(expectedFeatures: model.inputFeatures, shape: [split.count, split.featureCount])
            }
            guard split.classCount <= model.outputFeatures else {
                throw .labels("the data has \(split.classCount) classes but the model only \(model.outputFeatures) outputs")
            }
        }
        var history = [EpochReport]()
        switch settings.optimizer {
        case .adam(let lr):
            var adam = Adam(learningRate: lr)
            try run(&model, on: data, test: test, optimizer: &adam, progress: progress, history: &history, onEpoch: onEpoch)
        case .sgd(let lr, let momentum):
            var sgd = SGD(learningRate: lr, momentum: momentum)
            try run(&model, on: data, test: test, optimizer: &sgd, progress: progress, history: &history, onEpoch: onEpoch)
        }
        return TrainingRun(settings: settings, model: model, history: history)
    }

    /// Runs `settings.epochs` epochs of `optimizer` on `model`.
    private func run<O: Optimizer>(_ model: inout Sequential, on data: ImageDataset, test: ImageDataset?, optimizer: inout O,
                                  progress: ProgressBar?, history: inout [EpochReport],
                                  onEpoch: (EpochReport, Sequential) -> Void) throws(ModelError) {
        guard data.count > 0 else { throw .labels("the training set is empty") }
        guard settings.epochs > 0 else { return }
        var progress = progress
        // A different stream from the weights' seed: SplitMix-style odd constant.
        var batches = MiniBatches(exampleCount: data.count, featureCount: data.featureCount,
                                  batchSize: settings.batchSize, seed: settings.seed &+ 0x9E37_79B9_7F4A_7C15)
        let workspace = SequentialWorkspace(model, maxRows: batches.batchSize)
        let total = settings.epochs * batches.batchCount
        let baseRate = optimizer.learningRate
        let runStart = Self.now()
        for epoch in 1...settings.epochs {
            model.startEpoch(epoch)
            batches.shuffle()
            let start = Self.now()
            var lossSum = 0.0, correct = 0
            for b in 0..<batches.batchCount {
                let step = (epoch - 1) * batches.batchCount + b
                optimizer.learningRate = baseRate * settings.schedule.factor(step: step, of: total)
                let rows = batches.load(b, from: data)
                let (loss, batchCorrect) = try batches.features.withUnsafeBufferPointer { x throws(ModelError) in
                    try batches.labels.withUnsafeBufferPointer { y throws(ModelError) in
                        try model.trainStep(x.baseAddress!, labels: y.baseAddress!, rows: rows, workspace: workspace, optimizer: &optimizer)
                    }
                }
                lossSum += Double(loss)
                correct += batchCorrect
                if progress != nil {
                    let now = Self.now()
                    let done = (epoch - 1) * batches.batchCount + b + 1
                    let rate = Double((b + 1) * batches.batchSize) / max(now - start, 1e-9)
                    let left = (now - runStart) / Double(done) * Double(total - done)
                    progress!.update(epoch: epoch, of: settings.epochs, batch: b + 1, of: batches.batchCount,
                                     loss: lossSum / Double(b + 1), imagesPerSecond: rate, secondsLeft: left, now: now)
                }
            }
            let seconds = Self.now() - start
            let report = EpochReport(epoch: epoch, trainLoss: lossSum / Double(batches.batchCount),
                                     trainAccuracy: Double(correct) / Double(data.count),
                                     testAccuracy: try test.map { (test) throws(ModelError) in try model.accuracy(on: test) }, seconds: seconds)
            history.append(report)
            let accuracy = report.testAccuracy.map { String(format: " test accuracy %.2f%%", 100 * $0) } ?? ""
            progress?.finishEpoch("epoch \(epoch)/\(settings.epochs) loss " + String(format: "%.4f", report.trainLoss) + accuracy
                                  + String(format: " %.2f s (%.0f img/s)", seconds, Double(data.count) / seconds))
            onEpoch(report, model)
        }
    }

    /// Monotonic seconds.
    static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
