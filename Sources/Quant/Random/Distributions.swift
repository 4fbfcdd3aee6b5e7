import Foundation

/// Seeded samples from the distributions the notebooks quantize.
///
/// The shapes matter for quantization: a uniform tensor fills its range
/// evenly (the best case for a uniform grid), a Gaussian concentrates near
/// zero, and a heavy-tailed Laplace tensor has rare large values that
/// stretch the range and waste most of the grid.
public enum Distribution: Sendable, Hashable, CustomStringConvertible {
    /// Uniform on [lower, upper).
    case uniform(lower: Float, upper: Float)
    /// Normal with the given mean and standard deviation (Box–Muller).
    case normal(mean: Float, standardDeviation: Float)
    /// Laplace with density `exp(−|x − μ|/b) / 2b` (inverse CDF).
    case laplace(location: Float, scale: Float)

    public var description: String {
        switch self {
        case .uniform(let a, let b): return "Uniform(\(a), \(b))"
        case .normal(let m, let s): return "Normal(\(m), \(s))"
        case .laplace(let m, let b): return "Laplace(\(m), \(b))"
        }
    }

    /// `count` independent samples drawn with `generator`.
    ///
    /// Sampling is done in `Double` and rounded once to `Float`, so the
    /// sequence is identical on every platform for a given seed.
    public func samples(_ count: Int, using generator: inout SeededGenerator) -> [Float] {
        var out = [Float]()
        out.reserveCapacity(count)
        switch self {
        case .uniform(let lower, let upper):
            let a = Double(lower), width = Double(upper) - Double(lower)
            for _ in 0..<count { out.append(Float(a + width * generator.nextUnitDouble())) }
        case .normal(let mean, let sd):
            while out.count < count {
                // Box–Muller: two uniforms give two independent standard normals.
                let u1 = 1 - generator.nextUnitDouble()   // (0, 1]: log is finite
                let u2 = generator.nextUnitDouble()
                let r = (-2 * Foundation.log(u1)).squareRoot()
                let theta = 2 * Double.pi * u2
                out.append(Float(Double(mean) + Double(sd) * r * Foundation.cos(theta)))
                if out.count < count { out.append(Float(Double(mean) + Double(sd) * r * Foundation.sin(theta))) }
            }
        case .laplace(let location, let scale):
            for _ in 0..<count {
                // Inverse CDF: x = μ − b·sign(u)·ln(1 − 2|u|), u uniform on (−½, ½).
                let u = generator.nextUnitDouble() - 0.5
                let tail = Swift.max(1 - 2 * Swift.abs(u), 0x1p-53)   // u = −½ would give log 0
                let magnitude = -Double(scale) * Foundation.log(tail)
                out.append(Float(Double(location) + (u < 0 ? -magnitude : magnitude)))
            }
        }
        return out
    }
}
