/// The inner loops of binary quantization: the sign of each value, with no
/// scale involved in the codes. Like the uniform loops, plain selects over
/// contiguous memory that vectorise, with the finiteness check riding along.
extension QuantizationLoops {
    /// `out[i] = x[i] ≥ 0 ? +1 : −1` (−0 gives +1); returns the largest exponent field.
    @inline(__always)
    static func sign<Code: FixedWidthInteger>(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Code>, count: Int) -> UInt32 {
        var exponents: UInt32 = 0
        for i in 0..<count {
            let v = x[i]
            exponents = Swift.max(exponents, v.bitPattern & exponentMask)
            out[i] = Code(truncatingIfNeeded: v >= 0 ? 1 as Int32 : -1)
        }
        return exponents
    }

    /// `out[i] = x[i] ≥ 0 ? scale : −scale`: the binary fake-quantization.
    @inline(__always)
    static func fakeSign(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, scale: Float) -> UInt32 {
        var exponents: UInt32 = 0
        for i in 0..<count {
            let v = x[i]
            exponents = Swift.max(exponents, v.bitPattern & exponentMask)
            out[i] = v >= 0 ? scale : -scale
        }
        return exponents
    }

    /// ``fakeSign(_:_:count:scale:)`` with per-element scales.
    @inline(__always)
    static func fakeSignRow(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, scale: UnsafePointer<Float>) -> UInt32 {
        var exponents: UInt32 = 0
        for i in 0..<count {
            let v = x[i]
            exponents = Swift.max(exponents, v.bitPattern & exponentMask)
            out[i] = v >= 0 ? scale[i] : -scale[i]
        }
        return exponents
    }
}
