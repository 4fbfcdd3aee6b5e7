import Testing
@testable import Quant
import TestSupport

/// Every layer's backward pass against central finite differences.
///
/// For a layer `y = f(x)` and a fixed random `r`, the test loss is
/// `L = Σ r ⊙ y`, so `∂L/∂y = r`. Each analytic derivative is compared with
/// `(L(θ + h) − L(θ − h)) / 2h` computed in Double from Float forward
/// passes; with `h = 10⁻²` and values of order 1 the Float rounding error
/// is ~10⁻⁴, so the tolerance is `2·10⁻³ · max(1, |g|)`.
@Suite struct GradientCheckTests {
    static let h: Float = 1e-2

    /// The analytic derivative `analytic` against the finite difference `numeric`.
    static func expectGradient(_ analytic: Float, _ numeric: Double, _ what: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(Double(analytic), numeric, atol: 2e-3 * max(1, abs(numeric)), "\(what), analytic against numeric",
                    sourceLocation: sourceLocation)
    }

    /// `Σ r ⊙ layer(x)` in Double.
    static func loss<L: Layer>(_ layer: L, _ x: [Float], rows: Int, _ r: [Float]) -> Double {
        let y = try! layer(Tensor(shape: [rows, layer.inputFeatures], scalars: x)).scalars
        return zip(y, r).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    @Test func linearLayer() throws {
        var g = SeededGenerator(seed: 3)
        let (rows, n, k) = (4, 3, 5)
        let weight = Distribution.normal(mean: 0, standardDeviation: 1).samples(n * k, using: &g)
        let bias = Distribution.normal(mean: 0, standardDeviation: 1).samples(n, using: &g)
        let x = Distribution.normal(mean: 0, standardDeviation: 1).samples(rows * k, using: &g)
        let r = Distribution.normal(mean: 0, standardDeviation: 1).samples(rows * n, using: &g)
        func make(_ w: [Float], _ b: [Float]) throws -> Linear {
            try Linear(weight: Tensor(shape: [n, k], scalars: w), bias: Tensor(b))
        }
        var layer = try make(weight, bias)
        let y = try layer(Tensor(shape: [rows, k], scalars: x)).scalars
        var dx = [Float](repeating: 0, count: rows * k)
        x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in r.withUnsafeBufferPointer { rp in
            dx.withUnsafeMutableBufferPointer { dxp in
                layer.backward(input: xp.baseAddress!, output: yp.baseAddress!, outputGradient: rp.baseAddress!,
                               inputGradient: dxp.baseAddress!, rows: rows)
            }
        } } }
        for i in 0..<(n * k) {
            var plus = weight, minus = weight
            plus[i] += Self.h; minus[i] -= Self.h
            let numeric = (Self.loss(try make(plus, bias), x, rows: rows, r) - Self.loss(try make(minus, bias), x, rows: rows, r)) / (2 * Double(Self.h))
            Self.expectGradient(layer.weightGradient[i], numeric, "dW[\(i)]")
        }
        for j in 0..<n {
            var plus = bias, minus = bias
            plus[j] += Self.h; minus[j] -= Self.h
            let numeric = (Self.loss(try make(weight, plus), x, rows: rows, r) - Self.loss(try make(weight, minus), x, rows: rows, r)) / (2 * Double(Self.h))
            Self.expectGradient(layer.biasGradient[j], numeric, "db[\(j)]")
        }
        for i in 0..<(rows * k) {
            var plus = x, minus = x
            plus[i] += Self.h; minus[i] -= Self.h
            let numeric = (Self.loss(layer, plus, rows: rows, r) - Self.loss(layer, minus, rows: rows, r)) / (2 * Double(Self.h))
            Self.expectGradient(dx[i], numeric, "dx[\(i)]")
        }
    }

    @Test func reluLayer() {
        // Inputs kept at least 2h away from the kink, where the derivative is defined.
        let x: [Float] = [-1.5, -0.3, 0.2, 0.7, 1.1, -0.05 - 2 * Self.h]
        let r: [Float] = [0.5, -1, 2, 0.25, -0.75, 3]
        var relu = ReLU(features: 3)
        let y = try! relu(Tensor(shape: [2, 3], scalars: x)).scalars
        #expect(y == [0, 0, 0.2, 0.7, 1.1, 0])
        var dx = [Float](repeating: .nan, count: 6)
        x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in r.withUnsafeBufferPointer { rp in
            dx.withUnsafeMutableBufferPointer { relu.backward(input: xp.baseAddress!, output: yp.baseAddress!, outputGradient: rp.baseAddress!, inputGradient: $0.baseAddress!, rows: 2) }
        } } }
        for i in 0..<6 {
            var plus = x, minus = x
            plus[i] += Self.h; minus[i] -= Self.h
            let numeric = (Self.loss(relu, plus, rows: 2, r) - Self.loss(relu, minus, rows: 2, r)) / (2 * Double(Self.h))
            Self.expectGradient(dx[i], numeric, "dx[\(i)]")
        }
    }

    @Test func softmaxCrossEntropy() throws {
        var g = SeededGenerator(seed: 5)
        let (rows, classes) = (3, 4)
        let z = Distribution.normal(mean: 0, standardDeviation: 2).samples(rows * classes, using: &g)
        let labels: [Int32] = [2, 0, 3]
        let loss = SoftmaxCrossEntropy(classes: classes)
        var dz = [Float](repeating: 0, count: rows * classes)
        let value = z.withUnsafeBufferPointer { zp in labels.withUnsafeBufferPointer { yp in
            dz.withUnsafeMutableBufferPointer { loss.lossAndGradient(logits: zp.baseAddress!, labels: yp.baseAddress!, rows: rows, gradient: $0.baseAddress!) }
        } }
        #expect(value == (try loss(logits: Tensor(shape: [rows, classes], scalars: z), labels: labels)))
        for i in 0..<(rows * classes) {
            var plus = z, minus = z
            plus[i] += Self.h; minus[i] -= Self.h
            let lp = try loss(logits: Tensor(shape: [rows, classes], scalars: plus), labels: labels)
            let lm = try loss(logits: Tensor(shape: [rows, classes], scalars: minus), labels: labels)
            Self.expectGradient(dz[i], Double(lp - lm) / (2 * Double(Self.h)), "dz[\(i)]")
        }
        // Each row of the gradient sums to zero (probabilities sum to one).
        for r in 0..<rows { #expect(abs(dz[(r * classes)..<((r + 1) * classes)].reduce(0, +)) < 1e-6) }
    }

    @Test func softmaxCrossEntropyIsStableAndExact() throws {
        let loss = SoftmaxCrossEntropy(classes: 3)
        // Equal logits: loss = log 3 exactly in exact arithmetic.
        expectClose(try loss(logits: Tensor(shape: [1, 3], scalars: [5, 5, 5]), labels: [1]), 1.0986123, atol: 1e-6)
        // Huge logits must not overflow.
        let big = try loss(logits: Tensor(shape: [1, 3], scalars: [1000, 0, -1000]), labels: [1])
        expectClose(big, 1000, atol: 1e-3)
        #expect(throws: ModelError.labels("label 3 is not in 0..<3")) {
            try loss(logits: Tensor(shape: [1, 3], scalars: [0, 0, 0]), labels: [3])
        }
    }
}
