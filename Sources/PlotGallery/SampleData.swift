import Foundation
import Quant

/// Seeded, quantization-flavoured data for the gallery figures, so that every
/// run draws the same pictures.
enum SampleData {
    static let bits = Array(1...16)

    /// Max error of a b-bit uniform grid over a range `r`: r / (2^b − 1) / 2.
    static func maxError(range r: Double, bits b: Int) -> Double {
        r / Double((1 << b) - 1) / 2
    }

    static func normal(_ n: Int, seed: UInt64, sd: Float = 1) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return Distribution.normal(mean: 0, standardDeviation: sd).samples(n, using: &g)
    }

    static func laplace(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return Distribution.laplace(location: 0, scale: scale).samples(n, using: &g)
    }

    /// `x` rounded to the nearest of `levels` evenly spaced values from −clip
    /// to clip: a fake-quantized tensor.
    static func fakeQuantize(_ x: [Float], levels: Int, clip: Float) -> [Float] {
        let scale = 2 * clip / Float(levels - 1)
        return x.map { ((min(max($0, -clip), clip) + clip) / scale).rounded() * scale - clip }
    }

    /// A training curve: exponential decay towards `floor` with seeded noise.
    static func loss(steps: Int, seed: UInt64, floor: Double, rate: Double) -> (mean: [Double], std: [Double]) {
        let noise = normal(steps, seed: seed)
        let mean = (0..<steps).map { floor + (2.3 - floor) * exp(-rate * Double($0)) + 0.02 * Double(noise[$0]) }
        let std = (0..<steps).map { 0.03 + 0.25 * exp(-rate * Double($0)) }
        return (mean, std)
    }

    /// A 28 × 28 seven-segment rendering of `digit` with soft strokes, a
    /// slight slant and seeded noise: MNIST-like pictures without the data set.
    static func digitImage(_ digit: Int, seed: UInt64) -> [Double] {
        let segments: [(Double, Double, Double, Double)] = [
            (9, 6, 19, 6), (19, 6, 19, 14), (19, 14, 19, 22), (9, 22, 19, 22), (9, 14, 9, 22), (9, 6, 9, 14), (9, 14, 19, 14),
        ]
        let lit = ["abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abfgcd"][digit % 10]
        let on = lit.map { Int($0.asciiValue! - Character("a").asciiValue!) }
        var g = SeededGenerator(seed: seed)
        let slant = 0.25 * (g.nextUnitDouble() - 0.5), width = 1.1 + 0.5 * g.nextUnitDouble()
        return (0..<(28 * 28)).map { i in
            let y = Double(i / 28), x = Double(i % 28) + slant * (y - 14)
            var v = 0.0
            for s in on {
                let (x0, y0, x1, y1) = segments[s]
                let dx = x1 - x0, dy = y1 - y0
                let t = max(0, min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)))
                let ex = x - (x0 + t * dx), ey = y - (y0 + t * dy)
                v = max(v, exp(-(ex * ex + ey * ey) / (2 * width * width)))
            }
            return min(1, max(0, v + 0.05 * (g.nextUnitDouble() - 0.5)))
        }
    }
}
