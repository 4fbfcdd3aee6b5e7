import Foundation
import NotebookSupport
import Quant

/// The low-bit kernels (``LowBitWeights``), against int8 and ONNX Runtime.
///
/// - `gemv_4096`: a 4096 × 4096 layer at batch 1 (float in: activation
///   quantization included), the memory-bound case. Lines
///   `gemv_4096_w8_b1` (``PackedInt8Weights``, per row), `gemv_4096_w4_b1`,
///   `gemv_4096_w2_b1` and `gemv_4096_w1_b1` (binary ±1 codes) (per group
///   of 32, as ONNX Runtime's blocks), the
///   same with `_row` (per-row scales), and each with `_1t` on one thread.
///   Value: µs per call; details: `weight_bytes` (what a call reads: the
///   kernel layout — codes, scales and one weighted code sum per column —,
///   and the column sums for int8), `gb_per_s` of those bytes,
///   `gop_per_s` (2·4096² operations per call), `threads`. The w2 and w1
///   lines carry `speedup_vs_w4`; with `--python`, w4 carries ONNX Runtime's
///   `MatMulNBits` (bits 4, block 32, accuracy level 4) as `ort_int4_seconds`
///   and `speedup_vs_ort_int4`, and w8 its `quantize_dynamic` int8 MatMul as
///   `ort_int8_seconds` and `speedup_vs_ort_int8` (Scripts/bench_ort_lowbit.py,
///   same number of threads, in the same run: ``peerRounds`` rounds of the
///   peer then ours, each side's fastest).
/// - `gemm_w4_b1`, `gemm_w4_b256`, `gemm_w2_b1`, `gemm_w2_b256`: the whole
///   MNIST MLP 784-256-128-10 (ReLUs between, random weights, per group of
///   32; `_row` lines per row) in images/s; with `--python`, w4 lines carry
///   ONNX Runtime's int4 MLP as `ort_int4_images_per_second` and `speedup_vs_ort_int4`.
let lowBitBenchmarks: [Benchmark] = [
    Benchmark(name: "gemv_4096") { context in
        let gemv = try GEMV4096()
        var ours: [String: Double] = [:], ort: [String: Double] = [:]
        for _ in 0..<(context.python == nil ? 1 : peerRounds) {
            if let python = context.python {
                for (kind, seconds) in ORTLowBitPeer.lines(python: python, only: "gemv") { ort.keepFastest(kind, seconds) }
            }
            for (name, seconds) in try gemv.time() { ours.keepFastest(name, seconds) }
        }
        return gemv.lines(ours, ortInt4: ort["ort_int4_gemv"], ortInt8: ort["ort_int8_gemv"])
    },
] + [4, 2].flatMap { bits in
    [1, 256].map { batch in
        Benchmark(name: "gemm_w\(bits)_b\(batch)") { context in
            let ort = bits == 4 ? context.python.map { ORTLowBitPeer.lines(python: $0, only: "mlp") } ?? [:] : [:]
            return try LowBitMLP(bits: bits, batch: batch).measure(ort: ort["ort_int4_mlp_b\(batch)"])
        }
    }
}

/// The threads a parallel call may use.
private let cores = ProcessInfo.processInfo.activeProcessorCount

/// The 4096 × 4096 layer in every format, built once and timed in rounds.
private struct GEMV4096 {
    /// One timed product: the line's name and what a call reads.
    struct Variant {
        let name: String, bytes: Int, format: String?, parallel: Bool
        let run: (inout [Float], inout Int8Workspace) throws -> Void
    }

    let size = 4096
    private(set) var variants: [Variant] = []

