/// Where the channels of a row-major tensor lie in its flat element order.
///
/// With the channel axis `a` of a tensor of shape `[d₀, …, dₙ₋₁]`, the flat
/// element `i` belongs to channel `(i / inner) % channels`, where
/// `channels = d_a` and `inner = Π_{k>a} d_k`: the elements come in runs of
/// `inner` consecutive values that share a channel. A per-tensor scheme is
/// the special case of one channel whose run is the whole tensor. Kernels
/// walk these runs so that each inner loop is a plain, vectorisable loop
/// over contiguous memory with its parameters fixed (``ChannelRun/uniform``)
/// — or, when the channel axis is the last one (`inner == 1`, e.g. the input
/// features of a `[batch, features]` activation), a loop whose parameters
/// advance with the element (``ChannelRun/row``).
struct ChannelLayout: Sendable, Hashable {
    /// The number of elements.
    let count: Int
    /// The number of channels (1 for per-tensor).
    let channels: Int
    /// The length of a run of elements that share a channel.
    let inner: Int

    /// The layout of a tensor of `shape` with channels along `axis` (`nil`: per-tensor).
    ///
    /// - Throws: ``QuantError/axisOutOfBounds(axis:rank:)``.
    init(shape: [Int], axis: Int?) throws(QuantError) {
        count = shape.reduce(1, *)
        guard let axis else {
            channels = 1
            inner = Swift.max(count, 1)
            return
        }
        guard shape.indices.contains(axis) else { throw .axisOutOfBounds(axis: axis, rank: shape.count) }
        channels = shape[axis]
        inner = shape[(axis + 1)...].reduce(1, *)
    }

    /// A stretch of consecutive elements processed by one kernel call.
    enum ChannelRun {
        /// Every element of `elements` belongs to `channel`.
        case uniform(elements: Range<Int>, channel: Int)
        /// Element `elements.lowerBound + k` belongs to channel `firstChannel + k`.
        case row(elements: Range<Int>, firstChannel: Int)
    }

    /// Calls `body` with the runs that cover `elements`, in order.
    func forEachRun(in elements: Range<Int>, _ body: (ChannelRun) -> Void) {
        var start = elements.lowerBound
        if inner == 1 && channels > 1 {
            while start < elements.upperBound {
                let channel = start % channels
                let end = Swift.min(start + channels - channel, elements.upperBound)
                body(.row(elements: start..<end, firstChannel: channel))
                start = end
            }
        } else {
            while start < elements.upperBound {
                let run = start / inner
                let end = Swift.min((run + 1) * inner, elements.upperBound)
                body(.uniform(elements: start..<end, channel: run % channels))
                start = end
            }
        }
    }
}
