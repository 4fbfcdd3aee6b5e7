import ArgumentParser
import Foundation
import Quant

/// `quant-bench`: every performance claim of the project, measured.
///
/// ```
/// $ swift run -c release quant-bench --filter affine --python /tmp/venv/bin/python
/// {"name":"affine_qdq_8bit","unit":"M elements\/s","value":1234.5, ...}
/// ```
@main
struct QuantBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quant-bench",
        abstract: "Run Quant's benchmarks and print one JSON object per line."
    )

    @Option(help: "Run only the benchmarks whose name contains this text.")
    var filter: String?

    @Option(help: "A Python with NumPy/PyTorch/matplotlib to measure the peers in the same run (skipped when absent).")
    var python: String?

    @Flag(help: "List the benchmark names and exit.")
    var list = false

    /// All benchmarks, in the order they run.
    static let all: [Benchmark] = quantizerBenchmarks + peakBenchmarks + kernelBenchmarks + lowBitBenchmarks + trainingBenchmarks + qatBenchmarks
        + inferenceBenchmarks + gptqBenchmarks + plotBenchmarks

    func run() throws {
        let selected = Self.all.filter { filter == nil || $0.name.contains(filter!) }
        if list {
            selected.forEach { print($0.name) }
            return
        }
        guard !selected.isEmpty else {
            throw ValidationError("no benchmark matches '\(filter ?? "")'; try --list")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let context = BenchmarkContext(python: python)
        for benchmark in selected {
            for result in try benchmark.run(context) {
                // Flushed, so a long run shows each line as it is measured.
                StandardStream.output(String(decoding: try encoder.encode(result), as: UTF8.self) + "\n")
            }
        }
    }
}
