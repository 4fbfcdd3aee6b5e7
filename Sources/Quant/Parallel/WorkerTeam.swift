import Foundation
import Synchronization

/// A team of threads, one per extra core, that stay awake between parallel
/// loops for a short while, so that the many small loops of one inference
/// pass (each layer's product: 20–200 µs at batch 256) start in well under a
/// microsecond instead of waking a thread each time.
///
/// Why not `DispatchQueue.concurrentPerform` alone: it wakes its worker
/// threads for every loop; on this project's 2-core machine that cost
/// ~10–20% of a batch-256 forward pass of the MNIST MLP. ONNX Runtime's
/// thread pool spins the same way. A worker polls for ``spinDuration`` after
/// its last loop, yielding the core between polls, then sleeps on a
/// semaphore until the next.
///
/// One loop runs on the team at a time; a loop started while the team is
/// busy (another thread's, or one nested in a loop's body) runs on
/// `concurrentPerform` instead, so callers never wait for each other.
///
/// How a loop is handed over without locks: `ticket` holds the loop's
/// generation (high 32 bits) and the next unclaimed iteration (low 32
/// bits). A worker claims iteration i of generation g only by a
/// compare-exchange from (g, i) to (g, i + 1) with i < count; a worker that
/// read a finished loop's body can therefore never run it against a newer
/// loop's iterations, and the caller returns only once `finished` counts
/// every iteration.
final class WorkerTeam: @unchecked Sendable {
    /// The team for this process: `activeProcessorCount − 1` workers (none on one core).
    static let shared = WorkerTeam(workers: ProcessInfo.processInfo.activeProcessorCount - 1)

    /// How long an idle worker keeps polling before it sleeps.
    static let spinDuration: Duration = .microseconds(200)

    private let workers: Int
    private let ticket = Atomic<UInt64>(0)
    private let finished = Atomic<Int>(0)
    private let count = Atomic<Int>(0)
    private let body = Atomic<UInt>(0)
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)

    private init(workers: Int) {
        self.workers = Swift.max(workers, 0)
        for _ in 0..<self.workers {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "Quant.WorkerTeam"
            thread.qualityOfService = .userInitiated
            thread.start()
        }
    }

    /// Runs `body(i)` for `i` in `0..<iterations`, on the caller and the
    /// workers, and returns when every call has returned.
    func forEach(_ iterations: Int, _ body: (Int) -> Void) {
        guard iterations > 1, workers > 0,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            withoutActuallyEscaping(body) { body in
                let body = UncheckedSendableBody(body)
                DispatchQueue.concurrentPerform(iterations: iterations) { body.value($0) }
            }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            var job = body
            withUnsafeMutablePointer(to: &job) { pointer in
                self.body.store(UInt(bitPattern: pointer), ordering: .relaxed)
                count.store(iterations, ordering: .relaxed)
                finished.store(0, ordering: .relaxed)
                let generation = (ticket.load(ordering: .relaxed) >> 32) &+ 1
                ticket.store(generation << 32, ordering: .sequentiallyConsistent)
                for _ in 0..<sleepers.load(ordering: .sequentiallyConsistent) { wake.signal() }
                runIterations(of: generation)
                // The last iterations may still run on a worker; yield to it
                // if it shares this core.
                while finished.load(ordering: .acquiring) < iterations { sched_yield() }
            }
        }
    }

    /// Claims and runs iterations of loop `generation` until none is left.
    private func runIterations(of generation: UInt64) {
        var current = ticket.load(ordering: .acquiring)
        guard current >> 32 == generation else { return }
        let count = UInt64(self.count.load(ordering: .relaxed))
        let address = self.body.load(ordering: .relaxed)
        while current >> 32 == generation, current & 0xFFFF_FFFF < count {
            let (exchanged, original) = ticket.compareExchange(expected: current, desired: current + 1,
                                                               ordering: .acquiringAndReleasing)
            if exchanged {
                Self.call(address, Int(current & 0xFFFF_FFFF))
                finished.add(1, ordering: .releasing)
                current = ticket.load(ordering: .acquiring)
            } else {
                current = original
            }
        }
    }

    /// Calls the loop body stored at `address`. Its own function, so that the
    /// copy of the closure it makes is released before the iteration counts
    /// as finished (the caller's `withoutActuallyEscaping` checks that no
    /// copy outlives the loop).
    @inline(never)
    private static func call(_ address: UInt, _ index: Int) {
        UnsafeMutablePointer<(Int) -> Void>(bitPattern: address)!.pointee(index)
    }

    /// A worker's life: wait for a new generation (spinning, then asleep), run its iterations.
    private func work() {
        let clock = ContinuousClock()
        var seen = ticket.load(ordering: .acquiring) >> 32
        while true {
            var idleSince = clock.now
            while ticket.load(ordering: .acquiring) >> 32 == seen {
                // Polling yields the core to any other runnable thread (an
                // OpenBLAS worker, the caller itself on a busy machine).
                if clock.now - idleSince < Self.spinDuration { sched_yield(); continue }
                sleepers.add(1, ordering: .sequentiallyConsistent)
                if ticket.load(ordering: .sequentiallyConsistent) >> 32 == seen { wake.wait() }
                sleepers.subtract(1, ordering: .sequentiallyConsistent)
                idleSince = clock.now
            }
            seen = ticket.load(ordering: .acquiring) >> 32
            runIterations(of: seen)
        }
    }
}

/// Lets `concurrentPerform` call a non-Sendable closure whose calls write
/// disjoint parts of one buffer (see ``ParallelChunks``).
private struct UncheckedSendableBody: @unchecked Sendable {
    let value: (Int) -> Void
    init(_ value: @escaping (Int) -> Void) { self.value = value }
}
