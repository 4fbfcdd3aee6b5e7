import Testing
@testable import Quant

/// The low-bit linear layer: built from a float layer by the quantizer,
/// close to it, the same as its kernel, and round-tripped through checkpoints.
@Suite struct LowBitLinearTests {
    static let formats: [WeightFormat] = [
        try! WeightFormat(.int4, groupSize: 32), .int4, try! WeightFormat(.int2, groupSize: 64), .int2,
        try! WeightFormat(.ternary, groupSize: 128), .ternary, try! WeightFormat(.binary, groupSize: 32), .binary,
    ]

    /// The codes and scales are the quantizer's for ``LowBitLinear/weightScheme(for:)``;
    /// the output is the kernel's, and within the quantization error bound of
    /// the float layer (the int8 layer's bound with these scales).
    @Test(arguments: formats)
    func fromFloatLayer(format: WeightFormat) throws {
        var g = SeededGenerator(seed: 51)
        let (rows, k, n) = (3, 130, 20)
        let fc = Linear(inputFeatures: k, outputFeatures: n, using: &g)
        let linear = try Linear(weight: fc.weightTensor, bias: Tensor((0..<n).map { _ in g.nextUnitFloat() - 0.5 }))
        let layer = try LowBitLinear(linear, format: format)
        let quantizer = try Quantizer(scheme: LowBitLinear.weightScheme(for: format), observing: linear.weightTensor)
        #expect(layer.weights.stored.unpackedCodes() == (try quantizer.quantize(linear.weightTensor, as: Int8.self)).scalars)
        #expect(layer.weights.stored.scales == quantizer.params.scales)
        #expect(layer.parameterCount == n * k + n)

        let x = Distribution.normal(mean: 0.1, standardDeviation: 1).samples(rows * k, using: &g)
        let y = try layer(Tensor(shape: [rows, k], scalars: x)).scalars
        var direct = [Float](repeating: 0, count: rows * n), workspace = Int8Workspace()
        let p = try layer.weights.forward(x, rows: rows, bias: linear.bias, into: &direct, workspace: &workspace)
        #expect(y.map(\.bitPattern) == direct.map(\.bitPattern))

        let float = try linear(Tensor(shape: [rows, k], scalars: x)).scalars
        let groups = format.groupsPerRow(inFeatures: k), length = format.groupSize ?? k
        let scales = layer.weights.stored.scales
        for i in 0..<rows {
            for j in 0..<n {
                var bound = 0.0
                for t in 0..<k {
                    let sw = Double(scales[j * groups + t / length])
                    // Ternary codes clamp at ±1: a weight beyond 1.5·s is off by |w| − s, not s/2;
                    // binary ones are ±s whatever |w|: off by ||w| − s| ≤ max(s, |w| − s).
                    let w = abs(Double(linear.weight[j * k + t]))
                    let wError = format.encoding == .binary ? Swift.max(sw, w - sw) : Swift.max(sw / 2, w - sw)
                    bound += abs(Double(linear.weight[j * k + t])) * Double(p.scale) / 2
                        + abs(Double(x[i * k + t])) * wError + Double(p.scale) * wError / 2
                }
                #expect(abs(Double(y[i * n + j]) - Double(float[i * n + j])) <= bound * 1.001 + 1e-5, "\(format) [\(i), \(j)]")
            }
        }
    }

