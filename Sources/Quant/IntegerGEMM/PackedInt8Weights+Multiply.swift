import CIntegerGEMM

/// The three products of dynamic quantization, from integer codes to floats:
///
///     accumulate:  acc = Σ_k (q_x − z_x)·q_w                     (int32, exact)
///     multiply:    y   = (s_x·s_w[j])·acc + b[j]                  (rescale fused)
///     forward:     y   ≈ x·Wᵀ + b  (quantizes x to uint8 first, then multiply)
///
/// All take caller-provided output buffers and run ``kernel``. With
/// `parallel: true` (the default) a large product (at least
/// ``parallelThreshold`` multiply–adds) is split over the cores: by rows
/// from 24 rows on, by panels of output columns below (the float products
/// `multiply` and `forward` at batch 1; `accumulate` stays on one thread
/// there); small ones run on the calling thread with no overhead.
/// Every result is the same bit for bit whichever kernel or split runs it.
extension PackedInt8Weights {
    /// Multiply–adds (`rows · inFeatures · outFeatures`) below which a product
    /// stays on one thread: 256K take ~2 µs on one core, and handing a chunk
    /// to ``WorkerTeam``'s awake worker costs about a microsecond.
    public static let parallelThreshold = 1 << 18

    /// Below this many rows a parallel product is split by columns: too few
    /// rows for a row chunk per core with full register tiles.
    static let columnSplitRows = 24

    /// Writes `acc[i, j] = Σ_k (x[i, k] − zeroPoint) · codes[j, k]` (row-major, `rows × outFeatures`).
    public func accumulate(
        _ x: UnsafeBufferPointer<UInt8>, rows: Int, zeroPoint: Int32,
        into acc: UnsafeMutableBufferPointer<Int32>, parallel: Bool = true
    ) throws(Int8KernelError) {
        try check(inputCount: x.count, rows: rows, outputCount: acc.count, zeroPoint: zeroPoint)
        if rows == 0 || outFeatures == 0 { return }
        guard case .fast(let path) = kernel else {
            ReferenceInt8Kernel.accumulate(x: x, rows: rows, zeroPoint: zeroPoint, weights: codes,
                                           outFeatures: outFeatures, inFeatures: inFeatures, into: acc)
            return
        }
        // x has no address when inFeatures is 0; the kernels then read nothing.
        let (x, acc) = (x.baseAddress, acc.baseAddress!)
        let (n, k) = (outFeatures, inFeatures)
        withWeights { weights, sums in
            split(rows: rows, parallel: parallel) { first, count in
                igemm_gemm_s32(path.isa, count, n, k, x.map { $0 + first * k }, k, zeroPoint, weights, sums,
                            acc + first * n, n)
            }
        }
    }

    /// Returns the int32 accumulators for `x` (`rows × inFeatures` codes) as a new array.
    public func accumulate(_ x: [UInt8], rows: Int, zeroPoint: Int32) throws(Int8KernelError) -> [Int32] {
        var acc = [Int32](repeating: 0, count: Swift.max(rows, 0) * outFeatures)
        try acc.withUnsafeMutableBufferPointer { acc throws(Int8KernelError) in
            try x.withUnsafeBufferPointer { x throws(Int8KernelError) in
                try accumulate(x, rows: rows, zeroPoint: zeroPoint, into: acc)
            }
        }
        return acc
    }

    /// Writes `y[i, j] = (s_x · s_w[j]) · Σ_k (x[i, k] − z_x)·codes[j, k] + bias[j]`,
    /// the int32 product and the float rescale in one pass.
    ///
    /// `bias` has `outFeatures` entries, or is `nil` for none. The fast
    /// kernels write `y` directly; the reference kernel goes through an int32
    /// buffer it allocates (it is there to be read, not to be fast).
    public func multiply(
        _ x: UnsafeBufferPointer<UInt8>, rows: Int, activation: DynamicActivationQuantizer.Parameters,
        bias: [Float]?, into y: UnsafeMutableBufferPointer<Float>, parallel: Bool = true
    ) throws(Int8KernelError) {
        try check(inputCount: x.count, rows: rows, outputCount: y.count, zeroPoint: activation.zeroPoint)
        if let bias, bias.count != outFeatures {
            throw .sizeMismatch(name: "bias", expected: outFeatures, actual: bias.count)
        }
        if rows == 0 || outFeatures == 0 { return }
        guard case .fast(let path) = kernel else {
            // The reference: the readable product, then the readable rescale.
            var acc = [Int32](repeating: 0, count: rows * outFeatures)
            acc.withUnsafeMutableBufferPointer { acc in
                ReferenceInt8Kernel.accumulate(x: x, rows: rows, zeroPoint: activation.zeroPoint, weights: codes,
                                               outFeatures: outFeatures, inFeatures: inFeatures, into: acc)
                ReferenceInt8Kernel.rescale(UnsafeBufferPointer(acc), rows: rows, columns: outFeatures,
                                            inputScale: activation.scale, weightScales: channelScales,
                                            bias: bias, into: y)
            }
            return
        }
        fusedProduct(path, codes: UnsafeMutablePointer(mutating: x.baseAddress), rows: rows,
                     activation: activation, bias: bias, into: y.baseAddress!, parallel: parallel)
    }

