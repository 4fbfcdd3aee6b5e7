import Testing
@testable import Quant

/// The integer-only model (``IntegerOnlyMLP``): the fast kernels against the
/// readable reference byte for byte, the stages against integer arithmetic
/// written out here, agreement with the fake-quant model it comes from, the
/// conversion's errors, and the checkpoint.
@Suite struct IntegerOnlyTests {
    static let features = 24, classes = 5

    /// `count` examples of four Gaussian blobs in 24 dimensions (labels unused by most tests).
    static func data(count: Int, seed: UInt64) throws -> ImageDataset {
        var g = SeededGenerator(seed: seed)
        var images = [Float](), labels = [Int32]()
        for i in 0..<count {
            let label = Int32(i % classes)
            let noise = Distribution.normal(mean: 0, standardDeviation: 1).samples(features, using: &g)
            images += noise.enumerated().map { $0.element + (Int32($0.offset % classes) == label ? 2 : 0) }
            labels.append(label)
        }
        return try ImageDataset(images: images, labels: labels, imageRows: 4, imageColumns: 6, classCount: classes)
    }

    /// A `24 → 32 → 16 → 5` MLP trained for three epochs on the blobs, once for all tests.
    static let trained = Result { () throws(ModelError) -> Sequential in
        let settings = TrainingSettings(sizes: [features, 32, 16, classes], epochs: 3, batchSize: 32,
                                        optimizer: .adam(learningRate: 1e-2), seed: 7)
        let data: ImageDataset
        do { data = try Self.data(count: 1024, seed: 11) } catch { throw .labels("\(error)") }
        return try Trainer(settings: settings).train(on: data).model
    }

    /// The trained MLP, statically quantized on `data`.
    static func fakeQuant(weightBits: Int = 8, activationBits: Int = 8, data: ImageDataset) throws -> Sequential {
        let fp32 = try trained.get()
        let recipe = try StaticQuantization(weightBits: weightBits, activationBits: activationBits, calibrator: .minMax)
        return try fp32.quantized(with: recipe, calibration: data)
    }

    static func integerMLP(_ model: Sequential, data: ImageDataset, kernel: Int8Kernel = .fastest) throws -> IntegerOnlyMLP {
        try #require(model.integerOnly(outputCalibration: data, kernel: kernel).layers.first as? IntegerOnlyMLP)
    }

    static func tensor(_ data: ImageDataset, rows: Int) throws -> Tensor<Float> {
        try Tensor(shape: [rows, data.featureCount], scalars: Array(data.images[0 ..< rows * data.featureCount]))
    }

    /// Batches 1 and 7 on one thread; 256 and 1,000 rows: enough work
    /// (256 · 1,360 multiply–adds and more) for the batch to be split over the cores.
    @Test("every kernel gives the reference's bytes", arguments: [1, 7, 256, 1000])
    func fastPathsMatchTheReference(rows: Int) throws {
        let data = try Self.data(count: 1000, seed: 1)
        #expect((rows * 1360 >= PackedInt8Weights.parallelThreshold) == (rows >= 256))
        let mlp = try Self.integerMLP(Self.fakeQuant(data: data.prefix(256)), data: data.prefix(256))
        let x = try Self.tensor(data, rows: rows)
        let reference = try mlp.repacked(for: .reference).outputCodes(x)
        #expect(reference.shape == [rows, Self.classes])
        for kernel in Int8Kernel.supported {
            #expect(try mlp.repacked(for: kernel).outputCodes(x) == reference, "\(kernel)")
        }
        // Against plain integer loops on the input codes, which no split reaches.
        let (s, z) = mlp.inputGrid
        let codes = x.scalars.map { UInt8(min(max(($0 * (1 / s)).rounded(.toNearestOrEven) + Float(z), 0), 255)) }
        #expect(reference.scalars == Self.integerReference(mlp, codes: codes, rows: rows))
        // Through the Layer interface: the float output is the dequantized codes.
        let (scale, zeroPoint) = mlp.outputGrid
        #expect(try mlp(x).scalars == reference.scalars.map { scale * Float(Int32($0) - zeroPoint) })
    }

