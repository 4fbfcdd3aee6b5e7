import Foundation
import NotebookSupport
import Quant

/// The quantizer's benchmarks.
///
/// `affine_qdq_8bit`: 8-bit per-tensor affine quantize + dequantize of 10
/// million normally distributed float32 values, parameters from min/max
/// (observed once, before timing, as on the NumPy side), codes into a
/// `[UInt8]` and values into a `[Float]` owned by the caller — the hot-loop
/// API. With `--python`, `Scripts/bench_numpy.py` measures NumPy doing the
/// same work in the same run (plain expressions, and `out=` buffers), and the
/// line carries both ratios. Details also give the time with the min/max
/// observation included, and the allocating `Tensor` API.
let quantizerBenchmarks: [Benchmark] = [
    Benchmark(name: "affine_qdq_8bit") { context in
        let count = 10_000_000, repeats = 15
        var generator = SeededGenerator(seed: 2026)
        let x = Tensor(Distribution.normal(mean: 0, standardDeviation: 1).samples(count, using: &generator))
        let scheme = try QuantScheme(bits: 8)
        let quantizer = try Quantizer(scheme: scheme, observing: x)
        var codes = [UInt8](repeating: 0, count: count)
        var values = [Float](repeating: 0, count: count)
        let shape = x.shape

        func quantizeDequantize(_ quantizer: Quantizer) throws {
            try x.scalars.withUnsafeBufferPointer { input in
                try codes.withUnsafeMutableBufferPointer { try quantizer.quantize(input, shape: shape, into: $0) }
            }
            try codes.withUnsafeBufferPointer { q in
                try values.withUnsafeMutableBufferPointer { try quantizer.dequantize(q, shape: shape, into: $0) }
            }
        }
        let seconds = try fastestSeconds(repeats: repeats) { try quantizeDequantize(quantizer) }
        let observed = try fastestSeconds(repeats: repeats) {
            try quantizeDequantize(Quantizer(scheme: scheme, observing: x))
        }
        let tensors = try fastestSeconds(repeats: repeats) {
            _ = try quantizer.dequantize(quantizer.quantize(x, as: UInt8.self))
        }
        // The result must be the quantizer's: every value within scale/2 of
        // the input, up to the Float32 rounding of x·(1/scale) (|x|·2⁻²²).
        let stats = try QuantizationErrorStats(original: x, reconstructed: Tensor(shape: shape, scalars: values))
        let range = quantizer.representableRange()
        let tolerance = Swift.max(-range.lowerBound, range.upperBound) * 0x1p-22
        guard stats.maxAbsError <= quantizer.errorBound[0] + tolerance else {
            throw BenchmarkFailure("affine_qdq_8bit: max error \(stats.maxAbsError) exceeds scale/2 = \(quantizer.errorBound[0])")
        }

        let rate = Double(count) / seconds / 1e6
        var result = BenchmarkResult(name: "affine_qdq_8bit", value: rate, unit: "M elements/s", details: [
            "elements": .number(Double(count)),
            "cores": .number(Double(ProcessInfo.processInfo.activeProcessorCount)),
            "with_observer_M_per_s": .number(Double(count) / observed / 1e6),
            "tensor_api_M_per_s": .number(Double(count) / tensors / 1e6),
            "sqnr_dB": .number(stats.sqnrDecibels),
        ])
        if let python = context.python {
            let numpy = try NumPyPeer.measure(python: python, count: count)
            result.details["numpy_plain_M_per_s"] = .number(numpy.plain)
            result.details["numpy_out_M_per_s"] = .number(numpy.out)
            result.details["ratio_vs_numpy_plain"] = .number(rate / numpy.plain)
            result.details["ratio_vs_numpy_out"] = .number(rate / numpy.out)
            result.details["numpy_version"] = .text(numpy.version)
            result.details["openblas_env"] = .text(numpy.openblasEnvironment)
        }
        return [result]
    },
]

/// NumPy's side of `affine_qdq_8bit`, measured by `Scripts/bench_numpy.py`.
enum NumPyPeer {
    /// M elements/s of the plain and `out=` variants, NumPy's version, and
    /// the `OPENBLAS_*` variables the script saw.
    static func measure(python: String, count: Int) throws -> (plain: Double, out: Double, version: String, openblasEnvironment: String) {
        let object = try PeerProcess.script("bench_numpy.py", python: python, arguments: ["--count", String(count)]).runJSON()
        guard let plain = object["plain_M_per_s"] as? Double, let out = object["out_M_per_s"] as? Double else {
            throw BenchmarkFailure("Scripts/bench_numpy.py printed no plain_M_per_s/out_M_per_s")
        }
        let environment = (object["openblas_env"] as? [String: String] ?? [:])
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return (plain, out, object["numpy"] as? String ?? "?", environment.isEmpty ? "none" : environment)
    }
}

