import Foundation
import NotebookSupport
import Quant

/// Int8 GEMM throughput on the MNIST MLP's layer shapes, for each kernel.
///
/// Result names: `gemm_int8_<in>x<out>_b<batch>_<kernel>` in GOP/s, where
/// one multiply–add counts as 2 operations (2·batch·in·out per product):
///
/// - `_reference`: the Swift triple loop (batch 1 and 784→256 only: it is slow);
/// - `_<path>_1t` / `_<path>`: the fast kernel on one path, int32 product with
///   the fused rescale (uint8 codes in, float out), on one thread / on all cores;
/// - `_requant_<path>_1t` / `_requant_<path>`: the requantized product of
///   integer-only inference (uint8 codes in, int32 bias, per-channel
///   fixed-point multipliers, uint8 codes out), one thread / all cores;
/// - `_dynamic_<path>_1t` / `_dynamic_<path>`: a whole dynamic forward pass
///   (float in: batch range, uint8 quantization, product, rescale) — the work
///   PyTorch's `quantize_dynamic` Linear does per call, so with `--python`
///   these lines carry the peer's time (Scripts/bench_torch_qlinear.py) with
///   1 and 2 threads respectively, and the ratio;
/// - `_f32loop`: a float32 SIMD loop (no BLAS), one thread, for scale.
///
/// Besides the MLP's shapes, `gemm_int8_4096x4096_b256` is one large layer,
/// the compute-bound case; with `--python` its `_dynamic_<path>` line also
/// carries ONNX Runtime's `quantize_dynamic` int8 MatMul of the same shape
/// (Scripts/bench_ort_lowbit.py `--only gemm`, as many threads) as `ort_int8_seconds`,
/// `ort_int8_gop_per_s` and `speedup_vs_ort_int8`. The AVX-512 VNNI lines
/// carry `fraction_of_peak`: GOP/s over this run's ``Int8Peak`` for as many threads.
let kernelBenchmarks: [Benchmark] = ([(784, 256), (256, 128), (128, 10)].flatMap { k, n in [1, 256].map { (k, n, $0) } }
    + [(4096, 4096, 256)]).map { k, n, rows in
    let shape = GEMMCase(rows: rows, inFeatures: k, outFeatures: n)
    return Benchmark(name: shape.prefix) { context in
        let torch = context.python.map { python in
            (oneThread: TorchQLinearPeer.seconds(python: python, case: shape, threads: 1),
             twoThreads: TorchQLinearPeer.seconds(python: python, case: shape, threads: 2))
        }
        let ort = k == 4096 ? context.python.flatMap { ORTLowBitPeer.lines(python: $0, only: "gemm", size: k)["ort_int8_gemm"] } : nil
        return try shape.measure(torchOneThread: torch?.oneThread, torchTwoThreads: torch?.twoThreads, ortTwoThreads: ort)
    }
}

/// One shape, measured on every kernel.
private struct GEMMCase {
    let rows: Int, inFeatures: Int, outFeatures: Int

    var operations: Double { 2 * Double(rows * inFeatures * outFeatures) }
    var prefix: String { "gemm_int8_\(inFeatures)x\(outFeatures)_b\(rows)" }

    func measure(torchOneThread: Double?, torchTwoThreads: Double?, ortTwoThreads: Double?) throws -> [BenchmarkResult] {
        var g = SeededGenerator(seed: 4)
        let codes = (0..<(outFeatures * inFeatures)).map { _ in Int8(truncatingIfNeeded: g.next()) }
        let scales = (0..<outFeatures).map { _ in 0.001 + g.nextUnitFloat() / 100 }
        let bias = (0..<outFeatures).map { _ in g.nextUnitFloat() - 0.5 }
        let input = Distribution.normal(mean: 0, standardDeviation: 1).samples(rows * inFeatures, using: &g)
        let activation = try DynamicActivationQuantizer.parameters(for: input)
        var x = [UInt8](repeating: 0, count: input.count)
        try DynamicActivationQuantizer.quantize(input, with: activation, into: &x)
        var y = [Float](repeating: 0, count: rows * outFeatures)
        // Requantization onto roughly ±100 output codes (|acc| grows like √k),
        // so that the clamp does not decide most outputs.
        let multipliers = try (0..<outFeatures).map { j in
            try FixedPointMultiplier(Double(1 + j % 7) * 0.01 / Double(inFeatures).squareRoot())
        }
        let intBias = (0..<outFeatures).map { Int32($0 * 37 - 200) }
        var requantized = [UInt8](repeating: 0, count: rows * outFeatures)
        var results = [BenchmarkResult]()

        if rows == 1 || inFeatures == 784 {
            let packed = try PackedInt8Weights(codes: codes, outFeatures: outFeatures, inFeatures: inFeatures,
                                               scales: scales, kernel: .reference)
            let seconds = try time { try multiply(packed, x, activation, bias, &y, parallel: false) }
            results.append(result("reference", seconds, threads: 1))
        }
        for path in Int8Kernel.SIMDPath.allCases where path.isSupported {
            let packed = try PackedInt8Weights(codes: codes, outFeatures: outFeatures, inFeatures: inFeatures,
                                               scales: scales, kernel: .fast(path))
            let single = try time { try multiply(packed, x, activation, bias, &y, parallel: false) }
            results.append(result("\(path.rawValue)_1t", single, threads: 1))
            let all = try time { try multiply(packed, x, activation, bias, &y, parallel: true) }
            results.append(result(path.rawValue, all, threads: ProcessInfo.processInfo.activeProcessorCount))
            for parallel in [false, true] {
                let seconds = try time {
                    try requantize(packed, x, activation.zeroPoint, intBias, multipliers, &requantized, parallel: parallel)
                }
                let threads = parallel ? ProcessInfo.processInfo.activeProcessorCount : 1
                results.append(result("requant_\(path.rawValue)" + (parallel ? "" : "_1t"), seconds, threads: threads))
            }
            var workspace = Int8Workspace(capacity: input.count)
            for parallel in [false, true] {
                let seconds = try time {
                    try packed.forward(input, rows: rows, bias: bias, into: &y, workspace: &workspace, parallel: parallel)
                }
                let threads = parallel ? ProcessInfo.processInfo.activeProcessorCount : 1
                var line = result("dynamic_\(path.rawValue)" + (parallel ? "" : "_1t"), seconds, threads: threads)
                if let torch = parallel ? torchTwoThreads : torchOneThread {
                    line.details["torch_qlinear_dynamic_seconds"] = .number(torch)
                    line.details["torch_threads"] = .number(parallel ? 2 : 1)
                    line.details["speedup_vs_torch"] = .number(torch / seconds)
                }
                if parallel, let ort = ortTwoThreads {
                    line.details["ort_int8_seconds"] = .number(ort)
                    line.details["ort_int8_gop_per_s"] = .number(operations / ort / 1e9)
                    line.details["speedup_vs_ort_int8"] = .number(ort / seconds)
                }
                results.append(line)
            }
        }
        let weights = codes.map { Float($0) * 0.01 }
        let seconds = time { floatLoop(input, weights, bias, &y) }
        results.append(result("f32loop", seconds, threads: 1))
        return results
    }