    /// TFLite's `MultiplyByQuantizedMultiplier`, written from its definition
    /// in 64-bit integers: `x·2^left`, the rounded doubling high multiply
    /// (`(x·m + 2³⁰) >> 31`, ties up; saturating the one overflow), then the
    /// right shift rounding half away from zero.
    static func multiplyByQuantizedMultiplier(_ x: Int32, _ m: Int32, _ shift: Int32) -> Int64 {
        let shifted = min(max(Int64(x) << max(shift, 0), Int64(Int32.min)), Int64(Int32.max))
        if shifted == Int64(Int32.min) && m == Int32.min { return Int64(Int32.max) }
        let product = shifted * Int64(m)
        let high = (product + (product >= 0 ? 1 << 30 : 1 - (1 << 30))) / (1 << 31)   // truncating, as C
        let right = Int64(max(-shift, 0))
        guard right > 0 else { return high }
        let half = Int64(1) << (right - 1)
        return high >= 0 ? (high + half) >> right : -((-high + half) >> right)
    }

    /// The stages as plain loops over integers, from the input codes.
    static func integerReference(_ mlp: IntegerOnlyMLP, codes: [UInt8], rows: Int) -> [UInt8] {
        var x = codes.map(Int64.init)
        for stage in mlp.stages {
            let (n, k, w) = (stage.outFeatures, stage.inFeatures, stage.codes)
            var y = [Int64](repeating: 0, count: rows * n)
            for i in 0..<rows {
                for j in 0..<n {
                    var acc = Int64(stage.bias[j])
                    for c in 0..<k { acc += (x[i * k + c] - Int64(stage.inputZeroPoint)) * Int64(w[j * k + c]) }
                    let m = stage.multipliers[j]
                    let v = Int64(stage.outputZeroPoint) + multiplyByQuantizedMultiplier(Int32(acc), m.multiplier, m.shift)
                    y[i * n + j] = min(max(v, Int64(stage.outputRange.lowerBound)), Int64(stage.outputRange.upperBound))
                }
            }
            x = y
        }
        return x.map { UInt8($0) }
    }

