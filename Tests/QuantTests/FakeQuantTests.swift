import Testing
@testable import Quant

/// Quantization-aware training: the fake-quant forward pass, the
/// straight-through estimator, LSQ and PACT gradients, and training with
/// fake-quantized layers.
@Suite struct FakeQuantTests {
    /// A 3-bit unsigned grid with step 0.25 and zero-point 2: values −0.5 … 1.25.
    static let grid = QuantGrid(scale: 0.25, zeroPoint: 2, qmin: 0, qmax: 7)

    @Test func forwardIsTheAffineStaircase() {
        let x: [Float] = [-3, -0.5, -0.1, 0, 0.1, 0.125, 0.375, 1.2, 1.25, 9]
        var y = [Float](repeating: .nan, count: x.count)
        Self.grid.fakeQuantize(x, into: &y, count: x.count)
        // (clamp(round(x/s) + z, 0, 7) − z)·s, ties to even (0.125/0.25 = 0.5 → 0; 0.375/0.25 = 1.5 → 2).
        #expect(y == [-0.5, -0.5, -0.0, 0, 0, 0, 0.5, 1.25, 1.25, 1.25])
    }

    /// The STE is the derivative of the clipped identity `clamp(x, s·lower, s·upper)`,
    /// checked by central differences away from the edges.
    @Test func straightThroughIsTheClippedIdentitysDerivative() {
        var g = SeededGenerator(seed: 1)
        let x = (0..<200).map { _ in 4 * g.nextUnitFloat() - 2 }
        let dy = (0..<200).map { _ in g.nextUnitFloat() - 0.5 }
        var dx = [Float](repeating: 0, count: x.count)
        Self.grid.passGradient(x, dy, into: &dx, count: x.count)
        let (lo, hi) = (Self.grid.scale * Self.grid.lower, Self.grid.scale * Self.grid.upper)
        let h: Float = 1e-3
        for i in x.indices where abs(x[i] - lo) > 0.2 && abs(x[i] - hi) > 0.2 {
            let clipped = { (v: Float) in min(max(v, lo), hi) }
            let numeric = dy[i] * (clipped(x[i] + h) - clipped(x[i] - h)) / (2 * h)
            #expect(abs(dx[i] - numeric) < 1e-3, "x = \(x[i])")
        }
    }

