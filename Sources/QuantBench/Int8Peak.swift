import CIntegerGEMM
import Dispatch
import Foundation
import NotebookSupport

/// This machine's int8 peak, measured: `igemm_vnni_peak` runs twelve
/// independent `vpdpbusd` chains with nothing else in the loop, on one
/// thread and on every core at once; the GEMM lines divide their GOP/s by it
/// (`fraction_of_peak`), so that "how close to the machine" is a number from
/// the same run, not from a data sheet. One multiply–add counts as 2 operations.
///
/// `int8_peak`: GOP/s on all cores; details `one_thread_gop_per_s`, `threads`.
enum Int8Peak {
    /// GOP/s on one thread and on all cores, or nil without AVX-512 VNNI.
    static let measured: (oneThread: Double, allCores: Double)? = {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard igemm_vnni_peak(1) > 0 else { return nil }
        let rounds: UInt64 = 1 << 20   // 0.8 G multiply–adds: ~10 ms per core
        let one = fastestSeconds(repeats: 7) { _ = igemm_vnni_peak(rounds) }
        let all = fastestSeconds(repeats: 7) {
            DispatchQueue.concurrentPerform(iterations: cores) { _ in _ = igemm_vnni_peak(rounds) }
        }
        let operations = 2 * Double(rounds) * 768
        return (operations / one / 1e9, Double(cores) * operations / all / 1e9)
    }()

    /// The peak for `threads` threads: one thread's, or all cores'.
    static func gopPerSecond(threads: Int) -> Double? {
        measured.map { threads == 1 ? $0.oneThread : $0.allCores }
    }
}

let peakBenchmarks: [Benchmark] = [
    Benchmark(name: "int8_peak") { _ in
        guard let peak = Int8Peak.measured else { return [] }
        return [BenchmarkResult(name: "int8_peak", value: peak.allCores, unit: "GOP/s", details: [
            "one_thread_gop_per_s": .number(peak.oneThread),
            "threads": .number(Double(ProcessInfo.processInfo.activeProcessorCount)),
            "method": .text("12 independent zmm vpdpbusd chains per thread, no loads (igemm_vnni_peak)"),
        ])]
    },
]
