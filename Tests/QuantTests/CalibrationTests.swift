import Foundation
import Testing
@testable import Quant

/// Static post-training quantization: each range calibrator on data with
/// known answers, the histogram they share, their errors, and the
/// ``StaticQuantization`` recipe end to end.
@Suite struct CalibrationTests {
    /// Feeds `batches` to a fresh calibrator of `method`, one `observe` per batch.
    static func calibrated(_ method: CalibrationMethod, _ batches: [[Float]]) throws -> any RangeCalibrator {
        let calibrator = try method.makeCalibrator()
        for batch in batches { batch.withUnsafeBufferPointer { calibrator.observe($0, rows: 1, features: batch.count) } }
        return calibrator
    }

    /// The mean squared error of fake-quantizing `x` on the `bits`-bit grid of `range`.
    static func meanSquaredError(_ x: [Float], bits: Int, range: ClosedRange<Float>) throws -> Double {
        let quantizer = try ActivationFakeQuantizer(bits: bits, range: range)
        var y = [Float](repeating: 0, count: x.count)
        quantizer.forward(x, into: &y, count: x.count)
        return zip(x, y).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) } / Double(x.count)
    }

    static func samples(_ distribution: Distribution, _ count: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return distribution.samples(count, using: &g)
    }

    @Test func minMaxIsTheRunningRange() throws {
        #expect(try Self.calibrated(.minMax, [[1, -2, 3], [0.5, 4], []]).range(bits: 8) == -2...4)
        #expect(try Self.calibrated(.minMax, [[3, 5], [4]]).range(bits: 8) == 0...5, "widened to include 0")
    }

    /// PyTorch's update: the first batch sets the range, the second moves it by c·(batch − old).
    @Test func movingAverageAfterTwoBatches() throws {
        let c: Float = 0.01
        let range = try Self.calibrated(.movingAverage(c), [[-1, 0.5, 2], [-3, 6, 1]]).range(bits: 8)
        #expect(range == (-1 + c * (-3 - -1))...(2 + c * (6 - 2)))
        #expect(try Self.calibrated(.movingAverage(0.5), [[1, 2], [-2, 8]]).range(bits: 4) == -0.5...5)
        #expect(try Self.calibrated(.movingAverage(c), [[-1, 3]]).range(bits: 8) == -1...3, "one batch is min-max")
    }

    /// The percentiles of 0, 1, …, 9999 (NumPy's linear interpolation:
    /// 9989.001 and 9998.0001), within one bin (width 4 here).
    @Test func percentilesOfTheFirstTenThousandIntegers() throws {
        let values = (0..<10_000).map(Float.init)
        let p999 = try #require(Self.calibrated(.percentile(99.9), [values]) as? PercentileCalibrator)
        #expect(p999.histogram.binWidth == 4 && p999.histogram.zeroCount == 1)
        let range = try p999.range(bits: 8)
        #expect(range.lowerBound == 0 && abs(range.upperBound - 9989.001) <= 4)
        #expect(abs(try Self.calibrated(.percentile(99.99), [values]).range(bits: 8).upperBound - 9998.0001) <= 4)
        #expect(try Self.calibrated(.percentile(100), [values]).range(bits: 8) == 0...9999, "p = 100 is min-max")
        #expect(abs(p999.histogram.quantile(0.5) - 4999.5) <= 4)
        // Both signs: each tail at its own percentile.
        let signed = try Self.calibrated(.percentile(99.9), [values.map { $0 - 5000 }]).range(bits: 8)
        #expect(abs(signed.lowerBound - -4990.001) <= 4 && abs(signed.upperBound - 4989.001) <= 4)
    }

    /// The histogram depends on the values only: small batches first (its
    /// bins then merge as the range grows) or one batch give the same counts.
    @Test func histogramIgnoresBatching() {
        let values = Self.samples(.laplace(location: 0.5, scale: 2), 5000, seed: 7) + [0, 0, 40]
        var whole = ActivationHistogram(), pieces = ActivationHistogram()
        values.withUnsafeBufferPointer { whole.add($0) }
        for start in stride(from: 0, to: values.count, by: 37) {
            let batch = Array(values[start..<min(start + 37, values.count)].sorted { abs($0) < abs($1) })
            batch.withUnsafeBufferPointer { pieces.add($0) }
        }
        #expect(whole == pieces)
        #expect(whole.count == values.count && whole.zeroCount == 2 && whole.counts.reduce(0, +) == values.count - 2)
        let magnitude = max(-whole.min, whole.max)
        #expect(whole.binWidth < magnitude / 2048 && whole.binWidth >= magnitude / 4096)
        #expect(whole.binEdges.first! <= whole.min && whole.binEdges.last! > whole.max)
    }

    /// A Laplace sample with one far outlier: min-max spends the grid on
    /// the outlier, the MSE search clips it and quantizes the bulk finer.
    @Test(arguments: [8, 4])
    func mseClipsAnOutlier(bits: Int) throws {
        let x = Self.samples(.laplace(location: 0, scale: 1), 20_000, seed: 11) + [100]
        let minMax = try Self.calibrated(.minMax, [x]).range(bits: bits)
        let mse = try Self.calibrated(.mse, [x]).range(bits: bits)
        #expect(mse.upperBound < 100 && mse.lowerBound <= 0 && mse.lowerBound >= minMax.lowerBound)
        let (clipped, full) = (try Self.meanSquaredError(x, bits: bits, range: mse), try Self.meanSquaredError(x, bits: bits, range: minMax))
        #expect(clipped <= full, "MSE \(clipped) with \(mse) vs \(full) with min-max \(minMax)")
    }

    /// ReLU of a heavy-tailed sample: KL clips the tail but keeps the bulk.
    @Test func entropyClipsTheTailNotTheBulk() throws {
        let x = Self.samples(.laplace(location: 0, scale: 1), 100_000, seed: 13).map { max($0, 0) }
        let calibrator = try #require(Self.calibrated(.entropy, [x]) as? EntropyCalibrator)
        let bulk = calibrator.histogram.quantile(0.99)
        for bits in [8, 4] {
            let range = try calibrator.range(bits: bits)
            #expect(range.lowerBound == 0 && range.upperBound < x.max()! && range.upperBound >= bulk, "\(bits) bits: \(range), bulk \(bulk)")
        }
    }

    /// The prefix-sum search picks a candidate whose divergence, computed
    /// step by step as Migacz describes it, is the smallest.
    @Test(arguments: [2, 3, 8])
    func entropySearchMatchesTheDefinition(levels: Int) {
        var g = SeededGenerator(seed: UInt64(levels))
        let h = (0..<40).map { j in g.nextUnitFloat() < 0.3 ? 0 : Int(1 + 100 * g.nextUnitFloat()) / (1 + j / 8) }
        let divergences = (levels...h.count).map { Self.divergence(h, levels: levels, bins: $0) }
        let chosen = EntropyCalibrator.bestBinCount(h, levels: levels)!
        #expect(abs(divergences[chosen - levels] - divergences.min()!) < 1e-12)
        #expect(EntropyCalibrator.bestBinCount([3, 1, 4], levels: 3) == nil, "no more bins than levels: nothing to clip")
    }

    /// KL(P‖Q) of clipping `h` after `i` bins, written out: P with the
    /// outliers in its last bin, Q merged into levels and expanded over P's nonzero bins.
    static func divergence(_ h: [Int], levels: Int, bins i: Int) -> Double {
        var p = h[0..<i].map(Double.init)
        p[i - 1] += Double(h[i...].reduce(0, +))
        var q = [Double](repeating: 0, count: i)
        for l in 0..<levels {
            let members = (0..<i).filter { $0 * levels / i == l }
            let nonzero = members.filter { p[$0] > 0 }
            let mass = members.reduce(0.0) { $0 + Double(h[$1]) }
            for j in nonzero { q[j] = mass / Double(nonzero.count) }
        }
        let (pTotal, qTotal) = (p.reduce(0, +), q.reduce(0, +))
        var kl = 0.0
        for j in 0..<i where p[j] > 0 {
            guard q[j] > 0 else { return .infinity }
            kl += p[j] / pTotal * log((p[j] / pTotal) / (q[j] / qTotal))
        }
        return kl
    }

    @Test(arguments: CalibrationMethod.standard)
    func rangesIncludeZero(method: CalibrationMethod) throws {
        let positive = Self.samples(.uniform(lower: 3, upper: 5), 1000, seed: 1)
        let above = try Self.calibrated(method, [positive]).range(bits: 8)
        #expect(above.lowerBound == 0 && above.upperBound >= 3)
        let below = try Self.calibrated(method, [positive.map { -$0 }]).range(bits: 8)
        #expect(below.upperBound == 0 && below.lowerBound <= -3)
        let constant = try Self.calibrated(method, [[Float](repeating: 2.5, count: 100)]).range(bits: 8)
        #expect(constant == 0...2.5, "a constant input keeps its value exact")
    }

    @Test(arguments: CalibrationMethod.standard)
    func degenerateInputsAreErrors(method: CalibrationMethod) throws {
        #expect(throws: ModelError.calibrationEmpty) { try Self.calibrated(method, []).range(bits: 8) }
        #expect(throws: ModelError.calibrationEmpty) { try Self.calibrated(method, [[]]).range(bits: 8) }
        #expect(throws: ModelError.calibrationAllZero) { try Self.calibrated(method, [[0, 0], [-0.0]]).range(bits: 8) }
        #expect(throws: ModelError.calibrationNonFinite(-.infinity)) { try Self.calibrated(method, [[1, 2], [-.infinity, 3]]).range(bits: 8) }
        let error = #expect(throws: ModelError.self) { try Self.calibrated(method, [[1, .nan, 2], [5]]).range(bits: 8) }
        guard case .calibrationNonFinite(let value) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(value.isNaN)
    }

    @Test func badSettingsAreErrors() throws {
        #expect(throws: ModelError.self) { try MovingAverageCalibrator(averaging: 0) }
        #expect(throws: ModelError.self) { try PercentileCalibrator(percentile: 100.5) }
        #expect(throws: ModelError.calibrationParameter("the percentile is 20.0; use a value in 50…100")) {
            try StaticQuantization(calibrator: .percentile(20))
        }
        #expect(throws: ModelError.weightBits(1, supported: 2...16)) { try StaticQuantization(weightBits: 1) }
        #expect(throws: ModelError.quantization(.bitsOutOfRange(17))) { try StaticQuantization(activationBits: 17) }
        for method in [CalibrationMethod.mse, .entropy] {
            #expect(throws: ModelError.quantization(.bitsOutOfRange(0))) { try Self.calibrated(method, [[1, 2]]).range(bits: 0) }
        }
    }

    /// The recipe on a tiny MLP: every Linear becomes a FakeQuantLinear
    /// whose frozen input grid spans what a calibrator fed the same batches
    /// finds, and the model stays near the float one.
    @Test(arguments: CalibrationMethod.standard)
    func recipeFreezesTheCalibratedRanges(method: CalibrationMethod) throws {
        let model = try Sequential.mlp(sizes: [16, 12, 3], seed: 2)
        let images = Self.samples(.normal(mean: 0, standardDeviation: 1), 96 * 16, seed: 5)
        let data = try ImageDataset(images: images, labels: (0..<96).map { Int32($0 % 3) }, imageRows: 4, imageColumns: 4, classCount: 3)
        let recipe = try StaticQuantization(weightBits: 8, activationBits: 8, calibrator: method)
        let quantized = try model.quantized(with: recipe, calibration: data, batchSize: 32)
        #expect(quantized.layers[0] is FakeQuantLinear && quantized.layers[1] is ReLU && quantized.layers[2] is FakeQuantLinear)

        let batches = try stride(from: 0, to: 96, by: 32).map { start in
            try model.layerInputs(Tensor(shape: [32, 16], scalars: Array(images[(start * 16)..<((start + 32) * 16)])))
        }
        for index in [0, 2] {
            let expected = try Self.calibrated(method, batches.map { $0[index].scalars }).range(bits: 8)
            let input = try #require((quantized.layers[index] as? FakeQuantLinear)?.inputQuantizer)
            #expect(!input.isObserving && input.range?.min == expected.lowerBound && input.range?.max == expected.upperBound)
            let params = try QuantParams(scheme: input.scheme, min: [expected.lowerBound], max: [expected.upperBound])
            #expect(input.scale == params.scales[0] && input.zeroPoint == params.zeroPoints[0])
        }
        let x = try Tensor(shape: [96, 16], scalars: images)
        let (float, simulated) = (try model.logits(x).scalars, try quantized.logits(x).scalars)
        let worst = zip(float, simulated).map { abs($0 - $1) }.max()!
        #expect(worst < 0.2 * float.map(abs).max()!, "largest logit error \(worst) (the percentiles clip a few inputs)")
        #expect(try quantized.accuracy(on: data) >= 0)
        #expect(throws: ModelError.calibrationDataRequired) { try model.quantized(with: recipe) }
    }
}
