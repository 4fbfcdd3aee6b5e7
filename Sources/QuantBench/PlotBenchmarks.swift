import Foundation
import NotebookSupport
import Plot

/// Plot's speed against matplotlib's, on the write-up's most common chart.
///
/// - `plot_png`, `plot_svg`: render and save the chart 100 times (best of 3
///   batches), milliseconds per figure (`render_ms`: the same without writing
///   the file); with `--python`, matplotlib's time for the same figure saved
///   through Agg or its SVG backend (`Scripts/bench_matplotlib.py`) and the ratio.
/// - `plot_write_10`: this process renders and saves 10 PNG figures (ms).
/// - `plot_process_10`: a whole `quant-bench --filter plot_write_10` process,
///   start to exit, against a whole Python process that imports matplotlib and
///   saves the same 10 figures (best of 3 each).
let plotBenchmarks: [Benchmark] = [
    Benchmark(name: "plot_png") { try perFigure(.png, context: $0) },
    Benchmark(name: "plot_svg") { try perFigure(.svg, context: $0) },
    Benchmark(name: "plot_write_10") { _ in
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let start = DispatchTime.now().uptimeNanoseconds
        try writeFigures(10, to: folder)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        return [BenchmarkResult(name: "plot_write_10", value: ms, unit: "ms for 10 figures")]
    },
    Benchmark(name: "plot_process_10") { context in
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let ours = try PeerProcess(command: [me, "--filter", "plot_write_10"]).fastestRun()
        var result = BenchmarkResult(name: "plot_process_10", value: ours * 1000, unit: "ms per process (10 PNG figures)")
        if let python = context.python {
            let matplotlib = PeerProcess.script("bench_matplotlib.py", python: python, arguments: ["--figures", "10", "--out", folder.path])
            let theirs = try matplotlib.fastestRun()
            result.details["matplotlib_ms"] = .number(theirs * 1000)
            result.details["speedup"] = .number(theirs / ours)
            result.details["peer"] = .text("python Scripts/bench_matplotlib.py --figures 10 (import matplotlib + 10 Agg PNGs)")
        }
        return [result]
    },
]

/// The benchmark figure: max error vs bit-width, 16 points × 3 series, log y,
/// markers, legend, grid, title, 6.4 × 4.8 in at 150 DPI.
private func benchmarkFigure() -> Figure {
    let bits = Array(1...16)
    var axes = Axes(title: "Max quantization error vs bit-width", xLabel: "bits", yLabel: "max |x − x̂|", yScale: .log10)
    let series: [(String, Double, Marker)] = [("uniform", 2.0, .circle), ("Gaussian", 8.6, .square), ("Laplace", 22.0, .triangle)]
    for (name, range, marker) in series {
        axes.add(Line(x: bits, y: bits.map { range / Double((1 << $0) - 1) / 2 }, label: name, marker: marker))
    }
    axes.grid = .both
    axes.legend = .best
    return Figure(axes, width: 6.4, height: 4.8, dpi: 150)
}

private func scratchFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quant-bench-plot-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

private func writeFigures(_ count: Int, to folder: URL) throws {
    for i in 0..<count {
        try benchmarkFigure().save(to: folder.appendingPathComponent("figure_\(i).png"))
    }
}

private func perFigure(_ format: OutputFormat, context: BenchmarkContext) throws -> [BenchmarkResult] {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("figure.\(format.rawValue)")
    let count = 100
    let seconds = try fastestSeconds(repeats: 3) {
        for _ in 0..<count { try benchmarkFigure().save(to: url) }
    }
    let ms = seconds / Double(count) * 1000
    // The same without the file: rendering and encoding alone, since an
    // atomic write's cost depends on the file system and its load.
    let figure = benchmarkFigure()
    let inMemory = try fastestSeconds(repeats: 3) {
        for _ in 0..<count { _ = try figure.data(as: format) }
    }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    var result = BenchmarkResult(name: "plot_\(format.rawValue)", value: ms, unit: "ms per figure")
    result.details["bytes"] = .number(Double(bytes))
    result.details["figures"] = .number(Double(count))
    result.details["render_ms"] = .number(inMemory / Double(count) * 1000)
    if let python = context.python {
        let peer = try matplotlibPerFigure(python: python, folder: folder)
        if let theirs = peer["\(format.rawValue)_ms"] {
            result.details["matplotlib_ms"] = .number(theirs)
            result.details["speedup"] = .number(theirs / ms)
            result.details["peer"] = .text("matplotlib \(format == .png ? "Agg" : "SVG") via Scripts/bench_matplotlib.py")
        }
    }
    return [result]
}

/// matplotlib's milliseconds per figure (`png_ms`, `svg_ms`) from `Scripts/bench_matplotlib.py`.
private func matplotlibPerFigure(python: String, folder: URL) throws -> [String: Double] {
    // 20 figures per batch: matplotlib needs tens of ms each, so that is
    // already a stable timing, and it keeps the run short.
    let object = try PeerProcess.script("bench_matplotlib.py", python: python,
                                        arguments: ["--per-figure", "20", "--out", folder.path]).runJSON() as? [String: Double]
    return object ?? [:]
}