    /// Dynamic quantization of a float batch: `y ≈ x·Wᵀ + bias`.
    ///
    /// Finds the batch's range, quantizes `x` (`rows × inFeatures`) to uint8
    /// codes in `workspace` (see ``DynamicActivationQuantizer``), then runs
    /// ``multiply(_:rows:activation:bias:into:parallel:)`` — the same
    /// numbers, with the quantization of each chunk of rows fused into its
    /// product on the fast paths. With `applyingReLU`, `y = max(·, 0)` as
    /// ``ReLU`` computes it (`v < 0 ? 0 : v`), applied as the kernel stores
    /// each output instead of in a second pass over `y`. Returns the
    /// activation parameters it used, for inspection.
    @discardableResult
    public func forward(
        _ x: UnsafeBufferPointer<Float>, rows: Int, bias: [Float]?,
        into y: UnsafeMutableBufferPointer<Float>, workspace: inout Int8Workspace, parallel: Bool = true,
        applyingReLU: Bool = false
    ) throws(Int8KernelError) -> DynamicActivationQuantizer.Parameters {
        guard rows >= 0 else { throw .negativeDimension(name: "rows", value: rows) }
        guard x.count == rows * inFeatures else {
            throw .sizeMismatch(name: "x", expected: rows * inFeatures, actual: x.count)
        }
        let activation = try DynamicActivationQuantizer.parameters(for: x, parallel: parallel)
        workspace.reserve(x.count)
        try workspace.codes.withUnsafeMutableBufferPointer { codes throws(Int8KernelError) in
            let codes = UnsafeMutableBufferPointer(rebasing: codes[0..<x.count])
            guard case .fast(let path) = kernel else {
                try DynamicActivationQuantizer.quantize(x, with: activation, into: codes, parallel: parallel)
                try multiply(UnsafeBufferPointer(codes), rows: rows, activation: activation, bias: bias,
                             into: y, parallel: parallel)
                if applyingReLU, let y = y.baseAddress { Elementwise.relu(y, into: y, count: rows * outFeatures) }
                return
            }
            try check(inputCount: x.count, rows: rows, outputCount: y.count, zeroPoint: activation.zeroPoint)
            if let bias, bias.count != outFeatures {
                throw .sizeMismatch(name: "bias", expected: outFeatures, actual: bias.count)
            }
            if rows == 0 || outFeatures == 0 { return }
            // Each chunk of rows is quantized right before its product, while
            // its codes are still in cache (same codes as quantizing first).
            fusedProduct(path, codes: codes.baseAddress, rows: rows, activation: activation, bias: bias,
                         into: y.baseAddress!, parallel: parallel, quantizingFrom: x.baseAddress, relu: applyingReLU)
        }
        return activation
    }

    /// ``forward(_:rows:bias:into:workspace:parallel:applyingReLU:)`` on arrays; `y` must
    /// already hold `rows × outFeatures` elements (it is overwritten, not resized).
    @discardableResult
    public func forward(
        _ x: [Float], rows: Int, bias: [Float]?, into y: inout [Float],
        workspace: inout Int8Workspace, parallel: Bool = true, applyingReLU: Bool = false
    ) throws(Int8KernelError) -> DynamicActivationQuantizer.Parameters {
        try y.withUnsafeMutableBufferPointer { y throws(Int8KernelError) in
            try x.withUnsafeBufferPointer { x throws(Int8KernelError) in
                try forward(x, rows: rows, bias: bias, into: y, workspace: &workspace, parallel: parallel,
                            applyingReLU: applyingReLU)
            }
        }
    }

    // MARK: Details