    @Test("checkpoint round trip: U8 codes, F32 scales, format in the metadata")
    func checkpointRoundTrip() throws {
        var g = SeededGenerator(seed: 52)
        let sizes = [70, 33, 17, 5]
        let formats = [try WeightFormat(.int4, groupSize: 32), .int2, try WeightFormat(.ternary, groupSize: 64)]
        var layers = [any Layer]()
        for (index, format) in formats.enumerated() {
            let fc = Linear(inputFeatures: sizes[index], outputFeatures: sizes[index + 1], using: &g)
            layers.append(try LowBitLinear(fc, format: format))
            if index < 2 { layers.append(ReLU(features: sizes[index + 1])) }
        }
        let model = try Sequential(layers)
        let file = try model.checkpoint()
        #expect(file.metadata["quant.layers"] == "lowbit-linear,relu,lowbit-linear,relu,lowbit-linear")
        #expect(file.metadata["quant.fc1.weight_format"] == "int4/g32")
        #expect(file.metadata["quant.fc2.weight_format"] == "int2")
        #expect(file.metadata["quant.fc3.weight_layout"] == "igemm_pack_bits")
        #expect(file["fc1.weight_packed"]?.dtype == .u8 && file["fc1.weight_packed"]?.shape == [33, 35])
        #expect(file["fc1.weight_scale"]?.shape == [33, 3])
        #expect(file["fc2.weight_packed"]?.shape == [17, 9])

        let loaded = try Sequential(checkpoint: Safetensors(bytes: file.serialized()))
        for (a, b) in zip(loaded.layers, model.layers) {
            guard let a = a as? LowBitLinear, let b = b as? LowBitLinear else { continue }
            #expect(a.weights.stored == b.weights.stored && a.bias == b.bias)
        }
        let x = try Tensor(shape: [4, 70], scalars: Distribution.normal(mean: 0, standardDeviation: 1).samples(280, using: &g))
        #expect(try loaded.logits(x).scalars.map(\.bitPattern) == model.logits(x).scalars.map(\.bitPattern))
    }

    /// `lowBit(_:)` replaces the float layers only, and the result runs the
    /// same on every kernel.
    @Test func wholeModel() throws {
        let fp32 = try Sequential.mlp(sizes: [70, 33, 5], seed: 54)
        let format = try WeightFormat(.int2, groupSize: 32)
        let model = try fp32.lowBit(format)
        #expect(model.layers.map { String(describing: type(of: $0)) } == ["LowBitLinear", "ReLU", "LowBitLinear"])
        var g = SeededGenerator(seed: 55)
        let x = try Tensor(shape: [3, 70], scalars: Distribution.normal(mean: 0, standardDeviation: 1).samples(210, using: &g))
        let first = try LowBitLinear(try #require(fp32.layers[0] as? Linear), format: format)
        #expect((model.layers[0] as? LowBitLinear)?.weights.stored == first.weights.stored)
        let logits = try model.logits(x).scalars.map(\.bitPattern)
        for kernel in Int8Kernel.supported {
            #expect(try model.repacked(for: kernel).logits(x).scalars.map(\.bitPattern) == logits, "\(kernel)")
        }
        #expect(throws: ModelError.inLayer(0, .kernel(.unsupportedLowBitEncoding(.int8)))) { try fp32.lowBit(.int8) }
    }

    @Test func badInputIsATypedError() throws {
        var g = SeededGenerator(seed: 53)
        let fc = Linear(inputFeatures: 40, outputFeatures: 3, using: &g)
        #expect(throws: ModelError.kernel(.unsupportedLowBitEncoding(.int8))) { try LowBitLinear(fc, format: .int8) }
        #expect(throws: ModelError.kernel(.lowBitGroupSize(16, multiple: 32))) {
            try LowBitLinear(fc, format: WeightFormat(.int4, groupSize: 16))
        }
        let stored = try BitPackedWeights(codes: [Int8](repeating: 1, count: 120), outFeatures: 3, inFeatures: 40,
                                          scales: [1], format: .int4)
        #expect(throws: ModelError.parameterShape(name: "bias", expected: [3], found: [2])) {
            try LowBitLinear(weights: stored, bias: [0, 0])
        }
        let model = try Sequential([try LowBitLinear(fc, format: .int4)])
        var file = try model.checkpoint()
        file.metadata["quant.fc1.weight_format"] = "int5/g32"
        #expect(throws: ModelError.inLayer(0, .unsupportedWeightScheme("int5/g32"))) { try Sequential(checkpoint: file) }
        file.metadata["quant.fc1.weight_format"] = nil
        #expect(throws: ModelError.inLayer(0, .missingParameter(name: "quant.fc1.weight_format"))) { try Sequential(checkpoint: file) }
        #expect(WeightFormat("int4/g32") == (try WeightFormat(.int4, groupSize: 32)))
        #expect(WeightFormat("int4/g0") == nil && WeightFormat("int4/32") == nil && WeightFormat("int3") == nil)
        // Packed bytes of the wrong length for the shape.
        #expect(throws: Int8KernelError.sizeMismatch(name: "bytes", expected: 60, actual: 59)) {
            try BitPackedWeights(bytes: [UInt8](repeating: 0, count: 59), outFeatures: 3, inFeatures: 40, scales: [1], format: .int4)
        }
    }
}
