import Dispatch

/// Splits element-wise work over the machine's cores.
///
/// Large tensors are cut into contiguous chunks (a multiple of 64 elements,
/// so chunks start on cache-line boundaries of the Float32 input), a few per
/// core so that a core slowed by other work does not hold up the rest; small
/// tensors run on the calling thread, where spawning work would cost more
/// than it saves. The chunking depends only on the element count, never on
/// timing, so every result is identical whatever the number of cores.
enum ParallelChunks {
    /// Below this many elements per chunk, splitting does not pay.
    static let grain = 1 << 16

    /// The most chunks a tensor is cut into.
    static let maximumChunks = 32

    /// The chunks of `0..<count`, at most `limit` of them.
    static func chunks(count: Int, limit: Int = maximumChunks) -> [Range<Int>] {
        let wanted = Swift.min(count / grain, limit)
        guard wanted > 1 else { return [0..<count] }
        let size = ((count + wanted - 1) / wanted + 63) & ~63
        return stride(from: 0, to: count, by: size).map { $0..<Swift.min($0 + size, count) }
    }

    /// Runs `body(chunkIndex, elements)` over the chunks of `0..<count`,
    /// concurrently when there is more than one, and returns the chunks.
    ///
    /// `body` is called from several threads at once: it must touch only
    /// the elements of its chunk and per-chunk slots, which is what makes
    /// sharing it (and the raw pointers it captures) across threads safe.
    @discardableResult
    static func run(count: Int, limit: Int = maximumChunks, _ body: (Int, Range<Int>) -> Void) -> [Range<Int>] {
        let chunks = chunks(count: count, limit: limit)
        if chunks.count == 1 {
            body(0, chunks[0])
        } else {
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let body = body
                DispatchQueue.concurrentPerform(iterations: chunks.count) { body($0, chunks[$0]) }
            }
        }
        return chunks
    }
}
