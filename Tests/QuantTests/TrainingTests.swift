import Foundation
import Testing
@testable import Quant
import TestSupport

/// Two Gaussian blobs in 8 dimensions (class = which blob), a task a tiny MLP learns in a few steps.
func blobs(count: Int, seed: UInt64) throws -> ImageDataset {
    var g = SeededGenerator(seed: seed)
    var images = [Float](), labels = [Int32]()
    for i in 0..<count {
        let label = Int32(i % 2)
        let noise = Distribution.normal(mean: 0, standardDeviation: 1).samples(8, using: &g)
        images += noise.enumerated().map { $0.element + (label == 0 ? 1 : -1) * Float($0.offset % 3) }
        labels.append(label)
    }
    return try ImageDataset(images: images, labels: labels, imageRows: 2, imageColumns: 4, classCount: 2)
}

@Suite struct TrainingTests {
    @Test func fewStepsLowerTheLoss() throws {
        let data = try blobs(count: 256, seed: 1)
        let settings = TrainingSettings(sizes: [8, 16, 2], epochs: 3, batchSize: 32, optimizer: .adam(learningRate: 1e-2), seed: 2)
        let untrained = try Sequential.mlp(sizes: settings.sizes, seed: settings.seed)
        let loss = SoftmaxCrossEntropy(classes: 2)
        let before = try loss(logits: untrained.logits(Tensor(shape: [256, 8], scalars: data.images)), labels: data.labels)
        let run = try Trainer(settings: settings).train(on: data, test: data)
        let after = try loss(logits: run.model.logits(Tensor(shape: [256, 8], scalars: data.images)), labels: data.labels)
        #expect(after < 0.5 * before, "loss \(before) → \(after)")
        #expect(run.history.count == 3)
        #expect(run.history[2].trainLoss < run.history[0].trainLoss)
        #expect((run.history.last?.testAccuracy ?? 0) > 0.9)
        #expect((run.history[2].trainAccuracy ?? 0) > (run.history[0].trainAccuracy ?? 1))
        #expect(run.history.allSatisfy { ($0.seconds ?? -1) >= 0 })
    }

    @Test func sgdWithMomentumAlsoLearns() throws {
        let data = try blobs(count: 256, seed: 4)
        let settings = TrainingSettings(sizes: [8, 16, 2], epochs: 3, batchSize: 32, optimizer: .sgd(learningRate: 0.05, momentum: 0.9), seed: 2)
        let run = try Trainer(settings: settings).train(on: data, test: data)
        #expect(run.history[2].trainLoss < 0.5 * run.history[0].trainLoss)
    }

    @Test func trainingIsDeterministic() throws {
        let data = try blobs(count: 100, seed: 1)
        let settings = TrainingSettings(sizes: [8, 5, 2], epochs: 2, batchSize: 16, seed: 9)
        let a = try Trainer(settings: settings).train(on: data).model
        let b = try Trainer(settings: settings).train(on: data).model
        #expect(a.layers(of: Linear.self).map(\.weight) == b.layers(of: Linear.self).map(\.weight))
        #expect(a.layers(of: Linear.self).map(\.bias) == b.layers(of: Linear.self).map(\.bias))
        var other = settings
        other.seed = 10
        #expect(try Trainer(settings: other).train(on: data).model.layers(of: Linear.self)[0].weight != a.layers(of: Linear.self)[0].weight)
    }

    @Test func heInitialisationHasTheRightScale() throws {
        let model = try Sequential.mlp(sizes: [784, 256, 128, 10], seed: 1)
        #expect(model.parameterCount == 235_146)
        let w = model.layers(of: Linear.self)[0].weight.map(Double.init)
        let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
        expectClose(variance, 2.0 / 784, rtol: 0.02)
        #expect(model.layers(of: Linear.self).allSatisfy { $0.bias.allSatisfy { $0 == 0 } })
        #expect(throws: ModelError.invalidSizes([784])) { try Sequential.mlp(sizes: [784], seed: 1) }
    }

    @Test func cosineScheduleGoesFromOneToZero() {
        #expect(LearningRateSchedule.constant.factor(step: 7, of: 10) == 1)
        #expect(LearningRateSchedule.cosine.factor(step: 0, of: 10) == 1)
        expectClose(LearningRateSchedule.cosine.factor(step: 5, of: 10), 0.5, atol: 1e-7)
        #expect(LearningRateSchedule.cosine.factor(step: 9, of: 10) < 0.03)
    }

