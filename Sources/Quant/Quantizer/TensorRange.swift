/// The minimum and maximum of a tensor, of each channel along an axis, or of
/// each group: what PyTorch's `MinMaxObserver` (`torch.aminmax(x)`) and
/// `PerChannelMinMaxObserver` (`torch.aminmax` over all dimensions but the
/// channel axis) record, and the per-group analogue.
///
/// One pass over the data, vectorised and split over the cores, which also
/// rejects NaN and ±∞ (a NaN has no place in a min/max, and one infinity
/// would make every scale infinite).
///
/// ```swift
/// let w = try Tensor(shape: [2, 3], scalars: [1, -2, 3, 0.5, 0.25, -4] as [Float])
/// try TensorRange(of: w, axis: nil)   // min [-4], max [3]
/// try TensorRange(of: w, axis: 0)     // min [-2, -4], max [3, 0.5]
/// ```
public struct TensorRange: Sendable, Hashable {
    /// The minimum of each channel or group (one entry when per-tensor).
    public private(set) var min: [Float]
    /// The maximum of each channel or group (one entry when per-tensor).
    public private(set) var max: [Float]

    /// The range of `tensor`, per channel along `axis`, or overall when `axis` is `nil`.
    ///
    /// - Throws: ``QuantError/emptyTensor`` when there is nothing to observe
    ///   (no elements, or zero channels), ``QuantError/axisOutOfBounds(axis:rank:)``,
    ///   ``QuantError/nonFiniteValue(index:value:)`` naming the first NaN/Inf.
    public init(of tensor: Tensor<Float>, axis: Int?) throws(QuantError) {
        try self.init(of: tensor, granularity: axis.map { .perChannel(axis: $0) } ?? .perTensor)
    }

    /// The range of each parameter slot of `tensor` under `granularity`: of
    /// the whole tensor, of each channel, or of each group, in the order of
    /// ``QuantScheme/Granularity/perGroup(axis:size:)`` (a group at the ragged
    /// end of a line is the range of its own, fewer, elements).
    ///
    /// ```swift
    /// let w = try Tensor(shape: [2, 5], scalars: [1, -2, 3, 0.5, 7, 0.25, -4, 2, 2, -1] as [Float])
    /// try TensorRange(of: w, granularity: .perGroup(axis: 1, size: 2))
    /// // min [-2, 0.5, 7, -4, 2, -1], max [1, 3, 7, 0.25, 2, -1]
    /// ```
    ///
    /// - Throws: as ``init(of:axis:)``.
    public init(of tensor: Tensor<Float>, granularity: QuantScheme.Granularity) throws(QuantError) {
        let layout = try ChannelLayout(shape: tensor.shape, granularity: granularity)
        guard layout.count > 0 else { throw .emptyTensor }
        let channels = layout.channels
        // Per chunk: `channels` lower keys, then `channels` upper keys. With
        // very many channels the per-chunk copies would cost more memory than
        // the split saves time, so such tensors are scanned in one chunk.
        let limit = channels > 4096 ? 1 : ParallelChunks.maximumElementChunks
        let chunks = ParallelChunks(elements: layout.count, limit: limit)
        let chunkCount = chunks.count
        var keys = [Int32](repeating: 0, count: 2 * channels * chunkCount)
        for chunk in 0..<chunkCount {
            for c in 0..<channels {
                keys[2 * channels * chunk + c] = .max
                keys[2 * channels * chunk + channels + c] = .min
            }
        }
        var exponents = [UInt32](repeating: 0, count: chunkCount)
        tensor.scalars.withUnsafeBufferPointer { x in
            keys.withUnsafeMutableBufferPointer { keys in
                exponents.withUnsafeMutableBufferPointer { exponents in
                    let x = x.baseAddress!, keys = keys.baseAddress!, exponents = exponents.baseAddress!
                    chunks.forEach { chunk, elements in
                        let lower = keys + 2 * channels * chunk, upper = lower + channels
                        var seen: UInt32 = 0
                        layout.forEachRun(in: elements) { run in
                            switch run {
                            case .uniform(let range, let c):
                                let r = QuantizationLoops.range(x + range.lowerBound, count: range.count)
                                lower[c] = Swift.min(lower[c], r.lower)
                                upper[c] = Swift.max(upper[c], r.upper)
                                seen = Swift.max(seen, r.exponents)
                            case .row(let range, let first):
                                let e = QuantizationLoops.rangeRow(x + range.lowerBound, count: range.count,
                                                              lower: lower + first, upper: upper + first)
                                seen = Swift.max(seen, e)
                            }
                        }
                        exponents[chunk] = seen
                    }
                }
            }
        }
        if exponents.contains(QuantizationLoops.exponentMask) {
            throw Self.firstNonFinite(in: tensor.scalars)
        }
        var min = [Float](), max = [Float]()
        for c in 0..<channels {
            var lo = Int32.max, hi = Int32.min
            for chunk in 0..<chunkCount {
                lo = Swift.min(lo, keys[2 * channels * chunk + c])
                hi = Swift.max(hi, keys[2 * channels * chunk + channels + c])
            }
            min.append(QuantizationLoops.float(fromOrderKey: lo))
            max.append(QuantizationLoops.float(fromOrderKey: hi))
        }
        self.min = min
        self.max = max
    }

    /// A range given directly (e.g. tracked by a calibration loop).
    public init(min: [Float], max: [Float]) {
        self.min = min
        self.max = max
    }

    /// Widens this range to include `other` (channel by channel), as an
    /// observer does when it sees another batch.
    ///
    /// - Throws: ``QuantError/channelCountMismatch(parameterCount:channelCount:)``.
    public mutating func formUnion(_ other: TensorRange) throws(QuantError) {
        guard other.min.count == min.count else {
            throw .channelCountMismatch(parameterCount: min.count, channelCount: other.min.count)
        }
        for c in min.indices {
            min[c] = Swift.min(min[c], other.min[c])
            max[c] = Swift.max(max[c], other.max[c])
        }
    }

    /// The error for the first NaN/Inf of `scalars` (the slow path, taken only on bad input).
    static func firstNonFinite(in scalars: [Float]) -> QuantError {
        let index = scalars.firstIndex { !$0.isFinite } ?? 0
        return .nonFiniteValue(index: index, value: scalars[index])
    }
}
