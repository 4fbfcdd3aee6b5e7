/// One linear layer of an integer-only network (``IntegerOnlyMLP``): uint8
/// codes in, uint8 codes out, and nothing but integers in between — TFLite's
/// quantized `FULLY_CONNECTED`.
///
/// A fake-quantized layer computes `y_j = Σ_k x̂_k·ŵ_jk + b_j` with
/// `x̂ = s_x·(q_x − z_x)` and `ŵ_jk = s_w[j]·q_w[j, k]`, so
///
///     y_j = s_x·s_w[j] · (acc_j + b_j / (s_x·s_w[j])),   acc_j = Σ_k (q_x,k − z_x)·q_w[j, k]
///
/// and the code of `y_j` on the output grid `(s_y, z_y)` is
/// `z_y + y_j / s_y`. With the bias quantized once,
/// `bias[j] = round(b_j / (s_x·s_w[j]))` (int32), and the real multiplier
/// `M_j = s_x·s_w[j] / s_y` as a ``FixedPointMultiplier``:
///
///     acc[i, j] = Σ_k (q_x[i, k] − z_x)·q_w[j, k]                          (int32, exact)
///     q_y[i, j] = clamp(z_y + M_j·(acc[i, j] + bias[j]), outputRange)      (MultiplyByQuantizedMultiplier)
///
/// A ReLU after the layer folds into the clamp: `relu(y)` has code
/// `max(code(y), z_y)`, so `outputRange` is `max(z_y, qmin)...qmax` of the
/// next layer's input grid (``reluRange(zeroPoint:bits:)``).
///
/// **Nothing overflows.** `|q_x − z_x| ≤ 255` and `|q_w| ≤ 128`, so every
/// product is at most 32,640 in magnitude and `|acc| ≤ 32,640·K` for `K`
/// inputs (below 2³¹ up to ``Int8Kernel/maxInFeatures``); the initializer
/// keeps `|bias[j]|` within ``PackedInt8Weights/requantizedBiasLimit``
/// (`Int32.max − 32,640·K`), so `acc + bias` is an int32; the fixed-point
/// multiply is defined on every int32 (it saturates the pre-shift); and
/// `z_y` is added after clamping, so the sum stays in 0...255.
///
/// The stage stores integers only: the float scales that produced `bias`
/// and the multipliers stay with the ``IntegerOnlyMLP`` for inspection.
/// (The packed weights carry placeholder scales of 1, which the requantized
/// product never reads.)
///
/// ```swift
/// let stage = try IntegerLinearStage(codes: q, outFeatures: 256, inFeatures: 784, bias: b32,
///                                    multipliers: m, inputBits: 8, inputZeroPoint: 33,
///                                    outputZeroPoint: 0, outputRange: 0...255)
/// try stage.forward(x, rows: 256, into: y)   // uint8 → uint8
/// ```
public struct IntegerLinearStage: Sendable {
    /// The int8 weight codes `q_w`, `outFeatures × inFeatures`, packed for the kernel.
    public let weights: PackedInt8Weights
    /// `round(b_j / (s_x·s_w[j]))`, one per output.
    public let bias: [Int32]
    /// `M_j = s_x·s_w[j] / s_y` in fixed point, one per output.
    public let multipliers: [FixedPointMultiplier]
    /// Bits of the input codes (`0…2ᵇ − 1`), 1…8.
    public let inputBits: Int
    /// `z_x`, the input code of 0.0.
    public let inputZeroPoint: Int32
    /// `z_y`, the output code of 0.0.
    public let outputZeroPoint: Int32
    /// The clamp of the output codes (a folded ReLU raises its lower end to `z_y`).
    public let outputRange: ClosedRange<UInt8>
    /// ``multipliers`` as the C kernel takes them, two int32 arrays, made
    /// once rather than on every product.
    private let kernelMultipliers: [Int32], kernelShifts: [Int32]

    /// The input bits a stage accepts: uint8 codes of 1 to 8 bits.
    public static let supportedInputBits = 1...8

    /// A stage of `codes` (row-major `outFeatures × inFeatures`) packed for `kernel`.
    ///
    /// - Throws: ``ModelError/activationBits(_:supported:)`` for `inputBits`
    ///   outside 1…8; ``ModelError/parameterShape(name:expected:found:)`` when
    ///   `bias` or `multipliers` do not have one entry per output;
    ///   ``ModelError/kernel(_:)`` for codes that do not fit the shape, a zero-point
    ///   outside the codes (`0…2ᵇ − 1` for the input, 0...255 for the output), or
    ///   a bias beyond ``PackedInt8Weights/requantizedBiasLimit``.
    public init(codes: [Int8], outFeatures: Int, inFeatures: Int, bias: [Int32], multipliers: [FixedPointMultiplier],
                inputBits: Int, inputZeroPoint: Int32, outputZeroPoint: Int32, outputRange: ClosedRange<UInt8>,
                kernel: Int8Kernel = .fastest) throws(ModelError) {
        let weights: PackedInt8Weights
        do {
            weights = try PackedInt8Weights(codes: codes, outFeatures: outFeatures, inFeatures: inFeatures,
                                            scales: [1], kernel: kernel)
        } catch {
            throw .kernel(error)
        }
        try self.init(weights: weights, bias: bias, multipliers: multipliers, inputBits: inputBits,
                      inputZeroPoint: inputZeroPoint, outputZeroPoint: outputZeroPoint, outputRange: outputRange)
    }

