import Foundation

/// `0..<total` split into contiguous chunks for the cores, or kept as a
/// single chunk when splitting is not worth it.
///
/// ``WorkerTeam`` hands chunks to whichever thread is free — the caller
/// included — so a few chunks per core keep a core that another process slows
/// from holding up the rest. Chunks never overlap, so each may write its own
/// part of an output buffer (or its own per-chunk slot) without locks, and
/// every output element is computed by the same arithmetic whatever the
/// split: results are bit-identical on any number of cores.
///
/// Two policies:
/// - ``init(elements:)`` for element-wise passes over tensors (quantize,
///   range scans): the split depends only on the element count, in chunks
///   of at least ``elementGrain`` elements, a multiple of 64 (cache-line
///   aligned Float32 starts);
/// - ``init(_:minimumChunk:worthSplitting:)`` for the int8 kernels' rows and
///   activation passes, which decide from the work size whether to split.
struct ParallelChunks {
    /// The number of items split.
    let total: Int
    /// Items per chunk (the last chunk may be shorter).
    let size: Int

    /// Below this many elements per chunk, an element-wise split does not pay.
    static let elementGrain = 1 << 16

    /// The most chunks an element-wise pass is cut into.
    static let maximumElementChunks = 32

    /// An element-wise split of `count` elements: up to `limit` chunks of at
    /// least ``elementGrain`` elements, sized from the count alone.
    init(elements count: Int, limit: Int = maximumElementChunks) {
        let wanted = Swift.min(count / Self.elementGrain, limit)
        total = count
        size = wanted > 1 ? ((count + wanted - 1) / wanted + 63) & ~63 : Swift.max(count, 1)
    }

    /// Up to 4 chunks per core of at least `minimumChunk` items each, or one
    /// chunk when `worthSplitting` is false or there is one core.
    init(_ total: Int, minimumChunk: Int, worthSplitting: Bool) {
        let cores = activeCores
        let chunks = Swift.min(4 * cores, total / Swift.max(minimumChunk, 1))
        self.total = total
        if worthSplitting, cores > 1, chunks > 1 {
            size = (total + chunks - 1) / chunks
        } else {
            size = Swift.max(total, 1)
        }
    }

    /// How many chunks there are (1 when not split; 0 for no items).
    var count: Int { (total + size - 1) / size }

    /// The items of chunk `index`.
    func range(_ index: Int) -> Range<Int> {
        index * size ..< Swift.min((index + 1) * size, total)
    }

    /// Runs `body(index, range)` for every chunk: on the calling thread when
    /// there is one, concurrently on the cores otherwise.
    func forEach(_ body: (Int, Range<Int>) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0, range(0)) }
            return
        }
        WorkerTeam.shared.forEach(count) { c in body(c, range(c)) }
    }
}

/// The number of cores this process may use, read once.
private let activeCores = ProcessInfo.processInfo.activeProcessorCount
