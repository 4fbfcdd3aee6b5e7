import CIntegerGEMM

/// The products of low-bit dynamic quantization, from codes or floats to floats:
///
///     multiply:  y = Σ_g (s_x·s_w[j, g])·dot_g − s_x·z_x·c_j + b[j]     (uint8 codes in, see ``LowBitWeights``)
///     forward:   y ≈ x·Wᵀ + b                                            (quantizes x to uint8 first)
///
/// With `parallel: true` (the default) a product of at least
/// ``parallelThreshold`` multiply–adds is split over the cores: by rows when
/// there are enough rows to keep the register tiles full (a batch), by
/// panels of output columns otherwise (batch 1, where the weights are the
/// work). Every split computes every output with the same arithmetic, so the
/// results are the same bit for bit on any number of cores.
extension LowBitWeights {
    /// Multiply–adds below which a product stays on one thread (as
    /// ``PackedInt8Weights/parallelThreshold``: a few µs of work on one core,
    /// against about one to hand a chunk to ``WorkerTeam``).
    public static let parallelThreshold = 1 << 18

    /// Rows from which a parallel product is split by rows rather than by columns.
    static let rowSplitMinimum = 24

    /// Writes `y` (`rows × outFeatures`) for uint8 codes `x` (`rows × inFeatures`)
    /// quantized with `activation`; `bias` has `outFeatures` entries or is nil.
    public func multiply(
        _ x: UnsafeBufferPointer<UInt8>, rows: Int, activation: DynamicActivationQuantizer.Parameters,
        bias: [Float]?, into y: UnsafeMutableBufferPointer<Float>, parallel: Bool = true
    ) throws(Int8KernelError) {
        try check(inputCount: x.count, rows: rows, outputCount: y.count, bias: bias)
        if rows == 0 || outFeatures == 0 { return }
        guard case .fast(let path) = kernel else {
            ReferenceLowBitKernel.multiply(x: x, rows: rows, activation: activation, codes: referenceCodes,
                                           scales: groupScales, outFeatures: outFeatures, inFeatures: inFeatures,
                                           groupSize: format.groupSize, bias: bias, into: y)
            return
        }
        product(path, x.baseAddress, rows: rows, activation: activation, bias: bias, into: y.baseAddress!,
                parallel: parallel)
    }

    /// ``multiply(_:rows:activation:bias:into:parallel:)`` on arrays, returning a new `y`.
    public func multiply(
        _ x: [UInt8], rows: Int, activation: DynamicActivationQuantizer.Parameters, bias: [Float]?,
        parallel: Bool = true
    ) throws(Int8KernelError) -> [Float] {
        var y = [Float](repeating: 0, count: Swift.max(rows, 0) * outFeatures)
        try y.withUnsafeMutableBufferPointer { y throws(Int8KernelError) in
            try x.withUnsafeBufferPointer { x throws(Int8KernelError) in
                try multiply(x, rows: rows, activation: activation, bias: bias, into: y, parallel: parallel)
            }
        }
        return y
    }

    /// Dynamic quantization of a float batch: `y ≈ x·Wᵀ + bias`.
    ///
    /// Finds the batch's range and quantizes `x` (`rows × inFeatures`) to
    /// uint8 codes in `workspace` (``DynamicActivationQuantizer``), then runs
    /// ``multiply(_:rows:activation:bias:into:parallel:)``. Returns the
    /// activation parameters it used.
    @discardableResult
    public func forward(
        _ x: UnsafeBufferPointer<Float>, rows: Int, bias: [Float]?,
        into y: UnsafeMutableBufferPointer<Float>, workspace: inout Int8Workspace, parallel: Bool = true
    ) throws(Int8KernelError) -> DynamicActivationQuantizer.Parameters {
        try check(inputCount: x.count, rows: rows, outputCount: y.count, bias: bias)
        let activation = try DynamicActivationQuantizer.parameters(for: x, parallel: parallel)
        workspace.reserve(x.count)
        try workspace.codes.withUnsafeMutableBufferPointer { codes throws(Int8KernelError) in
            let codes = UnsafeBufferPointer(rebasing: codes[0..<x.count])
            try DynamicActivationQuantizer.quantize(x, with: activation, into: UnsafeMutableBufferPointer(mutating: codes),
                                                    parallel: parallel)
            try multiply(codes, rows: rows, activation: activation, bias: bias, into: y, parallel: parallel)
        }
        return activation
    }

