import Foundation
import Synchronization
import Testing
@testable import Quant

/// The thread team behind ParallelChunks: every iteration runs exactly
/// once, loops nested in a loop's body and loops started from many threads
/// at once all complete (the busy team hands them to `concurrentPerform`).
@Suite struct WorkerTeamTests {
    @Test func everyIterationRunsOnce() {
        for iterations in [0, 1, 2, 3, 8, 1000] {
            let hits = (0..<iterations).map { _ in Counter() }
            for _ in 0..<50 {
                WorkerTeam.shared.forEach(iterations) { hits[$0].add(1) }
            }
            #expect(hits.allSatisfy { $0.value == 50 }, "\(iterations) iterations")
        }
    }

    @Test func nestedLoopsComplete() {
        let total = Atomic<Int>(0)
        WorkerTeam.shared.forEach(4) { _ in
            WorkerTeam.shared.forEach(5) { i in total.add(i + 1, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 4 * 15)
    }

    @Test func loopsFromManyThreadsAtOnceComplete() {
        let sums = (0..<8).map { _ in Counter() }
        DispatchQueue.concurrentPerform(iterations: 8) { caller in
            for _ in 0..<200 {
                WorkerTeam.shared.forEach(7) { i in sums[caller].add(i) }
            }
        }
        #expect(sums.allSatisfy { $0.value == 200 * 21 })
    }
}

/// An integer that several threads add to.
private final class Counter: Sendable {
    private let storage = Atomic<Int>(0)
    func add(_ amount: Int) { storage.add(amount, ordering: .relaxed) }
    var value: Int { storage.load(ordering: .relaxed) }
}