    @Test func scheduleChangesTheRun() throws {
        let data = try blobs(count: 64, seed: 1)
        var settings = TrainingSettings(sizes: [8, 4, 2], epochs: 2, batchSize: 16, seed: 1)
        let constant = try Trainer(settings: settings).train(on: data).model
        settings.schedule = .cosine
        let cosine = try Trainer(settings: settings).train(on: data).model
        #expect(constant.layers(of: Linear.self)[0].weight != cosine.layers(of: Linear.self)[0].weight)
        #expect(settings.summary.contains("schedule=cosine"))
    }

    @Test func adamFirstStepIsLearningRateTimesSign() {
        var adam = Adam(learningRate: 1e-3)
        // Nine values: two groups of four lanes and a scalar tail.
        var p = [Float](repeating: 1, count: 9)
        let g: [Float] = [0.5, -2, 0, 3, -0.25, 1e-3, 7, 0, -1]
        adam.beginStep()
        p.withUnsafeMutableBufferPointer { pp in g.withUnsafeBufferPointer { adam.update(pp, gradients: $0) } }
        // m̂ = g, v̂ = g²: the step is lr·g/(|g| + ε) = lr·sign(g).
        expectClose(p, g.map { $0 == 0 ? 1 : 1 - 1e-3 * ($0 > 0 ? 1 : -1) }, atol: 1e-6)
        // A second step with the same gradient moves by the same amount again.
        adam.beginStep()
        p.withUnsafeMutableBufferPointer { pp in g.withUnsafeBufferPointer { adam.update(pp, gradients: $0) } }
        expectClose(p[0], 1 - 2e-3, atol: 1e-6)
        #expect(adam.step == 2)
    }

    @Test func sgdMomentumFollowsPyTorchsFormula() {
        var sgd = SGD(learningRate: 0.1, momentum: 0.9)
        var p: [Float] = [1]
        for g in [[Float(1)], [Float(2)]] {
            sgd.beginStep()
            p.withUnsafeMutableBufferPointer { pp in g.withUnsafeBufferPointer { sgd.update(pp, gradients: $0) } }
        }
        // b₁ = 1, p₁ = 0.9; b₂ = 0.9·1 + 2 = 2.9, p₂ = 0.9 − 0.29 = 0.61.
        expectClose(p[0], 0.61, atol: 1e-6)
    }

    @Test func miniBatchesShuffleDeterministicallyAndGatherRows() throws {
        let data = try ImageDataset(images: (0..<20).map(Float.init), labels: (0..<10).map { Int32($0 % 3) },
                                    imageRows: 1, imageColumns: 2, classCount: 3)
        var a = MiniBatches(exampleCount: 10, featureCount: 2, batchSize: 4, seed: 7)
        var b = MiniBatches(exampleCount: 10, featureCount: 2, batchSize: 4, seed: 7)
        #expect(a.batchCount == 3)
        a.shuffle(); b.shuffle()
        #expect(a.order == b.order)
        #expect(a.order.sorted() == Array(0..<10))
        #expect(a.order != Array(0..<10))
        let firstOrder = a.order
        a.shuffle()
        #expect(a.order != firstOrder)
        #expect(a.load(2, from: data) == 2)
        let e = a.order[8]
        #expect(a.features[0..<2] == [Float(2 * e), Float(2 * e + 1)])
        #expect(a.labels[0] == Int32(e % 3))
        #expect(a.load(0, from: data) == 4)
    }

    @Test func progressPrintsPlainLinesWhenNotATerminal() {
        final class Lines: @unchecked Sendable { var text = "" }
        let lines = Lines()
        var bar = ProgressBar(isTerminal: false) { lines.text += $0 }
        bar.update(epoch: 1, of: 2, batch: 5, of: 10, loss: 0.5, imagesPerSecond: 1000, secondsLeft: 3, now: 1)
        #expect(lines.text.isEmpty)
        bar.finishEpoch("epoch 1/2 done")
        #expect(lines.text == "epoch 1/2 done\n")
        var tty = ProgressBar(isTerminal: true) { lines.text += $0 }
        tty.update(epoch: 1, of: 2, batch: 5, of: 10, loss: 0.5, imagesPerSecond: 123_456, secondsLeft: 75, now: 1)
        #expect(lines.text.hasSuffix("\r\u{1B}[2Kepoch 1/2 [##########..........] 5/10 loss 0.5000 123k img/s ETA 1:15"))
        #expect(ProgressBar.clock(3725) == "1:02:05")
    }