    /// ``forward(_:rows:bias:into:workspace:parallel:)`` on arrays; `y` must
    /// already hold `rows × outFeatures` elements (it is overwritten, not resized).
    @discardableResult
    public func forward(
        _ x: [Float], rows: Int, bias: [Float]?, into y: inout [Float],
        workspace: inout Int8Workspace, parallel: Bool = true
    ) throws(Int8KernelError) -> DynamicActivationQuantizer.Parameters {
        try y.withUnsafeMutableBufferPointer { y throws(Int8KernelError) in
            try x.withUnsafeBufferPointer { x throws(Int8KernelError) in
                try forward(x, rows: rows, bias: bias, into: y, workspace: &workspace, parallel: parallel)
            }
        }
    }

    // MARK: Details

    private func check(inputCount: Int, rows: Int, outputCount: Int, bias: [Float]?) throws(Int8KernelError) {
        guard rows >= 0 else { throw .negativeDimension(name: "rows", value: rows) }
        guard inputCount == rows * inFeatures else {
            throw .sizeMismatch(name: "x", expected: rows * inFeatures, actual: inputCount)
        }
        guard outputCount == rows * outFeatures else {
            throw .sizeMismatch(name: "output", expected: rows * outFeatures, actual: outputCount)
        }
        if let bias, bias.count != outFeatures {
            throw .sizeMismatch(name: "bias", expected: outFeatures, actual: bias.count)
        }
    }

    /// The C kernel on `path`, split over the cores by rows or by panels of
    /// columns. `x` is nil only when `inFeatures` is 0 (nothing to read).
    private func product(
        _ path: Int8Kernel.SIMDPath, _ x: UnsafePointer<UInt8>?, rows: Int,
        activation: DynamicActivationQuantizer.Parameters, bias: [Float]?, into y: UnsafeMutablePointer<Float>,
        parallel: Bool
    ) {
        let (n, k, format) = (outFeatures, inFeatures, format.encoding.cFormat)
        let group = self.format.groupSize ?? Int(IGEMM_GROUP_ROW)
        let (z, scale) = (activation.zeroPoint, activation.scale)
        let worthSplitting = parallel && rows * k * n >= Self.parallelThreshold
        packed.withUnsafeBytes { packed in
            withOptionalBuffer(bias) { bias in
                if rows >= Self.rowSplitMinimum || !worthSplitting {
                    // Chunks of ≥ 12 rows keep the 4-row register tiles full.
                    ParallelChunks(rows, minimumChunk: 12, worthSplitting: worthSplitting).forEach { _, chunk in
                        igemm_lowbit_gemm_f32(path.isa, format, chunk.count, n, k, group, x.map { $0 + chunk.lowerBound * k },
                                              k, z, packed.baseAddress, scale, bias, y + chunk.lowerBound * n, n, 0, n)
                    }
                } else {
                    let width = igemm_lowbit_panel_width(path.isa), panels = (n + width - 1) / width
                    ParallelChunks(panels, minimumChunk: 1, worthSplitting: true).forEach { _, chunk in
                        igemm_lowbit_gemm_f32(path.isa, format, rows, n, k, group, x, k, z, packed.baseAddress, scale,
                                              bias, y, n, chunk.lowerBound * width, Swift.min(chunk.upperBound * width, n))
                    }
                }
            }
        }
    }
}
