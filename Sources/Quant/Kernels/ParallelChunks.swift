import Foundation

/// `0..<total` split into contiguous chunks for the cores, or kept as a
/// single chunk when splitting is not worth it (small work, one core, or too
/// few items).
///
/// There are up to 4 chunks per core, each at least `minimumChunk` items:
/// `concurrentPerform` hands chunks to whichever thread is free — the caller
/// included — so when another process holds a core the free one takes more
/// chunks, and a worker that wakes late costs little.
///
/// The kernels split rows (products) or elements (activation quantization)
/// of one output buffer this way: chunks never overlap, so each may write its
/// own part of the buffer without locks, and every output element is computed
/// by the same arithmetic whatever the split — results are bit-identical.
struct ParallelChunks {
    /// The number of items split.
    let total: Int
    /// Items per chunk (the last chunk may be shorter).
    let size: Int

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
        withoutActuallyEscaping(body) { body in
            let body = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { c in body.value(c, range(c)) }
        }
    }
}

/// The number of cores this process may use, read once.
private let activeCores = ProcessInfo.processInfo.activeProcessorCount

/// Lets `concurrentPerform` call a closure that writes disjoint parts of one
/// buffer from several threads (see ``ParallelChunks``).
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