    @Test func checkpointCacheReusesAndReproduces() throws {
        let temp = try TemporaryFolder()
        let folder = try temp.writeTinyDataset(in: "mnist")
        let data = try ImageClassificationData(kind: .mnist, folder: folder, verify: false)
        let settings = TrainingSettings(sizes: [4, 3, 10], epochs: 2, batchSize: 2, seed: 3)
        let cache = CheckpointCache(folder: temp.url.appendingPathComponent("a"))
        let (first, reusedFirst) = try cache.trainOrLoad(settings, data: data)
        let (second, reusedSecond) = try cache.trainOrLoad(settings, data: data)
        #expect(!reusedFirst && reusedSecond)
        #expect(second.model.layers(of: Linear.self).map(\.weight) == first.model.layers(of: Linear.self).map(\.weight))
        #expect(second.history.map(\.testAccuracy) == first.history.map(\.testAccuracy))
        #expect(second.history.allSatisfy { $0.seconds == nil })
        // Training again elsewhere writes the same bytes.
        let other = CheckpointCache(folder: temp.url.appendingPathComponent("b"))
        _ = try other.trainOrLoad(settings, data: data)
        let url = cache.url(for: settings, dataChecksum: data.checksum)
        #expect(try Data(contentsOf: url) == Data(contentsOf: other.url(for: settings, dataChecksum: data.checksum)))
        // Another setting is another file; a file under the wrong name is refused.
        var changed = settings
        changed.epochs = 3
        #expect(try cache.load(changed, dataChecksum: data.checksum) == nil)
        try FileManager.default.copyItem(at: url, to: cache.url(for: changed, dataChecksum: data.checksum))
        #expect(throws: CheckpointError.self) { try cache.load(changed, dataChecksum: data.checksum) }
    }

    @Test func aCachedCheckpointWithChangedWeightsIsRefusedByName() throws {
        let temp = try TemporaryFolder()
        let data = try ImageClassificationData(kind: .mnist, folder: try temp.writeTinyDataset(in: "mnist"), verify: false)
        let settings = TrainingSettings(sizes: [4, 3, 10], epochs: 1, batchSize: 2, seed: 3)
        let cache = CheckpointCache(folder: temp.url.appendingPathComponent("cache"))
        let url = try cache.store(try cache.trainOrLoad(settings, data: data).run, dataChecksum: data.checksum)
        // Overwrite the last 4 bytes (a float of the last tensor) with 1e30: still well-formed safetensors.
        var bytes = [UInt8](try Data(contentsOf: url))
        withUnsafeBytes(of: Float(1e30).bitPattern.littleEndian) { bytes.replaceSubrange(bytes.count - 4..<bytes.count, with: $0) }
        try Data(bytes).write(to: url)
        #expect(throws: CheckpointError.self) { try cache.load(settings, dataChecksum: data.checksum) }
        do {
            _ = try cache.load(settings, dataChecksum: data.checksum)
        } catch {
            #expect(error.description.contains(url.path) && error.description.contains("changed or damaged"), "\(error)")
        }
    }

    @Test func checkpointRecordsTheTensorsChecksumAndLoadingChecksIt() throws {
        let model = try Sequential.mlp(sizes: [4, 3, 2], seed: 1)
        var file = try model.checkpoint()
        #expect(file.metadata["quant.tensors_sha256"] == file.tensorsSHA256)
        _ = try Sequential(checkpoint: file)
        let weight = try #require(file.tensors["fc1.weight"])
        var changed = weight.bytes
        changed[0] ^= 1
        file.tensors["fc1.weight"] = SafetensorsTensor(unchecked: weight.dtype, shape: weight.shape, bytes: changed)
        #expect(throws: ModelError.checksumMismatch(expected: file.metadata["quant.tensors_sha256"]!, found: file.tensorsSHA256)) {
            try Sequential(checkpoint: file)
        }
    }
}