    func result(_ kernel: String, _ seconds: Double, threads: Int) -> BenchmarkResult {
        let rate = operations / seconds / 1e9
        var line = BenchmarkResult(name: "\(prefix)_\(kernel)", value: rate, unit: "GOP/s", details: [
            "seconds_per_call": .number(seconds), "batch": .number(Double(rows)),
            "in": .number(Double(inFeatures)), "out": .number(Double(outFeatures)),
            "threads": .number(Double(threads)),
        ])
        if kernel.contains(Int8Kernel.SIMDPath.avx512VNNI.rawValue), let peak = Int8Peak.gopPerSecond(threads: threads) {
            line.details["fraction_of_peak"] = .number(rate / peak)
        }
        return line
    }

    /// Fastest per-call time (see ``fastestSecondsPerCall(_:)``).
    func time(_ body: () throws -> Void) rethrows -> Double {
        try fastestSecondsPerCall(body)
    }

    func multiply(
        _ packed: PackedInt8Weights, _ x: [UInt8], _ activation: DynamicActivationQuantizer.Parameters,
        _ bias: [Float], _ y: inout [Float], parallel: Bool
    ) throws {
        try x.withUnsafeBufferPointer { x in
            try y.withUnsafeMutableBufferPointer {
                try packed.multiply(x, rows: rows, activation: activation, bias: bias, into: $0, parallel: parallel)
            }
        }
    }

    func requantize(
        _ packed: PackedInt8Weights, _ x: [UInt8], _ zeroPoint: Int32, _ bias: [Int32],
        _ multipliers: [FixedPointMultiplier], _ y: inout [UInt8], parallel: Bool
    ) throws {
        try x.withUnsafeBufferPointer { x in
            try y.withUnsafeMutableBufferPointer {
                try packed.multiplyRequantized(x, rows: rows, inputZeroPoint: zeroPoint, bias: bias,
                                               multipliers: multipliers, outputZeroPoint: 128, into: $0,
                                               parallel: parallel)
            }
        }
    }

    /// `y = x·Wᵀ + b` in float32 without BLAS: each dot product in 16 SIMD
    /// lanes (what the compiler cannot do alone, since it keeps the order of
    /// float additions), the tail scalar.
    func floatLoop(_ x: [Float], _ w: [Float], _ b: [Float], _ y: inout [Float]) {
        let k = inFeatures
        x.withUnsafeBytes { x in
            w.withUnsafeBytes { w in
                for i in 0..<rows {
                    for j in 0..<outFeatures {
                        var lanes = SIMD16<Float>()
                        var t = 0
                        while t + 16 <= k {
                            lanes += x.loadUnaligned(fromByteOffset: 4 * (i * k + t), as: SIMD16<Float>.self)
                                * w.loadUnaligned(fromByteOffset: 4 * (j * k + t), as: SIMD16<Float>.self)
                            t += 16
                        }
                        var sum = lanes.sum()
                        while t < k {
                            sum += x.load(fromByteOffset: 4 * (i * k + t), as: Float.self)
                                * w.load(fromByteOffset: 4 * (j * k + t), as: Float.self)
                            t += 1
                        }
                        y[i * outFeatures + j] = sum + b[j]
                    }
                }
            }
        }
    }
}

/// PyTorch's `quantize_dynamic` Linear on the same shape.
private enum TorchQLinearPeer {
    /// Seconds per forward call with `threads` threads, or nil when the script cannot run.
    static func seconds(python: String, case shape: GEMMCase, threads: Int) -> Double? {
        PeerProcess.script("bench_torch_qlinear.py", python: python, arguments: [
            "--threads", "\(threads)", "--case", "\(shape.inFeatures):\(shape.outFeatures):\(shape.rows)",
        ]).seconds(ofKind: "qlinear_dynamic")
    }
}
