/// Per-pixel standardisation `x = (p/255 − mean) / std`, with the mean and
/// standard deviation of the *training* images (applied unchanged to the
/// test images, so that no test statistic leaks into training).
///
/// Centred, unit-variance inputs keep the first layer's pre-activations at
/// the scale He initialisation assumes; it is the standard MNIST recipe
/// (torchvision's `Normalize((0.1307,), (0.3081,))`).
///
/// ```swift
/// let n = Normalization.fit(pixels: trainPixels)   // mean 0.1307, std 0.3081 on MNIST
/// n.apply(255)                                      // 2.8215
/// ```
public struct Normalization: Sendable, Hashable {
    /// The mean of `p/255` over all training pixels.
    public let mean: Float
    /// The standard deviation (population) of `p/255` over all training pixels.
    public let standardDeviation: Float

    public init(mean: Float, standardDeviation: Float) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// The mean and standard deviation of `pixels / 255`, accumulated
    /// exactly (integer histogram) so the result does not depend on order.
    /// An empty or constant input gives standard deviation 1 (identity scale).
    public static func fit(pixels: [UInt8]) -> Normalization {
        var histogram = [Int](repeating: 0, count: 256)
        histogram.withUnsafeMutableBufferPointer { h in
            pixels.withUnsafeBufferPointer { p in
                guard let counts = h.baseAddress, let pixel = p.baseAddress else { return }
                var i = 0
                while i < p.count { counts[Int(pixel[i])] &+= 1; i &+= 1 }
            }
        }
        guard !pixels.isEmpty else { return Normalization(mean: 0, standardDeviation: 1) }
        let n = Double(pixels.count)
        var sum = 0.0, sumSquares = 0.0
        for (value, count) in histogram.enumerated() {
            let x = Double(value) / 255
            sum += Double(count) * x
            sumSquares += Double(count) * x * x
        }
        let mean = sum / n
        let variance = max(sumSquares / n - mean * mean, 0)
        let sd = variance > 0 ? variance.squareRoot() : 1
        return Normalization(mean: Float(mean), standardDeviation: Float(sd))
    }

    /// The normalised value of one pixel.
    public func apply(_ pixel: UInt8) -> Float {
        (Float(pixel) / 255 - mean) / standardDeviation
    }

    /// The pixel intensity in [0, 1] that a normalised value came from.
    public func invert(_ value: Float) -> Float {
        value * standardDeviation + mean
    }
}