    @Test("integerForward is integer arithmetic", arguments: [(8, 8), (4, 4), (8, 3)])
    func integerForwardMatchesPlainIntegers(bits: (weights: Int, activations: Int)) throws {
        let data = try Self.data(count: 256, seed: 2)
        let fakeQuant = try Self.fakeQuant(weightBits: bits.weights, activationBits: bits.activations, data: data)
        let mlp = try Self.integerMLP(fakeQuant, data: data)
        var g = SeededGenerator(seed: 3)
        let rows = 9, high = UInt64(1) << UInt64(bits.activations)
        let codes = (0 ..< rows * Self.features).map { _ in UInt8(g.next() % high) }
        let expected = Self.integerReference(mlp, codes: codes, rows: rows)
        for kernel in Int8Kernel.supported {
            #expect(try mlp.repacked(for: kernel).integerForward(codes, rows: rows) == expected, "\(kernel)")
        }
        // From floats: the input quantize is the fake-quantizer's rounding.
        let x = try Self.tensor(data, rows: rows)
        let quantizer = try #require((fakeQuant.layers[0] as? FakeQuantLinear)?.inputQuantizer)
        let inputCodes = quantizer.fakeQuantized(x.scalars).map { UInt8(Int32(($0 / quantizer.scale).rounded()) + quantizer.zeroPoint) }
        #expect(try mlp.outputCodes(x).scalars == Self.integerReference(mlp, codes: inputCodes, rows: rows))
        #expect(throws: ModelError.kernel(.sizeMismatch(name: "codes", expected: rows * Self.features, actual: 3))) {
            try mlp.integerForward([1, 2, 3], rows: rows)
        }
    }

    /// The stored properties of `value` whose type is Float or Double, as
    /// paths, looking into structs, enums, arrays and ranges.
    static func floatingPointFields(of value: Any, path: String = "") -> [String] {
        if value is Float || value is Double || value is [Float] || value is [Double] { return [path] }
        return Mirror(reflecting: value).children.enumerated().flatMap { index, child in
            floatingPointFields(of: child.value, path: path + "." + (child.label ?? "\(index)"))
        }
    }

    @Test func stagesStoreNoFloatingPoint() throws {
        let data = try Self.data(count: 64, seed: 4)
        let mlp = try Self.integerMLP(Self.fakeQuant(data: data), data: data)
        for stage in mlp.stages {
            let fields = Self.floatingPointFields(of: stage)
            // The only floats are the packed weights' placeholder scales, which
            // the requantized product never reads; they are 1, not s_w.
            #expect(fields == [".weights.scales", ".weights.channelScales"], "\(fields)")
            #expect(stage.weights.scales == [1])
            #expect(stage.weights.channelScales.allSatisfy { $0 == 1 })
            // Recursion does look inside: the multipliers' fields are integers.
            #expect(Mirror(reflecting: stage.multipliers[0]).children.map { "\(type(of: $0.value))" } == ["Int32", "Int32"])
        }
        #expect(Self.floatingPointFields(of: mlp).contains(".inputScales"))
    }

    /// The integer model rounds where the fake-quant model rounds; they part
    /// only where TFLite's double rounding (the fixed-point product to
    /// `2^−right` of a code, then the shift) or the int32 bias moves a value
    /// across a code boundary: one hidden code in a few hundred at 8 bits, a
    /// few in a hundred at 4 (whose multipliers are larger). At 8 bits a logit
    /// moves by at most about one output step; at 4 bits one hidden code is a
    /// fifteenth of its layer's range, so a code that flips moves the logits
    /// it feeds by several of the output grid's 255 steps.
    @Test("agrees with the fake-quant model", arguments: [(8, 8, 2), (4, 4, 12)])
    func agreesWithTheFakeQuantModel(bits: (weights: Int, activations: Int, steps: Float)) throws {
        let calibration = try Self.data(count: 512, seed: 5), test = try Self.data(count: 2000, seed: 12)
        let fakeQuant = try Self.fakeQuant(weightBits: bits.weights, activationBits: bits.activations, data: calibration)
        let integer = try fakeQuant.integerOnly(outputCalibration: calibration)
        let mlp = try #require(integer.layers.first as? IntegerOnlyMLP)
        let same = zip(try fakeQuant.predictions(for: test), try integer.predictions(for: test)).filter { $0 == $1 }.count
        #expect(Double(same) >= 0.99 * Double(test.count), "\(same) of \(test.count) predictions agree")

        // On the calibration data no logit clamps at the ends of the output grid.
        let x = try Self.tensor(calibration, rows: calibration.count)
        let steps = zip(try fakeQuant.logits(x).scalars, try integer.logits(x).scalars).map { abs($0 - $1) / mlp.outputGrid.scale }
        let within = steps.filter { $0 <= bits.steps }.count
        #expect(Double(within) >= 0.99 * Double(steps.count), "\(within) of \(steps.count) logits within \(bits.steps) output steps")
        #expect(steps.sorted()[steps.count / 2] <= 1, "the median logit is within one output step")
    }

    /// With its logits on the integer model's output grid, the fake-quantized
    /// model breaks ties as the integer model does: at least as many predictions
    /// agree as with float logits, and the outputs are the grid's values.
    @Test func outputOnTheIntegerGridAgreesAtLeastAsOften() throws {
        let calibration = try Self.data(count: 512, seed: 5), test = try Self.data(count: 2000, seed: 12)
        let fakeQuant = try Self.fakeQuant(weightBits: 8, activationBits: 8, data: calibration)
        let integer = try fakeQuant.integerOnly(outputCalibration: calibration)
        let grid = try #require(integer.layers.first as? IntegerOnlyMLP).outputGrid
        let rounded = try fakeQuant.withOutputQuantized(scale: grid.scale, zeroPoint: grid.zeroPoint)
        let reference = try integer.predictions(for: test)
        let agree = { (p: [Int32]) in zip(p, reference).filter { $0 == $1 }.count }
        #expect(agree(try rounded.predictions(for: test)) >= agree(try fakeQuant.predictions(for: test)))
        let logits = try rounded.logits(Self.tensor(test, rows: 16)).scalars
        for y in logits {
            let code = y / grid.scale + Float(grid.zeroPoint)
            #expect(abs(code - code.rounded()) < 1e-3 && (0...255).contains(code.rounded()), "\(y) is not on the output grid")
        }
        #expect(throws: ModelError.self) { try fakeQuant.withOutputQuantized(scale: 0, zeroPoint: 0) }
        #expect(throws: ModelError.self) { try fakeQuant.withOutputQuantized(scale: 1, zeroPoint: 256) }
    }

    @Test func hiddenStagesFoldTheReLU() throws {
        let data = try Self.data(count: 256, seed: 6)
        let mlp = try Self.integerMLP(Self.fakeQuant(data: data), data: data)
        let (s, z) = mlp.inputGrid
        var x = try Self.tensor(data, rows: 256).scalars.map { UInt8(min(max(($0 / s).rounded() + Float(z), 0), 255)) }
        for (k, stage) in mlp.stages.enumerated() {
            var y = [UInt8](repeating: 0, count: 256 * stage.outFeatures)
            try x.withUnsafeBufferPointer { x in try y.withUnsafeMutableBufferPointer { try stage.forward(x, rows: 256, into: $0) } }
            if k < mlp.stages.count - 1 {
                #expect(stage.outputRange == UInt8(stage.outputZeroPoint)...255)
                #expect(y.allSatisfy { Int32($0) >= stage.outputZeroPoint })
                #expect(y.contains { Int32($0) == stage.outputZeroPoint }, "some outputs are negative before the ReLU")
            } else {
                #expect(stage.outputRange == 0...255)
                #expect(y.contains { Int32($0) < stage.outputZeroPoint }, "the logits keep their sign")
            }
            x = y
        }
    }

    @Test func conversionRefusesWhatIntegersCannotRun() throws {
        let data = try Self.data(count: 64, seed: 8)
        let fp32 = try Sequential.mlp(sizes: [Self.features, 16, Self.classes], seed: 9)
        #expect(throws: ModelError.inLayer(0, .unexpectedLayer(type: "Linear", expected: "a FakeQuantLinear (quantize with StaticQuantization or QAT first)"))) {
            try fp32.integerOnly(outputCalibration: data)
        }
        let lastFloat = try fp32.quantized(with: StaticQuantization(), calibration: data) { index, _ in index < 2 }
        #expect(throws: ModelError.inLayer(2, .unexpectedLayer(type: "Linear", expected: "a FakeQuantLinear (quantize with StaticQuantization or QAT first)"))) {
            try lastFloat.integerOnly(outputCalibration: data)
        }
        let observing = try fp32.quantized(with: FakeQuantization(weightBits: 8, activationBits: 8), calibration: data)
        #expect(throws: ModelError.inLayer(0, .observingInput)) { try observing.integerOnly(outputCalibration: data) }
        let weightOnly = try fp32.quantized(with: FakeQuantization(weightBits: 8, activationBits: nil))
        #expect(throws: ModelError.inLayer(0, .floatInput)) { try weightOnly.integerOnly(outputCalibration: data) }
        let sixteen = try fp32.quantized(with: StaticQuantization(activationBits: 16), calibration: data)
        #expect(throws: ModelError.inLayer(0, .activationBits(16, supported: 1...8))) { try sixteen.integerOnly(outputCalibration: data) }
        let wideWeights = try fp32.quantized(with: StaticQuantization(weightBits: 12), calibration: data)
        #expect(throws: ModelError.inLayer(0, .weightBits(12, supported: 2...8))) { try wideWeights.integerOnly(outputCalibration: data) }
        let ptq = try fp32.quantized(with: StaticQuantization(), calibration: data)
        let trailingReLU = try Sequential(ptq.layers + [ReLU(features: Self.classes)])
        #expect(throws: ModelError.inLayer(3, .unexpectedLayer(type: "ReLU", expected: "a FakeQuantLinear last (the logits)"))) {
            try trailingReLU.integerOnly(outputCalibration: data)
        }
        #expect(throws: ModelError.calibrationEmpty) { try ptq.integerOnly(outputCalibration: data.prefix(0)) }
    }

    @Test func stagesMustChain() throws {
        let m = [try FixedPointMultiplier(0.01)]
        let a = try IntegerLinearStage(codes: [1, 2], outFeatures: 1, inFeatures: 2, bias: [0], multipliers: m,
                                       inputBits: 8, inputZeroPoint: 3, outputZeroPoint: 5, outputRange: 5...255)
        let b = try IntegerLinearStage(codes: [1], outFeatures: 1, inFeatures: 1, bias: [0], multipliers: m,
                                       inputBits: 4, inputZeroPoint: 5, outputZeroPoint: 9, outputRange: 0...255)
        #expect(throws: ModelError.stageGridMismatch(index: 0, outputZeroPoint: 5, outputRange: 5...255, nextInputZeroPoint: 5, nextInputBits: 4)) {
            try IntegerOnlyMLP(stages: [a, b], inputScales: [1, 1], weightScales: [[1], [1]], outputScale: 1)
        }
        #expect(throws: ModelError.activationBits(9, supported: 1...8)) {
            try IntegerLinearStage(codes: [1], outFeatures: 1, inFeatures: 1, bias: [0], multipliers: m,
                                   inputBits: 9, inputZeroPoint: 0, outputZeroPoint: 0, outputRange: 0...255)
        }
        #expect(throws: ModelError.kernel(.biasOutOfRange(index: 0, value: .max, limit: Int32.max - 32_640))) {
            try IntegerLinearStage(codes: [1], outFeatures: 1, inFeatures: 1, bias: [.max], multipliers: m,
                                   inputBits: 8, inputZeroPoint: 0, outputZeroPoint: 0, outputRange: 0...255)
        }
        #expect(try IntegerLinearStage.reluRange(zeroPoint: 3, bits: 4) == 3...15)
        #expect(throws: ModelError.kernel(.zeroPointOutOfRange(16))) { try IntegerLinearStage.reluRange(zeroPoint: 16, bits: 4) }
    }

    @Test func checkpointRoundTrip() throws {
        let data = try Self.data(count: 256, seed: 10)
        let model = try Self.fakeQuant(weightBits: 4, activationBits: 6, data: data).integerOnly(outputCalibration: data)
        let mlp = try #require(model.layers.first as? IntegerOnlyMLP)
        let file = try model.checkpoint()
        #expect(file.metadata["quant.layers"] == "integer-only-mlp")
        #expect(file.metadata["quant.activation_bits"] == "6,6,6")
        let expected: [String: (SafetensorsDType, [Int])] = [
            "fc1.weight": (.i8, [32, 24]), "fc1.bias": (.i32, [32]), "fc1.multiplier": (.i32, [32]), "fc1.shift": (.i32, [32]),
            "fc1.input_scale": (.f32, [1]), "fc1.input_zero_point": (.i32, [1]), "fc1.weight_scale": (.f32, [32]),
            "fc2.weight": (.i8, [16, 32]), "fc3.weight": (.i8, [5, 16]), "fc3.shift": (.i32, [5]),
            "output_scale": (.f32, [1]), "output_zero_point": (.i32, [1]),
        ]
        for (name, (dtype, shape)) in expected {
            #expect(file[name]?.dtype == dtype && file[name]?.shape == shape, "\(name)")
        }
        #expect(try file.tensor("fc2.input_zero_point", as: Int32.self).scalars == [mlp.stages[0].outputZeroPoint])
        #expect(try file.tensor("fc3.multiplier", as: Int32.self).scalars == mlp.stages[2].multipliers.map(\.multiplier))

        let loaded = try Sequential(checkpoint: Safetensors(bytes: file.serialized()))
        let copy = try #require(loaded.layers.first as? IntegerOnlyMLP)
        let x = try Self.tensor(data, rows: 256)
        #expect(try copy.outputCodes(x) == mlp.outputCodes(x))
        #expect(copy.inputGrid == mlp.inputGrid && copy.outputGrid == mlp.outputGrid)
        #expect(copy.inputScales == mlp.inputScales && copy.weightScales == mlp.weightScales)
        for (a, b) in zip(copy.stages, mlp.stages) {
            #expect(a.codes == b.codes && a.bias == b.bias && a.multipliers == b.multipliers)
            #expect(a.inputBits == b.inputBits && a.inputZeroPoint == b.inputZeroPoint && a.outputRange == b.outputRange)
        }

        var damaged = file
        damaged["fc2.shift"] = SafetensorsTensor(Tensor([Int32](repeating: 40, count: 16)))
        #expect(throws: ModelError.inLayer(0, .kernel(.invalidFixedPointMultiplier(multiplier: mlp.stages[1].multipliers[0].multiplier, shift: 40)))) {
            try Sequential(checkpoint: damaged)
        }
        damaged.metadata["quant.activation_bits"] = nil
        #expect(throws: ModelError.inLayer(0, .missingParameter(name: "quant.activation_bits"))) { try Sequential(checkpoint: damaged) }
    }

    @Test func storedMultipliersRoundTrip() throws {
        for real in [0.0, 0x1p-32, 0.1, 0.5, 3, 0x1p29] {
            let m = try FixedPointMultiplier(real)
            #expect(try FixedPointMultiplier(multiplier: m.multiplier, shift: m.shift) == m)
        }
        #expect(throws: Int8KernelError.invalidFixedPointMultiplier(multiplier: 5, shift: 0)) { try FixedPointMultiplier(multiplier: 5, shift: 0) }
        #expect(throws: Int8KernelError.invalidFixedPointMultiplier(multiplier: 1 << 30, shift: 31)) {
            try FixedPointMultiplier(multiplier: 1 << 30, shift: 31)
        }
        #expect(throws: Int8KernelError.invalidFixedPointMultiplier(multiplier: 0, shift: 2)) { try FixedPointMultiplier(multiplier: 0, shift: 2) }
    }
}