    init() throws {
        let size = self.size
        var g = SeededGenerator(seed: 9)
        let input = Distribution.normal(mean: 0, standardDeviation: 1).samples(size, using: &g)
        let bias = (0..<size).map { _ in g.nextUnitFloat() - 0.5 }

        let int8Codes = (0..<(size * size)).map { _ in Int8(truncatingIfNeeded: g.next()) }
        let int8 = try PackedInt8Weights(codes: int8Codes, outFeatures: size, inFeatures: size,
                                         scales: (0..<size).map { _ in 0.001 + g.nextUnitFloat() / 100 })
        for parallel in [true, false] {
            variants.append(Variant(name: Self.name("w8", parallel), bytes: size * size + 8 * size, format: nil, parallel: parallel) { y, w in
                try int8.forward(input, rows: 1, bias: bias, into: &y, workspace: &w, parallel: parallel)
            })
        }
        for encoding in [WeightFormat.Encoding.int4, .int2, .binary] {
            for groupSize in [32, nil] {
                let format = try WeightFormat(encoding, groupSize: groupSize)
                let range = encoding.codeRange
                let codes = (0..<(size * size)).map { _ -> Int8 in
                    let code = Int8(Int(range.lowerBound) + Int(g.next() % UInt64(Int(range.upperBound) - Int(range.lowerBound) + 1)))
                    return encoding.contains(code) ? code : 1   // binary has no 0
                }
                let scales = (0..<(size * format.groupsPerRow(inFeatures: size))).map { _ in 0.001 + g.nextUnitFloat() / 100 }
                let weights = try LowBitWeights(BitPackedWeights(codes: codes, outFeatures: size, inFeatures: size,
                                                                 scales: scales, format: format))
                let bytes = weights.packedByteCount   // what a call reads
                let variant = "w\(encoding.bitsPerCode)" + (groupSize == nil ? "_row" : "")
                for parallel in [true, false] {
                    variants.append(Variant(name: Self.name(variant, parallel), bytes: bytes, format: format.description,
                                            parallel: parallel) { y, w in
                        try weights.forward(input, rows: 1, bias: bias, into: &y, workspace: &w, parallel: parallel)
                    })
                }
            }
        }
    }

    static func name(_ variant: String, _ parallel: Bool) -> String {
        "gemv_4096_\(variant)_b1" + (parallel ? "" : "_1t")
    }

    /// Seconds per call of every variant, by name.
    func time() throws -> [String: Double] {
        var y = [Float](repeating: 0, count: size), workspace = Int8Workspace(capacity: size)
        var seconds: [String: Double] = [:]
        for variant in variants {
            seconds[variant.name] = try fastestSecondsPerCall { try variant.run(&y, &workspace) }
        }
        return seconds
    }

    /// The result lines from the fastest `seconds` of the rounds, with the
    /// low-bit lines' `speedup_vs_w4` and the peers' ratios.
    func lines(_ seconds: [String: Double], ortInt4: Double?, ortInt8: Double?) -> [BenchmarkResult] {
        variants.map { variant in
            let time = seconds[variant.name]!
            var line = BenchmarkResult(name: variant.name, value: time * 1e6, unit: "µs", details: [
                "seconds_per_call": .number(time), "batch": .number(1),
                "in": .number(Double(size)), "out": .number(Double(size)),
                "weight_bytes": .number(Double(variant.bytes)), "gb_per_s": .number(Double(variant.bytes) / time / 1e9),
                "gop_per_s": .number(2 * Double(size * size) / time / 1e9),
                "threads": .number(Double(variant.parallel ? cores : 1)),
            ])
            if let format = variant.format { line.details["format"] = .text(format) }
            let w4 = variant.name.replacingOccurrences(of: "_w2_", with: "_w4_").replacingOccurrences(of: "_w1_", with: "_w4_")
            if w4 != variant.name, let reference = seconds[w4] { line.details["speedup_vs_w4"] = .number(reference / time) }
            if variant.name == Self.name("w4", true), let ortInt4 { line.add(peer: "ort_int4", seconds: ortInt4, ours: time) }
            if variant.name == Self.name("w8", true), let ortInt8 { line.add(peer: "ort_int8", seconds: ortInt8, ours: time) }
            return line
        }
    }
}

