import Foundation
import Plot

/// One gallery figure: a file name and the formats it is written in.
struct Example {
    let name: String
    let figure: Figure
    var formats: [OutputFormat] = [.png]
}

/// One example of every mark and layout Plot offers, each as a notebook
/// would write it.
enum Examples {
    static var all: [Example] {
        [errorVsBits(), lineStyles(), sqnrWithReference(), scatter(), band(), steps(), groupedBars(), stackedBars(),
         horizontalBars(), histograms(), histogramCounts(), confusionMatrix(), weightMatrix(), digits(), subplots(),
         scales(), tickFormats(), legendPlacements(), spansAndAnnotations()]
    }

    /// The write-up's most common chart (also the `plot_png` benchmark figure).
    static func errorVsBits() -> Example {
        var axes = Axes(title: "Max quantization error vs bit-width", xLabel: "bits", yLabel: "max |x − x̂|", yScale: .log10)
        for (k, (name, range)) in [("uniform", 2.0), ("Gaussian", 8.6), ("Laplace", 22.0)].enumerated() {
            axes.add(Line(x: SampleData.bits, y: SampleData.bits.map { SampleData.maxError(range: range, bits: $0) },
                          label: name, marker: [Marker.circle, .square, .triangle][k]))
        }
        return Example(name: "error_vs_bits", figure: Figure(axes, dpi: 150), formats: [.png, .svg, .pdf])
    }

    static func lineStyles() -> Example {
        var axes = Axes(title: "Dash styles and markers", xLabel: "x", yLabel: "y")
        let x = stride(from: 0.0, through: 10, by: 1).map { $0 }
        let styles: [(String, Dash, Marker)] = [("solid, circle", .solid, .circle), ("dashed, square", .dashed, .square),
                                                ("dotted, triangle", .dotted, .triangle), ("dash-dot, cross", .dashDot, .cross)]
        for (k, (name, dash, marker)) in styles.enumerated() {
            axes.add(Line(x: x, y: x.map { sin($0 / 2 + Double(k) * 0.6) + Double(k) * 0.8 }, label: name, dash: dash, marker: marker))
        }
        axes.legend = .outsideRight
        return Example(name: "line_styles", figure: Figure(axes, width: 7.2, height: 4, dpi: 150), formats: [.png, .svg])
    }

    static func sqnrWithReference() -> Example {
        var axes = Axes(title: "SQNR of a uniform tensor", xLabel: "bits", yLabel: "SQNR (dB)")
        let measured = SampleData.bits.map { 6.02 * Double($0) + 0.3 * sin(Double($0)) }
        axes.add(Line(x: SampleData.bits, y: measured, label: "measured", marker: .circle))
        axes.add(Line(x: SampleData.bits, y: SampleData.bits.map { 6.02 * Double($0) }, label: "6.02 dB/bit rule",
                      color: .gray, dash: .dashed))
        axes.add(Annotation("8 bits:\n\(String(format: "%.1f", measured[7])) dB", at: (8, measured[7]), offset: (-20, 45)))
        axes.x.ticks = [1, 2, 4, 6, 8, 10, 12, 14, 16]
        return Example(name: "sqnr_reference", figure: Figure(axes, dpi: 150))
    }

    static func scatter() -> Example {
        let w = SampleData.normal(400, seed: 1, sd: 0.5)
        let q = SampleData.fakeQuantize(w, levels: 15, clip: 1)
        var axes = Axes(title: "Weights before and after 4-bit quantization", xLabel: "w (FP32)", yLabel: "ŵ (dequantized)")
        axes.add(Scatter(x: w, y: q, label: "weights", size: 4, opacity: 0.5))
        axes.add(Scatter(x: w.prefix(40), y: w.prefix(40), label: "identity (40 weights)", marker: .cross, size: 5))
        axes.legend = .upperLeft
        return Example(name: "scatter", figure: Figure(axes, dpi: 150))
    }

