/// The allocation-free forms, for hot loops: the caller owns every buffer,
/// and `shape` says how the flat row-major elements are laid out (it
/// matters only for per-channel and per-group schemes; pass `[count]` otherwise).
///
/// ```swift
/// var codes = [UInt8](repeating: 0, count: x.count)
/// var xHat = [Float](repeating: 0, count: x.count)
/// try x.scalars.withUnsafeBufferPointer { input in
///     try codes.withUnsafeMutableBufferPointer { try quantizer.quantize(input, shape: x.shape, into: $0) }
/// }
/// try codes.withUnsafeBufferPointer { q in
///     try xHat.withUnsafeMutableBufferPointer { try quantizer.dequantize(q, shape: x.shape, into: $0) }
/// }
/// ```
///
/// When a call throws, the output buffer's contents are unspecified.
extension Quantizer {
    /// Writes the codes of `x` into `codes`.
    ///
    /// - Throws: ``QuantError/codeTypeTooNarrow(type:range:)``,
    ///   ``QuantError/bufferSizeMismatch(expected:actual:)``,
    ///   ``QuantError/shapeMismatch(expected:actual:)`` when `shape` does not
    ///   describe `x.count` elements, ``QuantError/nonFiniteValue(index:value:)``,
    ///   and the layout errors of ``quantize(_:)``.
    public func quantize<Code: QuantizedCode>(
        _ x: UnsafeBufferPointer<Float>, shape: [Int], into codes: UnsafeMutableBufferPointer<Code>
    ) throws(QuantError) {
        // Each concrete code type gets its own specialised, vectorised loop
        // (a generic loop called across modules would not be specialised).
        guard Code.min <= scheme.qmin, Code.max >= scheme.qmax else {
            throw .codeTypeTooNarrow(type: "\(Code.self)", range: scheme.codeRange)
        }
        let layout = try layout(of: shape, count: x.count, outputCount: codes.count)
        guard let input = x.baseAddress, let output = codes.baseAddress else { return }
        let finite: Bool
        if Code.self == UInt8.self {
            finite = run(quantize: input, layout: layout, into: UnsafeMutableRawPointer(output).assumingMemoryBound(to: UInt8.self))
        } else if Code.self == Int8.self {
            finite = run(quantize: input, layout: layout, into: UnsafeMutableRawPointer(output).assumingMemoryBound(to: Int8.self))
        } else if Code.self == Int32.self {
            finite = run(quantize: input, layout: layout, into: UnsafeMutableRawPointer(output).assumingMemoryBound(to: Int32.self))
        } else if Code.self == UInt16.self {
            finite = run(quantize: input, layout: layout, into: UnsafeMutableRawPointer(output).assumingMemoryBound(to: UInt16.self))
        } else if Code.self == Int16.self {
            finite = run(quantize: input, layout: layout, into: UnsafeMutableRawPointer(output).assumingMemoryBound(to: Int16.self))
        } else {
            finite = run(quantize: input, layout: layout, into: output)   // another conforming type: generic, slower
        }
        if !finite { throw TensorRange.firstNonFinite(in: Array(x)) }
    }

    /// Writes `(q − zp)·scale` for the codes `q` into `values`.
    ///
    /// - Throws: ``QuantError/bufferSizeMismatch(expected:actual:)``,
    ///   ``QuantError/shapeMismatch(expected:actual:)`` and the layout errors
    ///   of ``dequantize(_:)``.
    public func dequantize<Code: QuantizedCode>(
        _ q: UnsafeBufferPointer<Code>, shape: [Int], into values: UnsafeMutableBufferPointer<Float>
    ) throws(QuantError) {
        let layout = try layout(of: shape, count: q.count, outputCount: values.count)
        guard let input = q.baseAddress, let output = values.baseAddress else { return }
        let raw = UnsafeRawPointer(input)
        if Code.self == UInt8.self {
            run(dequantize: raw.assumingMemoryBound(to: UInt8.self), layout: layout, into: output)
        } else if Code.self == Int8.self {
            run(dequantize: raw.assumingMemoryBound(to: Int8.self), layout: layout, into: output)
        } else if Code.self == Int32.self {
            run(dequantize: raw.assumingMemoryBound(to: Int32.self), layout: layout, into: output)
        } else if Code.self == UInt16.self {
            run(dequantize: raw.assumingMemoryBound(to: UInt16.self), layout: layout, into: output)
        } else if Code.self == Int16.self {
            run(dequantize: raw.assumingMemoryBound(to: Int16.self), layout: layout, into: output)
        } else {
            run(dequantize: input, layout: layout, into: output)   // another conforming type: generic, slower
        }
    }