/// The MNIST MLP with low-bit layers, run layer by layer on preallocated buffers.
private struct LowBitMLP {
    let bits: Int, batch: Int
    let sizes = [784, 256, 128, 10]

    func measure(ort: Double?) throws -> [BenchmarkResult] {
        var results = [BenchmarkResult]()
        for groupSize in [32, nil] {
            let format = try WeightFormat(bits == 4 ? .int4 : .int2, groupSize: groupSize)
            var g = SeededGenerator(seed: 10)
            var layers = [any Layer]()
            for index in 0..<3 {
                let fc = Linear(inputFeatures: sizes[index], outputFeatures: sizes[index + 1], using: &g)
                layers.append(try LowBitLinear(fc, format: format))
                if index < 2 { layers.append(ReLU(features: sizes[index + 1])) }
            }
            let input = Distribution.normal(mean: 0, standardDeviation: 1).samples(batch * sizes[0], using: &g)
            var buffers = layers.map { [Float](repeating: 0, count: batch * $0.outputFeatures) }
            var scratch = LayerScratch(capacity: batch * sizes[0])
            let seconds = try fastestSecondsPerCall {
                for (index, layer) in layers.enumerated() {
                    let source = index == 0 ? input : buffers[index - 1]
                    try source.withUnsafeBufferPointer { x in
                        try buffers[index].withUnsafeMutableBufferPointer { y in
                            try layer.forward(x.baseAddress!, into: y.baseAddress!, rows: batch, scratch: &scratch)
                        }
                    }
                }
            }
            let rate = Double(batch) / seconds
            var line = BenchmarkResult(name: "gemm_w\(bits)_b\(batch)" + (groupSize == nil ? "_row" : ""), value: rate,
                                       unit: "images/s", details: [
                "seconds_per_call": .number(seconds), "batch": .number(Double(batch)), "format": .text(format.description),
                "layers": .text("784-256-128-10"), "kernel": .text(Int8Kernel.fastest.description),
                "threads": .number(Double(cores)),
            ])
            if groupSize != nil, let ort {
                line.details["ort_int4_images_per_second"] = .number(Double(batch) / ort)
                line.details["speedup_vs_ort_int4"] = .number(ort / seconds)
            }
            results.append(line)
        }
        return results
    }
}

private extension BenchmarkResult {
    /// The peer's seconds per call and how many times faster this line is.
    mutating func add(peer: String, seconds: Double, ours: Double) {
        details["\(peer)_seconds"] = .number(seconds)
        details["speedup_vs_\(peer)"] = .number(seconds / ours)
    }
}

/// ONNX Runtime through Scripts/bench_ort_lowbit.py, with as many threads as we use.
enum ORTLowBitPeer {
    /// Seconds per call by kind (`ort_int4_gemv`, `ort_int8_gemv`,
    /// `ort_int8_gemm`, `ort_int4_mlp_b1`, `ort_int4_mlp_b256`) for the
    /// script's `--only` part and layer `size`; empty when the script
    /// cannot run or skips (onnxruntime not importable: the note goes to stderr).
    static func lines(python: String, only: String, size: Int = 4096) -> [String: Double] {
        let peer = PeerProcess.script("bench_ort_lowbit.py", python: python,
                                      arguments: ["--threads", "\(cores)", "--only", only, "--size", "\(size)"])
        guard let objects = try? peer.runJSONLines() else { return [:] }
        var seconds = [String: Double]()
        for object in objects {
            guard let kind = object["kind"] as? String else { continue }
            if kind == "skipped" {
                StandardStream.error("bench_ort_lowbit.py skipped: \(object["reason"] as? String ?? "?")\n")
                continue
            }
            guard let value = object["seconds"] as? Double else { continue }
            let batch = (object["batch"] as? Int).map { kind == "ort_int4_mlp" ? "_b\($0)" : "" } ?? ""
            seconds[kind + batch] = value
        }
        return seconds
    }
}