    static func band() -> Example {
        var axes = Axes(title: "Training loss, mean ± 1σ (synthetic curves)", xLabel: "step", yLabel: "loss")
        for (k, (name, floor)) in [("FP32", 0.08), ("QAT int4", 0.12)].enumerated() {
            let (mean, std) = SampleData.loss(steps: 120, seed: UInt64(10 + k), floor: floor, rate: 0.04 - 0.01 * Double(k))
            let steps = mean.indices.map { Double($0) * 50 }
            let color = Theme.report.seriesColor(k)
            axes.add(Band(x: steps, lower: zip(mean, std).map { $0 - $1 }, upper: zip(mean, std).map { $0 + $1 }, color: color))
            axes.add(Line(x: steps, y: mean, label: name, color: color))
        }
        axes.y.min = 0
        return Example(name: "band", figure: Figure(axes, dpi: 150))
    }

    static func steps() -> Example {
        var axes = Axes(title: "Quantizer staircase", xLabel: "x", yLabel: "x̂ = dequantize(quantize(x))")
        let x = stride(from: -1.0, through: 1.0, by: 0.005).map { Float($0) }
        axes.add(Line(x: x, y: x, label: "identity", color: .gray, width: 1, dash: .dotted))
        for (bits, levels) in [(2, 4), (3, 8)] {
            let q = SampleData.fakeQuantize(x, levels: levels, clip: 1)
            axes.add(Line(x: x, y: q, label: "\(bits) bits", steps: .post))
        }
        axes.add(Band.area(x: x, y: zip(x, SampleData.fakeQuantize(x, levels: 4, clip: 1)).map { abs($0 - $1) }, label: "|error|, 2 bits"))
        axes.legend = .upperLeft
        return Example(name: "steps_area", figure: Figure(axes, dpi: 150))
    }

    static func groupedBars() -> Example {
        var axes = Axes(title: "Accuracy by bit-width (illustrative values)", xLabel: "weight bits", yLabel: "test accuracy")
        let ptq = [0.989, 0.987, 0.962, 0.871, 0.412], qat = [0.989, 0.988, 0.984, 0.975, 0.931]
        axes.add(ReferenceLine.horizontal(y: 0.991, label: "FP32 (99.1%)"))
        axes.add(Bars(categories: ["8", "6", "4", "3", "2"], series: [.init(label: "PTQ", values: ptq), .init(label: "QAT", values: qat)],
                      valueLabels: .percent(places: 1)))
        axes.y.format = .percent()
        axes.legend = .outsideRight
        return Example(name: "bars_grouped", figure: Figure(axes, width: 7.5, height: 4.5, dpi: 150), formats: [.png, .svg, .pdf])
    }

    static func stackedBars() -> Example {
        var axes = Axes(title: "Error sources at 4 bits (illustrative values)", xLabel: "method", yLabel: "MSE (×10^{-4})")
        axes.add(Bars(categories: ["min/max", "percentile", "MSE search", "per-channel"], series: [
            .init(label: "rounding", values: [6.1, 4.2, 3.5, 1.9]),
            .init(label: "clipping", values: [0.0, 1.4, 0.9, 0.3]),
        ], arrangement: .stacked, valueLabels: .decimal(places: 1)))
        axes.legend = .upperRight
        return Example(name: "bars_stacked", figure: Figure(axes, dpi: 150))
    }

    static func horizontalBars() -> Example {
        var axes = Axes(title: "Per-layer SQNR at 4 bits (illustrative values)", xLabel: "SQNR (dB)")
        axes.add(Bars(categories: ["conv1", "conv2", "conv3", "fc1 (wide)", "fc2", "classifier"],
                      values: [21.4, 18.9, 19.7, 16.2, 20.1, 23.5], orientation: .horizontal, valueLabels: .decimal(places: 1)))
        return Example(name: "bars_horizontal", figure: Figure(axes, width: 6.4, height: 3.6, dpi: 150))
    }

    static func histograms() -> Example {
        let w = SampleData.laplace(20_000, seed: 3, scale: 0.1)
        var axes = Axes(title: "Weight distribution, FP32 vs int4", xLabel: "weight value", yLabel: "density")
        axes.add(Span.vertical(from: -0.35, to: 0.35, label: "clipping range"))
        axes.add(Histogram(w, bins: .count(120), range: -0.8...0.8, normalization: .density, label: "FP32", opacity: 0.5))
        axes.add(Histogram(SampleData.fakeQuantize(w, levels: 15, clip: 0.35), bins: .count(120), range: -0.8...0.8,
                           normalization: .density, label: "int4 (dequantized)", opacity: 0.5))
        axes.y.scale = .log10
        axes.y.min = 0.01
        return Example(name: "histogram_overlay", figure: Figure(axes, dpi: 150))
    }

