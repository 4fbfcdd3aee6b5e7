/// Where the parameter slots (channels or groups) of a row-major tensor lie
/// in its flat element order.
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
///
/// Per-group along axis `a` in groups of `g`: write `i = (o·d_a + k)·inner + r`
/// (`o` the index over the axes before `a`, `k` along `a`, `r` over the axes
/// after it); element `i` belongs to slot `(o·G + ⌊k/g⌋)·inner + r`, with
/// `G = ⌈d_a / g⌉` — the row-major order of a tensor shaped like the data
/// with `d_a` replaced by `G`. Along the last axis (`inner == 1`) a group is
/// a contiguous run of `g` elements (shorter at the end of a line when `g`
/// does not divide `d_a`), walked as ``ChannelRun/uniform`` runs; along
/// another axis each line of `inner` elements maps onto `inner` consecutive
/// slots, walked as ``ChannelRun/row`` runs.
struct ChannelLayout: Sendable, Hashable {
    /// The number of elements.
    let count: Int
    /// The number of parameter slots: 1 per-tensor, `d_a` per-channel,
    /// `(count / d_a)·G` per-group.
    let channels: Int
    /// The number of elements after one step along the axis: `Π_{k>a} d_k`
    /// (the whole tensor per-tensor).
    let inner: Int
    /// For a per-group layout, how the axis is cut; `nil` otherwise.
    let grouping: Grouping?

    /// A grouped axis: its length `d_a`, the group size `g` and `G = ⌈d_a / g⌉`.
    struct Grouping: Sendable, Hashable {
        let length: Int
        let size: Int
        let groups: Int
    }

    /// The layout of a tensor of `shape` under `granularity`.
    ///
    /// - Throws: ``QuantError/axisOutOfBounds(axis:rank:)``.
    init(shape: [Int], granularity: QuantScheme.Granularity) throws(QuantError) {
        count = shape.reduce(1, *)
        switch granularity {
        case .perTensor:
            channels = 1
            inner = Swift.max(count, 1)
            grouping = nil
        case .perChannel(let axis):
            guard shape.indices.contains(axis) else { throw .axisOutOfBounds(axis: axis, rank: shape.count) }
            channels = shape[axis]
            inner = shape[(axis + 1)...].reduce(1, *)
            grouping = nil
        case .perGroup(let axis, let size):
            guard shape.indices.contains(axis) else { throw .axisOutOfBounds(axis: axis, rank: shape.count) }
            let length = shape[axis]
            let groups = (length + size - 1) / size
            inner = shape[(axis + 1)...].reduce(1, *)
            channels = shape[..<axis].reduce(1, *) * groups * inner
            grouping = Grouping(length: length, size: size, groups: groups)
        }
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
        if let grouping {
            forEachGroupRun(in: elements, grouping, body)
            return
        }
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

    /// ``forEachRun(in:_:)`` for a per-group layout.
    private func forEachGroupRun(in elements: Range<Int>, _ grouping: Grouping, _ body: (ChannelRun) -> Void) {
        let length = grouping.length, size = grouping.size, groups = grouping.groups
        var start = elements.lowerBound
        if inner == 1 {
            // Contiguous groups: a line of `length` elements holds `groups` runs.
            while start < elements.upperBound {
                let line = start / length, k = start % length, group = k / size
                let end = Swift.min(start + Swift.min((group + 1) * size, length) - k, elements.upperBound)
                body(.uniform(elements: start..<end, channel: line * groups + group))
                start = end
            }
        } else {
            // Each step along the axis is `inner` elements on `inner` consecutive slots.
            while start < elements.upperBound {
                let step = start / inner, r = start % inner
                let outer = step / length, k = step % length
                let end = Swift.min((step + 1) * inner, elements.upperBound)
                body(.row(elements: start..<end, firstChannel: (outer * groups + k / size) * inner + r))
                start = end
            }
        }
    }
}
