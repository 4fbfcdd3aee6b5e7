import Foundation

/// How data values map to positions along an axis.
///
/// - `linear`: position ∝ value.
/// - `log10`, `log2`: position ∝ log(value); only positive values are shown
///   (others are clamped far outside the plot, as matplotlib masks them).
///   `log2` suits bit-widths and sizes that double.
/// - `symlog(linearThreshold: c)`: linear in `[−c, c]` and logarithmic
///   outside, for signed data spanning decades (matplotlib's `symlog`):
///   `t(x) = x/c` for `|x| ≤ c`, else `sign(x)·(1 + log10(|x|/c))`.
///
/// ```swift
/// var axes = Axes(xLabel: "bits", yLabel: "max |error|")
/// axes.y.scale = .log10
/// axes.x.scale = .log2
/// ```
public enum Scale: Sendable, Hashable {
    case linear
    case log10
    case log2
    case symlog(linearThreshold: Double)

    /// Whether only positive values can be shown.
    public var isLogarithmic: Bool {
        self == .log10 || self == .log2
    }

    /// The position of `value` on the scale (up to an affine map);
    /// −∞ for non-positive values on a logarithmic scale.
    public func transform(_ value: Double) -> Double {
        switch self {
        case .linear: return value
        case .log10: return value > 0 ? Foundation.log10(value) : -.infinity
        case .log2: return value > 0 ? Foundation.log2(value) : -.infinity
        case .symlog(let c):
            let c = c > 0 ? c : 1
            let a = abs(value)
            if a <= c { return value / c }
            return (value < 0 ? -1 : 1) * (1 + Foundation.log10(a / c))
        }
    }

    /// The value at position `t`: `inverse(transform(x)) == x` up to rounding.
    public func inverse(_ t: Double) -> Double {
        switch self {
        case .linear: return t
        case .log10: return pow(10, t)
        case .log2: return pow(2, t)
        case .symlog(let c):
            let c = c > 0 ? c : 1
            if abs(t) <= 1 { return t * c }
            return (t < 0 ? -1 : 1) * c * pow(10, abs(t) - 1)
        }
    }
}