    static func histogramCounts() -> Example {
        let x = SampleData.normal(100_000, seed: 4)
        let q = SampleData.fakeQuantize(x, levels: 16, clip: 4.5)
        let half = 4.5 / 15
        var axes = Axes(title: "Quantization error, 4 bits (automatic bins)", xLabel: "x − x̂", yLabel: "count")
        axes.add(Histogram(zip(x, q).map { $0 - $1 }, label: "errors"))
        axes.add(ReferenceLine.vertical(x: -half, label: "±scale/2"))
        axes.add(ReferenceLine.vertical(x: half))
        axes.legend = .lowerCenter
        return Example(name: "histogram_counts", figure: Figure(axes, dpi: 150))
    }

    static func confusionMatrix() -> Example {
        let digits = (0..<10).map(String.init)
        func count(_ r: Int, _ c: Int) -> Double {
            if r == c { return Double(950 + (r * 37) % 40) }
            return Double((r * 7 + c * 13) % 11 == 0 ? (r + c) % 9 + 3 : (r * c) % 3)
        }
        let confusion = (0..<10).map { r in (0..<10).map { c in count(r, c) } }
        var axes = Axes(title: "Confusion matrix (synthetic counts)", xLabel: "predicted", yLabel: "true")
        axes.add(Heatmap(confusion, valueLabels: .integer, rowLabels: digits, columnLabels: digits, colorBarLabel: "count"))
        return Example(name: "heatmap_confusion", figure: Figure(axes, width: 6.4, height: 5.6, dpi: 150), formats: [.png, .svg, .pdf])
    }

    static func weightMatrix() -> Example {
        let w = SampleData.normal(16 * 48, seed: 5, sd: 0.2).enumerated().map { i, v in v * (1 + Float(i / 48) * 0.15) }
        var axes = Axes(title: "A random weight matrix\n16 output channels × 48 inputs", xLabel: "input", yLabel: "output channel")
        axes.add(Heatmap(values: w, rows: 16, columns: 48, colormap: .redBlue, colorBarLabel: "weight"))
        return Example(name: "heatmap_diverging", figure: Figure(axes, width: 7.5, height: 3.4, dpi: 150))
    }

    static func digits() -> Example {
        let images = (0..<32).map { SampleData.digitImage($0 % 10, seed: UInt64(100 + $0)) }
        let captions = (0..<32).map { i in i % 9 == 4 ? "pred \((i + 3) % 10) ✗" : "pred \(i % 10)" }
        let figure = Figure.imageGrid(images, width: 28, height: 28, columns: 8, captions: captions,
                                      title: "Synthetic digits with prediction captions", dpi: 150)
        return Example(name: "image_grid", figure: figure)
    }

    static func subplots() -> Example {
        var figure = Figure(rows: 2, columns: 2, width: 8, height: 6, dpi: 150)
        figure.title = "Per-tensor vs per-channel quantization"
        figure.sharesX = true
        for (c, name) in ["per-tensor", "per-channel"].enumerated() {
            var top = Axes(title: name, yLabel: c == 0 ? "max |error|" : nil, yScale: .log10)
            var bottom = Axes(xLabel: "bits", yLabel: c == 0 ? "SQNR (dB)" : nil)
            for (k, channel) in ["ch 0 (small)", "ch 1 (large)"].enumerated() {
                let range = c == 0 ? 20.0 : [1.0, 20.0][k]
                top.add(Line(x: SampleData.bits, y: SampleData.bits.map { SampleData.maxError(range: range, bits: $0) }, label: channel, marker: .circle))
                let penalty = c == 0 && k == 0 ? 26.0 : 0
                bottom.add(Line(x: SampleData.bits, y: SampleData.bits.map { 6.02 * Double($0) + 4.8 - penalty }, label: channel, marker: .square))
            }
            bottom.y.min = -30
            bottom.y.max = 110
            figure[0, c] = top
            figure[1, c] = bottom
        }
        return Example(name: "subplots_shared", figure: figure, formats: [.png, .svg, .pdf])
    }