    /// Writes `dequantize(quantize(x))` into `values` (which may be `x` itself).
    ///
    /// - Throws: as ``quantize(_:shape:into:)``.
    public func fakeQuantize(
        _ x: UnsafeBufferPointer<Float>, shape: [Int], into values: UnsafeMutableBufferPointer<Float>
    ) throws(QuantError) {
        let layout = try layout(of: shape, count: x.count, outputCount: values.count)
        guard let input = x.baseAddress, let output = values.baseAddress else { return }
        if case .binary = scheme.mapping {
            if !run(fakeSign: input, layout: layout, into: output) { throw TensorRange.firstNonFinite(in: Array(x)) }
            return
        }
        let c = constants
        let finite = parallelAllFinite(layout) { run in
            switch run {
            case .uniform(let e, let ch):
                return QuantizationLoops.fakeQuantize(input + e.lowerBound, output + e.lowerBound, count: e.count,
                                                 inverseScale: c.inverseScale[ch], lower: c.lower[ch],
                                                 upper: c.upper[ch], scale: c.scale[ch])
            case .row(let e, let first):
                return c.inverseScale.withUnsafeBufferPointer { inv in
                    c.lower.withUnsafeBufferPointer { lo in
                        c.upper.withUnsafeBufferPointer { hi in
                            c.scale.withUnsafeBufferPointer { s in
                                QuantizationLoops.fakeQuantizeRow(input + e.lowerBound, output + e.lowerBound, count: e.count,
                                                             inverseScale: inv.baseAddress! + first, lower: lo.baseAddress! + first,
                                                             upper: hi.baseAddress! + first, scale: s.baseAddress! + first)
                            }
                        }
                    }
                }
            }
        }
        if !finite { throw TensorRange.firstNonFinite(in: Array(x)) }
    }

    // MARK: Drivers

    /// The channel or group layout of `shape`, checked against the buffers and parameters.
    func layout(of shape: [Int], count: Int, outputCount: Int) throws(QuantError) -> ChannelLayout {
        guard outputCount == count else { throw .bufferSizeMismatch(expected: count, actual: outputCount) }
        let layout = try ChannelLayout(shape: shape, granularity: scheme.granularity)
        guard layout.count == count, shape.allSatisfy({ $0 >= 0 }) else {
            throw .shapeMismatch(expected: [count], actual: shape)
        }
        guard layout.channels == params.channelCount || scheme.axis == nil else {
            if layout.grouping != nil {
                throw .groupCountMismatch(parameterCount: params.channelCount, groupCount: layout.channels)
            }
            throw .channelCountMismatch(parameterCount: params.channelCount, channelCount: layout.channels)
        }
        return layout
    }

    /// Runs `kernel` over the runs of every chunk, concurrently; true when
    /// no kernel saw a NaN or infinity (an all-ones exponent field).
    func parallelAllFinite(_ layout: ChannelLayout, _ kernel: (ChannelLayout.ChannelRun) -> UInt32) -> Bool {
        let chunkCount = ParallelChunks(elements: layout.count).count
        var exponents = [UInt32](repeating: 0, count: chunkCount)
        exponents.withUnsafeMutableBufferPointer { exponents in
            let exponents = exponents.baseAddress!
            ParallelChunks(elements: layout.count).forEach { chunk, elements in
                var seen: UInt32 = 0
                layout.forEachRun(in: elements) { seen = Swift.max(seen, kernel($0)) }
                exponents[chunk] = seen
            }
        }
        return !exponents.contains(QuantizationLoops.exponentMask)
    }

    func run<Code: QuantizedCode>(quantize input: UnsafePointer<Float>, layout: ChannelLayout, into output: UnsafeMutablePointer<Code>) -> Bool {
        if case .binary = scheme.mapping { return run(sign: input, layout: layout, into: output) }
        let c = constants
        return parallelAllFinite(layout) { run in
            switch run {
            case .uniform(let e, let ch):
                return QuantizationLoops.quantize(input + e.lowerBound, output + e.lowerBound, count: e.count,
                                             inverseScale: c.inverseScale[ch], lower: c.lower[ch],
                                             upper: c.upper[ch], bias: c.bias[ch])
            case .row(let e, let first):
                return c.inverseScale.withUnsafeBufferPointer { inv in
                    c.lower.withUnsafeBufferPointer { lo in
                        c.upper.withUnsafeBufferPointer { hi in
                            c.bias.withUnsafeBufferPointer { b in
                                QuantizationLoops.quantizeRow(input + e.lowerBound, output + e.lowerBound, count: e.count,
                                                         inverseScale: inv.baseAddress! + first, lower: lo.baseAddress! + first,
                                                         upper: hi.baseAddress! + first, bias: b.baseAddress! + first)
                            }
                        }
                    }
                }
            }
        }
    }

    func run<Code: QuantizedCode>(dequantize input: UnsafePointer<Code>, layout: ChannelLayout, into output: UnsafeMutablePointer<Float>) {
        let c = constants
        _ = parallelAllFinite(layout) { run in
            switch run {
            case .uniform(let e, let ch):
                QuantizationLoops.dequantize(input + e.lowerBound, output + e.lowerBound, count: e.count,
                                        scale: c.scale[ch], zeroPoint: c.zeroPoint[ch])
            case .row(let e, let first):
                c.scale.withUnsafeBufferPointer { s in
                    c.zeroPoint.withUnsafeBufferPointer { z in
                        QuantizationLoops.dequantizeRow(input + e.lowerBound, output + e.lowerBound, count: e.count,
                                                   scale: s.baseAddress! + first, zeroPoint: z.baseAddress! + first)
                    }
                }
            }
            return 0
        }
    }
}