    func check(inputCount: Int, rows: Int, outputCount: Int, zeroPoint: Int32) throws(Int8KernelError) {
        guard rows >= 0 else { throw .negativeDimension(name: "rows", value: rows) }
        guard inputCount == rows * inFeatures else {
            throw .sizeMismatch(name: "x", expected: rows * inFeatures, actual: inputCount)
        }
        guard outputCount == rows * outFeatures else {
            throw .sizeMismatch(name: "output", expected: rows * outFeatures, actual: outputCount)
        }
        guard (0...255).contains(zeroPoint) else { throw .zeroPointOutOfRange(zeroPoint) }
    }

    /// The packed weights (or row-major codes for the portable path) and column sums.
    func withWeights(_ body: (UnsafeRawPointer?, UnsafePointer<Int32>?) -> Void) {
        columnSums.withUnsafeBufferPointer { sums in
            if packed.isEmpty {
                codes.withUnsafeBytes { body($0.baseAddress, sums.baseAddress) }
            } else {
                packed.withUnsafeBytes { body($0.baseAddress, sums.baseAddress) }
            }
        }
    }

    /// `y = rescale(codes · Wᵀ)` on a fast path, split by rows over the
    /// cores. With `floats`, each chunk first writes its rows of `codes` by
    /// quantizing the matching rows of `floats` with `activation`. `codes`
    /// and `floats` are nil only when `inFeatures` is 0 (nothing to read).
    /// A large product of few rows (batch 1: one row, all the work in the
    /// weights) is split by columns instead, in whole 16-column panels (a
    /// multiple of every path's panel, so each chunk is a packed matrix of
    /// its own at offset `igemm_packed_size(isa, firstColumn, k)`). With
    /// `relu`, the kernel applies a ReLU as it stores each output.
    private func fusedProduct(
        _ path: Int8Kernel.SIMDPath, codes: UnsafeMutablePointer<UInt8>?, rows: Int,
        activation: DynamicActivationQuantizer.Parameters, bias: [Float]?, into y: UnsafeMutablePointer<Float>,
        parallel: Bool, quantizingFrom floats: UnsafePointer<Float>? = nil, relu: Bool = false
    ) {
        let (n, k, zeroPoint, scale) = (outFeatures, inFeatures, activation.zeroPoint, activation.scale)
        let product = relu ? igemm_gemm_f32_relu : igemm_gemm_f32
        let byColumns = parallel && rows < Self.columnSplitRows && rows * k * n >= Self.parallelThreshold
        withWeights { weights, sums in
            channelScales.withUnsafeBufferPointer { scales in
                withOptionalBuffer(bias) { bias in
                    if byColumns {
                        if let floats, let codes { igemm_quantize_u8(floats, rows * k, 1 / scale, zeroPoint, codes) }
                        ParallelChunks((n + 15) / 16, minimumChunk: 1, worthSplitting: true).forEach { _, panels in
                            let first = panels.lowerBound * 16, count = Swift.min(panels.upperBound * 16, n) - first
                            product(path.isa, rows, count, k, codes, k, zeroPoint,
                                           weights.map { $0 + igemm_packed_size(path.isa, first, k) }, sums.map { $0 + first },
                                           scale, scales.baseAddress.map { $0 + first }, bias.map { $0 + first }, y + first, n)
                        }
                        return
                    }
                    split(rows: rows, parallel: parallel) { first, count in
                        let rowCodes = codes.map { $0 + first * k }
                        if let floats, let rowCodes {
                            igemm_quantize_u8(floats + first * k, count * k, 1 / scale, zeroPoint, rowCodes)
                        }
                        product(path.isa, count, n, k, rowCodes, k, zeroPoint, weights, sums,
                                    scale, scales.baseAddress, bias, y + first * n, n)
                    }
                }
            }
        }
    }

    /// Runs `body(firstRow, rowCount)` over `rows`, in one call or one per core.
    func split(rows: Int, parallel: Bool, _ body: (Int, Int) -> Void) {
        let worthSplitting = parallel && rows * inFeatures * outFeatures >= Self.parallelThreshold
        // Chunks of ≥ 12 rows keep the register tiles (6 or 4 rows) mostly full.
        ParallelChunks(rows, minimumChunk: 12, worthSplitting: worthSplitting).forEach { body($1.lowerBound, $1.count) }
    }
}

/// `body` with the array's elements, or with nil for no array.
func withOptionalBuffer<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}