    static func scales() -> Example {
        var figure = Figure(rows: 1, columns: 3, width: 10, height: 3.4, dpi: 150)
        var log2 = Axes(title: "log-2 x (bit-widths)", xLabel: "bits", yLabel: "levels", xScale: .log2, yScale: .log2)
        log2.add(Line(x: [1, 2, 4, 8, 16], y: [2, 4, 16, 256, 65536], marker: .circle))
        var symlog = Axes(title: "symlog y", xLabel: "step", yLabel: "gradient", yScale: .symlog(linearThreshold: 0.01))
        let steps = (0..<200).map(Double.init)
        symlog.add(Line(x: steps, y: steps.map { 50 * exp(-$0 / 20) * cos($0 / 6) }))
        var inverted = Axes(title: "inverted y (rank)", xLabel: "bits", yLabel: "rank")
        inverted.add(Line(x: [2, 3, 4, 6, 8], y: [5, 4, 3, 2, 1], marker: .diamond))
        inverted.y.inverted = true
        inverted.y.ticks = [1, 2, 3, 4, 5]
        figure.panels = [log2, symlog, inverted]
        return Example(name: "axis_scales", figure: figure)
    }

    static func tickFormats() -> Example {
        var figure = Figure(rows: 1, columns: 3, width: 10, height: 3.2, dpi: 150)
        var percent = Axes(title: "percent", xLabel: "epoch", yLabel: "accuracy")
        percent.add(Line(x: Array(1...10), y: (1...10).map { 1 - 0.5 * exp(-Double($0) / 2) }, marker: .circle))
        percent.y.format = .percent()
        var powers = Axes(title: "powers of ten", xLabel: "parameters", yLabel: "size (bytes)", xScale: .log10, yScale: .log10)
        powers.add(Line(x: [1e3, 1e4, 1e5, 1e6, 1e7], y: [4e3, 4e4, 4e5, 4e6, 4e7], marker: .square))
        var decimals = Axes(title: "decimals, negative", xLabel: "x", yLabel: "error")
        decimals.add(Line(x: stride(from: -1.0, through: 1, by: 0.05).map { $0 }, y: stride(from: -1.0, through: 1, by: 0.05).map { 0.002 * sin(6 * $0) }))
        figure.panels = [percent, powers, decimals]
        return Example(name: "tick_formats", figure: figure)
    }

    static func legendPlacements() -> Example {
        var figure = Figure(rows: 2, columns: 3, width: 10, height: 6, dpi: 150)
        figure.title = "Legend placement"
        let placements: [(String, LegendPlacement)] = [("best", .best), ("upper left", .upperLeft), ("lower right", .lowerRight),
                                                       ("lower left", .lowerLeft), ("upper right", .upperRight), ("outside right", .outsideRight)]
        figure.panels = placements.map { name, placement in
            var axes = Axes(title: name)
            axes.add(Line(x: Array(0...10), y: (0...10).map { Double($0 * $0) / 10 }, label: "line"))
            axes.add(Scatter(x: Array(0...10), y: (0...10).map { 10 - Double($0) }, label: "scatter"))
            axes.add(Band.area(x: Array(0...10), y: (0...10).map { 2 + sin(Double($0)) }, label: "area"))
            axes.legend = placement
            return axes
        }
        return Example(name: "legend_placement", figure: figure)
    }

    static func spansAndAnnotations() -> Example {
        let bits = [2.0, 3, 4, 5, 6, 8]
        var axes = Axes(title: "Accuracy vs bits (illustrative values)", xLabel: "bits", yLabel: "accuracy")
        axes.add(Span.vertical(from: 1.8, to: 3.5, label: "unusable"))
        axes.add(Span.horizontal(from: 0.98, to: 1.0, color: Color(hex: 0x009E73, alpha: 0.12)))
        axes.add(ReferenceLine.horizontal(y: 0.991, label: "FP32"))
        axes.add(ReferenceLine.vertical(x: 4, color: .gray, dash: .dotted))
        axes.add(Line(x: bits, y: [0.41, 0.87, 0.962, 0.981, 0.987, 0.989], label: "PTQ", marker: .circle))
        axes.add(Annotation("4 bits: −2.9 points", at: (4, 0.962), offset: (40, -40)))
        axes.y.format = .percent()
        axes.legend = .lowerRight
        return Example(name: "spans_annotations", figure: Figure(axes, dpi: 150))
    }
}