    /// Where every input clamps, x̂ is `s·upper` or `s·lower` exactly, so LSQ's
    /// step gradient is the true derivative; inside, it is `round(t) − t` by definition.
    @Test func lsqStepGradient() {
        let above: [Float] = [2, 3, 5], below: [Float] = [-1, -4]
        let dy: [Float] = [0.5, -1, 2]
        let loss = { (s: Float, x: [Float], dy: [Float]) -> Float in
            var grid = Self.grid
            grid.scale = s
            var y = [Float](repeating: 0, count: x.count)
            grid.fakeQuantize(x, into: &y, count: x.count)
            return zip(y, dy).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let h: Float = 1e-3
        for x in [above, below] {
            let d = Array(dy.prefix(x.count))
            let numeric = (loss(0.25 + h, x, d) - loss(0.25 - h, x, d)) / (2 * h)
            var masked = d
            #expect(abs(Self.grid.stepGradientMaskingInPlace(x, &masked, count: x.count) - numeric) < 1e-3)
            #expect(masked.allSatisfy { $0 == 0 }, "every input clamps, so the STE passes nothing")
        }
        // Inside: t = 0.3/0.25 = 1.2 → round 1, so ∂x̂/∂s = 1 − 1.2 = −0.2, and the gradient passes.
        var inside: [Float] = [1]
        #expect(abs(Self.grid.stepGradientMaskingInPlace([0.3], &inside, count: 1) - -0.2) < 1e-6)
        #expect(inside == [1])
    }

    /// PACT: inputs above α give x̂ = α, so ∂L/∂α = Σ ∂L/∂x̂ over them (plus 2λα).
    @Test func pactClippingGradient() throws {
        var q = try ActivationFakeQuantizer(bits: 4, method: .pact(regularization: 0.01), statistics: InputStatistics([0, 2]))
        #expect(q.clippingLevel == 2 && q.scale == 2 / 15 && q.zeroPoint == 0)
        let x: [Float] = [0.5, 3, 7, 1.9]
        var gradient: [Float] = [1, 2, -0.5, 4]
        q.backward(input: x, gradient: &gradient, count: 4, features: 4)
        #expect(abs(q.learnedGradient[0] - (2 - 0.5 + 2 * 0.01 * 2)) < 1e-6)
        #expect(gradient == [1, 0, 0, 4], "the STE passes only unclipped inputs")
    }

    @Test func lsqStartsAtTwiceMeanAbsOverRootQp() throws {
        let q = try ActivationFakeQuantizer(bits: 4, method: .lsq, statistics: InputStatistics([0, 1, 2, 3]))
        // Unsigned, range [0, 3] → z = 0, Qp = 15; mean|x| = 1.5 → s = 3/√15.
        #expect(q.zeroPoint == 0 && abs(q.scale - 3 / Float(15).squareRoot()) < 1e-6)
        let w = try WeightFakeQuantizer(bits: 4, method: .lsq, weight: [1, -1, 3, -3], outputFeatures: 2)
        #expect(w.scales.map { ($0 * 1e6).rounded() } == [Float(2 / 7.0.squareRoot()), Float(6 / 7.0.squareRoot())].map { ($0 * 1e6).rounded() })
    }

    /// The layer's backward pass against the readable formulas:
    /// ∂L/∂W = STE_w ⊙ (dYᵀ·x̂), ∂L/∂x = STE_x ⊙ (dY·Ŵ), ∂L/∂b = Σ dY.
    @Test func layerBackwardMatchesTheFormulas() throws {
        var g = SeededGenerator(seed: 3)
        let (rows, k, n) = (5, 7, 3)
        let linear = Linear(inputFeatures: k, outputFeatures: n, using: &g)
        let x = (0..<(rows * k)).map { _ in 2 * g.nextUnitFloat() - 0.5 }
        let input = try ActivationFakeQuantizer(bits: 4, method: .movingAverage, statistics: InputStatistics(x))
        var layer = try FakeQuantLinear(linear, weightBits: 3, weightMethod: .minMax, input: input)
        var scratch = LayerScratch()
        var y = [Float](repeating: 0, count: rows * n)
        try layer.trainingForward(x, into: &y, rows: rows, scratch: &scratch)
        let dy = (0..<(rows * n)).map { _ in g.nextUnitFloat() - 0.5 }
        var dx = [Float](repeating: 0, count: rows * k)
        layer.backward(input: x, output: y, outputGradient: dy, inputGradient: &dx, rows: rows)

        let quantizer = try #require(layer.inputQuantizer)
        var xHat = [Float](repeating: 0, count: x.count)
        quantizer.grid.fakeQuantize(x, into: &xHat, count: x.count)
        let wHat = layer.fakeQuantizedWeight
        var expectedX = [Float](repeating: 0, count: rows * k)
        for r in 0..<rows { for c in 0..<k { expectedX[r * k + c] = (0..<n).reduce(0) { $0 + dy[r * n + $1] * wHat[$1 * k + c] } } }
        quantizer.grid.passGradient(x, expectedX, into: &expectedX, count: expectedX.count)
        for (a, b) in zip(dx, expectedX) { #expect(abs(a - b) < 1e-5) }

        var gradients: [[Float]] = []
        layer.visitParameters { _, g in gradients.append(Array(g)) }
        for j in 0..<n {
            for c in 0..<k {
                var expected = (0..<rows).reduce(Float(0)) { $0 + dy[$1 * n + j] * xHat[$1 * k + c] }
                let grid = layer.weightQuantizer.grids[j]
                var w = linear.weight[j * k + c], masked: Float = 0
                grid.passGradient(&w, &expected, into: &masked, count: 1)
                #expect(abs(gradients[0][j * k + c] - masked) < 1e-5)
            }
            #expect(abs(gradients[1][j] - (0..<rows).reduce(0) { $0 + dy[$1 * n + j] }) < 1e-5)
        }
    }

    /// The trainer trains a fake-quantized model with the same loop as a float one.
    @Test(arguments: [ActivationFakeQuantizer.Method.movingAverage, .lsq, .pact(regularization: 1e-4)])
    func trainerTrainsFakeQuantizedModels(method: ActivationFakeQuantizer.Method) throws {
        let data = try blobs(count: 256, seed: 11)
        var settings = TrainingSettings(sizes: [8, 16, 2], epochs: 5, batchSize: 32, optimizer: .adam(learningRate: 0.01), seed: 4)
        let float = try Trainer(settings: settings).train(on: data).model
        let qat = try float.quantized(with: FakeQuantization(weightBits: 4, weightMethod: .lsq, activationBits: 4,
                                                             activationMethod: method, freezeObserverAfterEpoch: 1),
                                      calibration: data)
        #expect(qat.layers(of: FakeQuantLinear.self).count == 2)
        settings.epochs = 2
        let run = try Trainer(settings: settings).train(qat, on: data, test: data)
        #expect(try run.model.accuracy(on: data) > 0.9)
        let observed = try #require(run.model.layers(of: FakeQuantLinear.self).first?.inputQuantizer)
        if case .observed = method { #expect(!observed.isObserving, "frozen after epoch 1") }
    }
}