    private init(weights: PackedInt8Weights, bias: [Int32], multipliers: [FixedPointMultiplier], inputBits: Int,
                 inputZeroPoint: Int32, outputZeroPoint: Int32, outputRange: ClosedRange<UInt8>) throws(ModelError) {
        let n = weights.outFeatures
        guard Self.supportedInputBits.contains(inputBits) else {
            throw .activationBits(inputBits, supported: Self.supportedInputBits)
        }
        guard (0...Self.codeMax(bits: inputBits)).contains(inputZeroPoint) else { throw .kernel(.zeroPointOutOfRange(inputZeroPoint)) }
        guard (0...255).contains(outputZeroPoint) else { throw .kernel(.zeroPointOutOfRange(outputZeroPoint)) }
        guard bias.count == n else { throw .parameterShape(name: "bias", expected: [n], found: [bias.count]) }
        guard multipliers.count == n else { throw .parameterShape(name: "multiplier", expected: [n], found: [multipliers.count]) }
        let limit = weights.requantizedBiasLimit
        if let bad = bias.firstIndex(where: { $0 > limit || $0 < -limit }) {
            throw .kernel(.biasOutOfRange(index: bad, value: bias[bad], limit: limit))
        }
        self.weights = weights
        self.bias = bias
        self.multipliers = multipliers
        self.inputBits = inputBits
        self.inputZeroPoint = inputZeroPoint
        self.outputZeroPoint = outputZeroPoint
        self.outputRange = outputRange
        kernelMultipliers = multipliers.map(\.multiplier)
        kernelShifts = multipliers.map(\.shift)
    }

    /// The width of each input row.
    public var inFeatures: Int { weights.inFeatures }
    /// The width of each output row.
    public var outFeatures: Int { weights.outFeatures }
    /// The weight codes, row-major `outFeatures × inFeatures`.
    public var codes: [Int8] { weights.codes }

    /// The largest `bits`-bit unsigned code, `2ᵇ − 1`.
    static func codeMax(bits: Int) -> Int32 { (1 << Int32(bits)) - 1 }

    /// The clamp of a layer's output codes when a ReLU follows it and the
    /// next layer's input grid has zero-point `zeroPoint` and `bits` bits:
    /// `max(z, 0)...2ᵇ − 1` (`qmin` is 0 on an unsigned grid).
    ///
    /// - Throws: ``ModelError/activationBits(_:supported:)`` for bits outside
    ///   1…8, ``ModelError/kernel(_:)`` for a zero-point outside `0…2ᵇ − 1`.
    public static func reluRange(zeroPoint: Int32, bits: Int) throws(ModelError) -> ClosedRange<UInt8> {
        guard supportedInputBits.contains(bits) else { throw .activationBits(bits, supported: supportedInputBits) }
        let high = codeMax(bits: bits)
        guard (0...high).contains(zeroPoint) else { throw .kernel(.zeroPointOutOfRange(zeroPoint)) }
        return UInt8(zeroPoint)...UInt8(high)
    }

    /// The same stage on another kernel (same codes, same bytes out).
    public func repacked(for kernel: Int8Kernel) throws(ModelError) -> IntegerLinearStage {
        let packed: PackedInt8Weights
        do { packed = try weights.repacked(for: kernel) } catch { throw .kernel(error) }
        return try IntegerLinearStage(weights: packed, bias: bias, multipliers: multipliers, inputBits: inputBits,
                                      inputZeroPoint: inputZeroPoint, outputZeroPoint: outputZeroPoint,
                                      outputRange: outputRange)
    }

    /// Writes the `rows × outFeatures` output codes of `rows × inFeatures`
    /// input codes (the formula above): the product of
    /// ``PackedInt8Weights/multiplyRequantized(_:rows:inputZeroPoint:bias:multipliers:outputZeroPoint:outputRange:into:parallel:)``,
    /// whose checks of the bias and multipliers the initializer made once.
    /// With `parallel`, a large product is split by rows over the cores.
    ///
    /// - Throws: ``ModelError/kernel(_:)`` when the buffers do not match `rows`.
    public func forward(_ x: UnsafeBufferPointer<UInt8>, rows: Int, into y: UnsafeMutableBufferPointer<UInt8>,
                        parallel: Bool = true) throws(ModelError) {
        do {
            guard case .fast(let path) = weights.kernel, rows > 0, outFeatures > 0 else {
                // The reference kernel's readable loops (and empty products).
                try weights.multiplyRequantized(x, rows: rows, inputZeroPoint: inputZeroPoint, bias: bias,
                                                multipliers: multipliers, outputZeroPoint: outputZeroPoint,
                                                outputRange: outputRange, into: y, parallel: parallel)
                return
            }
            try weights.check(inputCount: x.count, rows: rows, outputCount: y.count, zeroPoint: inputZeroPoint)
            bias.withUnsafeBufferPointer { bias in
                kernelMultipliers.withUnsafeBufferPointer { multiplier in
                    kernelShifts.withUnsafeBufferPointer { shift in
                        weights.requantizedProduct(path, x.baseAddress, rows: rows, inputZeroPoint: inputZeroPoint,
                                                   bias: bias.baseAddress, multiplier: multiplier.baseAddress!,
                                                   shift: shift.baseAddress!, outputZeroPoint: outputZeroPoint,
                                                   outputRange: outputRange, into: y.baseAddress!, parallel: parallel)
                    }
                }
            }
        } catch {
            throw .kernel(error)
        }
    }
}
