/// The drivers of binary schemes: codes are signs (no scale involved), and
/// fake-quantization is `±scale` per slot. Dequantization is the common
/// `(q − 0)·scale`.
extension Quantizer {
    /// Writes the signs of `input` (±1) into `output`; false when a NaN or infinity went through.
    func run<Code: QuantizedCode>(sign input: UnsafePointer<Float>, layout: ChannelLayout, into output: UnsafeMutablePointer<Code>) -> Bool {
        parallelAllFinite(layout) { run in
            switch run {
            case .uniform(let e, _), .row(let e, _):
                return QuantizationLoops.sign(input + e.lowerBound, output + e.lowerBound, count: e.count)
            }
        }
    }

    /// Writes `x ≥ 0 ? scale : −scale` into `output`; false when a NaN or infinity went through.
    func run(fakeSign input: UnsafePointer<Float>, layout: ChannelLayout, into output: UnsafeMutablePointer<Float>) -> Bool {
        let scale = constants.scale
        return parallelAllFinite(layout) { run in
            switch run {
            case .uniform(let e, let ch):
                return QuantizationLoops.fakeSign(input + e.lowerBound, output + e.lowerBound, count: e.count, scale: scale[ch])
            case .row(let e, let first):
                return scale.withUnsafeBufferPointer { s in
                    QuantizationLoops.fakeSignRow(input + e.lowerBound, output + e.lowerBound, count: e.count,
                                                  scale: s.baseAddress! + first)
                }
            }
        }
    }
}
