import Testing
@testable import Quant
import TestSupport

@Suite struct TensorTests {
    @Test func stridesAreRowMajor() throws {
        let t = try Tensor(shape: [2, 3, 4], repeating: Float(0))
        #expect(t.strides == [12, 4, 1])
        #expect(t.count == 24)
    }

    @Test func subscriptFollowsStrides() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6] as [Float])
        #expect(t[1, 2] == 6)
        #expect(t[0, 1] == 2)
    }

    @Test func shapeMismatchThrows() {
        #expect(throws: TensorError.shapeMismatch(shape: [2, 2], count: 3)) {
            try Tensor(shape: [2, 2], scalars: [1, 2, 3] as [Float])
        }
        #expect(throws: TensorError.negativeDimension(shape: [-1])) {
            try Tensor(shape: [-1], repeating: Float(0))
        }
    }

    @Test func seededGeneratorIsDeterministic() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        let xs = Distribution.normal(mean: 0, standardDeviation: 1).samples(1001, using: &a)
        let ys = Distribution.normal(mean: 0, standardDeviation: 1).samples(1001, using: &b)
        #expect(xs == ys)
        #expect(xs.count == 1001)
    }

    @Test func distributionMomentsAreRight() {
        var g = SeededGenerator(seed: 1)
        let n = 200_000
        let normal = Distribution.normal(mean: 1, standardDeviation: 2).samples(n, using: &g).map(Double.init)
        let mean = normal.reduce(0, +) / Double(n)
        let variance = normal.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        expectClose(mean, 1, atol: 0.02)
        expectClose(variance, 4, atol: 0.05)
        // Laplace(0, b) has variance 2b².
        let laplace = Distribution.laplace(location: 0, scale: 1).samples(n, using: &g).map(Double.init)
        let lv = laplace.reduce(0) { $0 + $1 * $1 } / Double(n)
        expectClose(lv, 2, atol: 0.05)
        let uniform = Distribution.uniform(lower: -1, upper: 3).samples(n, using: &g)
        #expect(uniform.allSatisfy { $0 >= -1 && $0 < 3 })
    }
}
