import Foundation
import Notebook
import NotebookSupport
import Plot
import Quant

/// Mini-project 1: uniform affine quantization, step by step.
///
/// ```
/// swift run -c release notebook-mini1            # the full run (1 M samples per experiment)
/// swift run notebook-mini1 --quick --step        # small sizes, pause after each cell
/// ```
@main
struct Mini1: NotebookCommand {
    @OptionGroup var options: NotebookOptions

    static let notebook = NotebookInfo(name: "mini1", title: "Mini-project 1: uniform affine quantization")

    func cells(_ nb: inout Notebook) throws {
        nb.seed = 2026
        let seed = nb.seed!
        let n = nb.size(full: 1_000_000, quick: 20_000)

        nb.markdown("""
            Quantization stores a real number `x` as a small integer code `q` and
            recovers an approximation `x̂` from it. *Uniform affine* quantization uses
            an evenly spaced grid of 2ᵇ values, described by two numbers:

            - the **scale** `s`, the step between neighbouring grid values, and
            - the **zero-point** `z`, the integer code that stands for the real 0.

            ```
            quantize:    q = clamp(round(x / s) + z, qmin, qmax)
            dequantize:  x̂ = s · (q − z)
            ```

            With b bits the codes run over `qmin…qmax`: `0…2ᵇ−1` unsigned, `−2ᵇ⁻¹…2ᵇ⁻¹−1`
            signed. Three more names the cells use:

            - `fakeQuantize(x)` is the round trip `dequantize(quantize(x))`: it returns
              `x̂` as a float, so the error `x − x̂` can be measured directly (PyTorch:
              `torch.fake_quantize_per_tensor_affine`);
            - `quint8` and `qint8` are PyTorch's names for 8-bit codes, unsigned `0…255`
              (used for activations) and signed `−128…127` (used for weights);
            - a *restricted range* drops the most negative signed code, `−127…127`
              instead of `−128…127`, so that the grid is the same on both sides of 0.

            Everything below is computed by the `Quant` library in this run, with the
            same conventions as PyTorch's observers and quantize kernels; the cells
            use two settings, the random seed \(seed) and the sample count `n` =
            \(grouped(n)) (`--quick` uses fewer). The notebook is regenerated, figures
            and numbers, by `swift run -c release notebook-mini1 --output DIR`.
            """)

        let columns = nb.size(full: 4096, quick: 256)
        try nb.code("The settings the cells share") { cell in
            cell.print("seed = \(seed): every random cell starts its own SeededGenerator(seed: seed), so a rerun draws the same numbers")
            cell.print("n = \(grouped(n)) samples per experiment; columns = \(grouped(columns)) weights per row in §7")
            cell.print("helpers: fixed(x, d) and scientific(x) format numbers, grouped(n) writes 1,000,000, percent(p) writes 98.34 %")
        }

        nb.markdown("""
            ## 1. Scale and zero-point from a tensor's range

            An observer watches the data and keeps its minimum and maximum. PyTorch's
            `MinMaxObserver`, which `Quant` follows bit for bit, then:

            1. widens the range to include 0: `min ← min(min, 0)`, `max ← max(max, 0)`;
            2. spreads it over the codes: `s = (max − min) / (qmax − qmin)`;
            3. picks the code of 0: `z = qmin − round(min / s)`, clamped into `qmin…qmax`.

            Here it is on seven values, with 8-bit unsigned codes (0…255).
            """)

        try nb.code("A worked example: seven values, 8 bits") { cell in
            let values: [Float] = [-1.8, -0.62, 0, 0.05, 0.4, 1.37, 2.55]
            let x = Tensor(values)
            let scheme = try QuantScheme(bits: 8)
            let quantizer = try Quantizer(scheme: scheme, observing: x)
            let scale = quantizer.params.scales[0], zeroPoint = quantizer.params.zeroPoints[0]
            cell.print("min = \(values.min()!), max = \(values.max()!), codes \(scheme.qmin)…\(scheme.qmax)")
            cell.print("scale      = (2.55 − (−1.8)) / 255 = \(scale)")
            cell.print("zero-point = 0 − round(−1.8 / scale) = 0 − round(\(-1.8 / scale)) = \(zeroPoint)")
            let q = try quantizer.quantize(x)
            let xHat = try quantizer.dequantize(q)
            let rows: [[any CustomStringConvertible]] = values.indices.map { i in
                [fixed(values[i], 4), fixed(values[i] / scale, 2), q.scalars[i], fixed(xHat.scalars[i], 6),
                 scientific(values[i] - xHat.scalars[i])]
            }
            try cell.table(["x", "x / s", "q", "x̂ = s·(q − z)", "x − x̂"], rows)
            let worst = zip(values, xHat.scalars).map { abs($0 - $1) }.max()!
            cell.print("largest error \(scientific(worst)) ≤ s/2 = \(scientific(scale / 2)); 0 ↦ q = \(q.scalars[2]) ↦ x̂ = \(xHat.scalars[2])")
            let unrounded = Float(scheme.qmin) - values.min()! / scale
            cell.print("rounding z from \(fixed(unrounded, 3)) to \(zeroPoint) moves the grid by \(fixed(Float(zeroPoint) - unrounded, 3)) of a step:"
                + " the ends −1.8 and 2.55 are no longer grid points, only 0 is")
            try cell.record(Mini1Results.exampleScale, scale)
            try cell.record(Mini1Results.exampleZeroPoint, Int(zeroPoint))
            try cell.record(Mini1Results.exampleMaxError, worst)
        }

        nb.markdown("""
            ## 2. Why zero must be exactly representable

            Zeros are everywhere in a network: zero padding, ReLU outputs (every
            negative pre-activation becomes one; mini-project 2 counts them), pruned
            weights. If 0 fell between two grid values,
            every one of them would come back as the same small non-zero number, with
            the same sign, added up thousands of times in one dot product: a *bias*,
            not noise that averages out. So the zero-point is an integer code, and the
            observer widens the range to contain 0 (a range of [0.5, 3] would
            otherwise clamp every 0 to 0.5).

            The cell quantizes data in which a third of the values are exactly 0, and
            compares the integer zero-point with a grid anchored at `min` with a
            real-valued offset `−min/s`.
            """)

        try nb.code("Zero with an integer zero-point vs a real-valued offset") { cell in
            var rng = SeededGenerator(seed: seed)
            var values = Distribution.normal(mean: 0.5, standardDeviation: 1).samples(n, using: &rng)
            for i in stride(from: 0, to: n, by: 3) { values[i] = 0 }
            let quantizer = try Quantizer(scheme: QuantScheme(bits: 8), observing: Tensor(values))
            let s = quantizer.params.scales[0], z = quantizer.params.zeroPoints[0]
            let lo = values.min()!
            let offset = -lo / s
            let zeroWithInteger = try quantizer.dequantize(quantizer.quantize(Tensor([Float(0)]))).scalars[0]
            let zeroWithOffset = lo + offset.rounded(.toNearestOrEven) * s   // nearest point of min + k·s
            cell.print("range [\(fixed(lo, 4)), \(fixed(values.max()!, 4))], scale s = \(scientific(s))")
            cell.print("real offset −min/s = \(fixed(offset, 4)); integer zero-point z = \(z)")
            cell.print("0 comes back as \(zeroWithInteger) with the integer zero-point")
            cell.print("0 comes back as \(scientific(zeroWithOffset)) on the grid min + k·s (\(fixed(abs(zeroWithOffset) / s, 3)) of a step)")
            cell.print("a 784-input dot product of such zeros with unit weights: 0 vs \(scientific(784 * zeroWithOffset))")
            try cell.record(Mini1Results.zeroErrorIntegerZeroPoint, zeroWithInteger)
            try cell.record(Mini1Results.zeroErrorRealOffset, zeroWithOffset)
        }

        nb.markdown("""
            ## 3. The error bound: half a step

            Rounding moves a value to the nearest grid point, so for every `x` inside the
            representable range `[s·(qmin − z), s·(qmax − z)]` the error is at most half a
            step: `|x − x̂| ≤ s/2` (up to the last-bit rounding of Float32 arithmetic
            itself). If the values spread over many steps, the error is
            close to uniform on `[−s/2, s/2]`, with mean 0 and mean square `s²/12`.
            Outside the range, codes are clamped to `qmin` or `qmax` and the error grows
            without bound. Here is the check on \(grouped(n)) Gaussian samples at 8 bits,
            and the error as a function of `x` at 3 bits: a sawtooth, one tooth per
            step, that turns into a straight line where clamping starts.
            """)

        try nb.code("Checking |x − x̂| ≤ s/2 on Gaussian samples") { cell in
            var rng = SeededGenerator(seed: seed)
            let x = Tensor(Distribution.normal(mean: 0, standardDeviation: 1).samples(n, using: &rng))
            let quantizer = try Quantizer(scheme: QuantScheme(bits: 8), observing: x)
            let s = quantizer.params.scales[0]
            let xHat = try quantizer.fakeQuantize(x)
            let stats = try QuantizationErrorStats(original: x, reconstructed: xHat)
            let errorsInSteps = zip(x.scalars, xHat.scalars).map { Double($0 - $1) / Double(s) }
            let mean = errorsInSteps.reduce(0, +) / Double(n)
            cell.print("scale s = \(scientific(s)), bound s/2 = \(scientific(s / 2))")
            cell.print("max |x − x̂| = \(scientific(stats.maxAbsError)) = \(fixed(stats.maxAbsError / s, 4)) s")
            cell.print("mean error = \(fixed(mean, 4)) s;  MSE = \(scientific(stats.meanSquaredError)) vs s²/12 = \(scientific(Double(s) * Double(s) / 12))")
            cell.print("SQNR = \(fixed(stats.sqnrDecibels, 2)) dB")
            let range = quantizer.representableRange()
            let outside = Tensor<Float>([range.lowerBound - 1.5, range.lowerBound - 0.5,
                                         range.upperBound + 0.5, range.upperBound + 1.5])
            let clamped = try quantizer.fakeQuantize(outside)
            let mapped = zip(outside.scalars, clamped.scalars)
                .map { "\(fixed($0, 3)) ↦ \(fixed($1, 3))" }.joined(separator: ", ")
            cell.print("outside the range [\(fixed(range.lowerBound, 3)), \(fixed(range.upperBound, 3))]: \(mapped)")

            // The sawtooth: the error against x, at 3 bits so that the teeth can be counted, on inputs
            // reaching beyond the representable range, where clamping takes over.
            let coarse = try Quantizer(scheme: QuantScheme(bits: 3), observing: x)
            let coarseRange = coarse.representableRange()
            let ramp = Tensor((0...2800).map { Float($0) / 200 - 7 })
            let coarseError = zip(ramp.scalars, try coarse.fakeQuantize(ramp).scalars).map { ($0 - $1) / coarse.params.scales[0] }
            var sawtooth = Axes(title: "3 bits, same data: error against x", xLabel: "input x", yLabel: "error (x − x̂) / s")
            sawtooth.add(Span.vertical(from: Double(coarseRange.lowerBound), to: Double(coarseRange.upperBound), label: "representable range"))
            sawtooth.add(Span.horizontal(from: -0.5, to: 0.5, label: "|error| ≤ s/2", color: Color(hex: 0x009E73, alpha: 0.15)))
            sawtooth.add(Line(x: ramp.scalars, y: coarseError, label: "x − x̂"))
            sawtooth.legend = .upperCenter
            sawtooth.y.max = 4
            sawtooth.y.min = -4
            var histogram = Axes(title: "8 bits: error of \(grouped(n)) Gaussian samples", xLabel: "error (x − x̂) / s", yLabel: "density")
            histogram.add(Histogram(errorsInSteps, bins: .count(50), range: -0.5...0.5, normalization: .density, label: "measured"))
            histogram.add(Line(x: [-0.5, -0.5, 0.5, 0.5], y: [0, 1, 1, 0], label: "uniform on [−½, ½]", dash: .dashed))
            histogram.y.max = 1.5
            histogram.legend = .upperCenter
            var figure = Figure(rows: 1, columns: 2, width: 10, height: 4.4, dpi: 150)
            figure.panels = [sawtooth, histogram]
            try cell.figure("error_sawtooth", figure, caption: "Quantization error in units of the step s: against x (3 bits) and its histogram (8 bits)")
            try cell.record(Mini1Results.boundCheckSamples, n)
            try cell.record(Mini1Results.boundCheckMaxErrorOverScale, stats.maxAbsError / s)
            try cell.record(Mini1Results.boundCheckMSEOverUniformModel, stats.meanSquaredError / (Double(s) * Double(s) / 12))
        }

        nb.markdown("""
            ## 4. Error and SQNR against bit-width

            Each extra bit doubles the number of codes and halves the step, so the
            maximum error halves and the *signal-to-quantization-noise ratio*
            `SQNR = 10·log₁₀(Σx² / Σ(x − x̂)²)` grows by `20·log₁₀ 2 ≈ 6.02 dB` per bit.
            Where the curve starts depends on the data. With a min/max range the step
            is `s = (max − min) / (2ᵇ − 1) ≈ 2·m / 2ᵇ` for a zero-centred tensor with
            half-range `m = (max − min)/2`, and the noise is `s²/12`, so for a tensor of
            mean square `σ²`

            ```
            SQNR = 10·log₁₀(σ² / (s²/12)) ≈ 6.02·b + 4.77 − 20·log₁₀(m / σ)   dB
            ```

            The last term is the price of the tails: a uniform tensor has `m/σ = √3`
            and pays nothing, a Gaussian or Laplace tensor pays for its rare large
            values, which set `m` for all the small ones.

            *Asymmetric* (affine) quantization fits the grid to `[min, max]`;
            *symmetric* quantization fixes `z = 0` and uses `[−max|x|, max|x|]`, which
            wastes codes when the data is lopsided. Weights are quantized symmetrically
            anyway because of the integer dot product: with zero-points `z_x` and `z_w`,

            ```
            Σₖ (q_x − z_x)(q_w − z_w) = Σₖ q_x·q_w − z_w·Σₖ q_x − z_x·Σₖ q_w + K·z_x·z_w
            ```

            The third and fourth terms depend on the weights only and are computed
            once, but `z_w·Σₖ q_x` needs a sum over every new input. With `z_w = 0` it
            vanishes, and the kernel is a plain integer product plus a precomputed
            correction.
            """)

        let sweep = try nb.code("Sweep: 1…16 bits, three distributions, affine and symmetric") { cell in
            var rng = SeededGenerator(seed: seed)
            let distributions: [(name: String, distribution: Distribution)] = [
                ("uniform", .uniform(lower: -1, upper: 1)),
                ("Gaussian", .normal(mean: 0, standardDeviation: 1)),
                ("Laplace", .laplace(location: 0, scale: 1)),
            ]
            let bits = Array(1...16)
            let mappings: [QuantScheme.Mapping] = [.affine, .symmetric(restrictedRange: false)]
            // One row per distribution and mapping: max error, step and SQNR at every bit-width.
            var series: [(name: String, symmetric: Bool, maxError: [Double], scale: [Double], sqnr: [Double])] = []
            var shape: [(name: String, halfRangeOverRMS: Double, codesUsed: Int, codesFor99: Int)] = []
            func measure(_ name: String, _ x: Tensor<Float>, _ mapping: QuantScheme.Mapping) throws
                -> (name: String, symmetric: Bool, maxError: [Double], scale: [Double], sqnr: [Double]) {
                var row = (name: name, symmetric: mapping != .affine, maxError: [Double](), scale: [Double](), sqnr: [Double]())
                for b in bits {
                    let quantizer = try Quantizer(scheme: QuantScheme(bits: b, mapping: mapping), observing: x)
                    let stats = try QuantizationErrorStats(original: x, reconstructed: quantizer.fakeQuantize(x))
                    row.maxError.append(Double(stats.maxAbsError))
                    row.scale.append(Double(quantizer.params.scales[0]))
                    row.sqnr.append(stats.sqnrDecibels)
                }
                return row
            }
            for (name, distribution) in distributions {
                let x = Tensor(distribution.samples(n, using: &rng))
                for mapping in mappings { series.append(try measure(name, x, mapping)) }
                // How the 8-bit affine grid is used: codes hit at all, and the fewest codes holding 99 % of the samples.
                let codes = try Quantizer(scheme: QuantScheme(bits: 8), observing: x).quantize(x).scalars
                var counts = [Int](repeating: 0, count: 256)
                for q in codes { counts[Int(q)] += 1 }
                let descending = counts.sorted(by: >)
                var held = 0, codesFor99 = 0
                while Double(held) < 0.99 * Double(n) { held += descending[codesFor99]; codesFor99 += 1 }
                let rms = (x.scalars.reduce(0) { $0 + Double($1) * Double($1) } / Double(n)).squareRoot()
                let halfRange = Double(x.scalars.max()! - x.scalars.min()!) / 2
                shape.append((name, halfRange / rms, counts.filter { $0 > 0 }.count, codesFor99))
            }
            let relu = Tensor(Distribution.normal(mean: 0, standardDeviation: 1).samples(n, using: &rng).map { max($0, 0) })
            let reluSeries = try mappings.map { try measure("ReLU", relu, $0) }
            let predicted = shape.map { 6.02 * 8 + 4.77 - 20 * log10($0.halfRangeOverRMS) }

            let shown = [2, 4, 8, 16]
            try cell.table(["distribution", "mapping"] + shown.map { "SQNR \($0)b (dB)" } + ["dB/bit, 4→12 b"],
                series.map { r in
                    [r.name, r.symmetric ? "symmetric" : "affine"] + shown.map { fixed(r.sqnr[$0 - 1], 1) }
                        + [fixed((r.sqnr[11] - r.sqnr[3]) / 8, 2)]
                })
            try cell.table(["distribution", "m / σ", "predicted 8b (dB)", "measured 8b (dB)", "codes used of 256", "codes holding 99 %"],
                shape.indices.map { i in
                    [shape[i].name, fixed(shape[i].halfRangeOverRMS, 2), fixed(predicted[i], 1), fixed(series[2 * i].sqnr[7], 1),
                     shape[i].codesUsed, shape[i].codesFor99]
                })
            cell.print("ReLU outputs (one-sided) at 8 bits: affine \(fixed(reluSeries[0].sqnr[7], 1)) dB, symmetric \(fixed(reluSeries[1].sqnr[7], 1)) dB")

            // m grows with the number of samples (the largest of n Gaussians is near √(2·ln n)), and the SQNR falls with it.
            let counts = stride(from: 3, through: Int(log10(Double(n))), by: 1).map { Int(pow(10, Double($0))) }
            let bySize = try counts.map { count -> (count: Int, ratio: Double, sqnr: Double) in
                var sizeRNG = SeededGenerator(seed: seed + UInt64(count))
                let x = Tensor(Distribution.normal(mean: 0, standardDeviation: 1).samples(count, using: &sizeRNG))
                let quantizer = try Quantizer(scheme: QuantScheme(bits: 8), observing: x)
                let sqnr = try QuantizationErrorStats(original: x, reconstructed: quantizer.fakeQuantize(x)).sqnrDecibels
                let rms = (x.scalars.reduce(0) { $0 + Double($1) * Double($1) } / Double(count)).squareRoot()
                return (count, Double(x.scalars.max()! - x.scalars.min()!) / 2 / rms, sqnr)
            }
            try cell.table(["Gaussian samples", "m / σ", "predicted 8b (dB)", "measured 8b (dB)"],
                bySize.map { [grouped($0.count), fixed($0.ratio, 2), fixed(6.02 * 8 + 4.77 - 20 * log10($0.ratio), 1), fixed($0.sqnr, 1)] })

            try cell.record(Mini1Results.relu8BitSQNRAffine, reluSeries[0].sqnr[7])
            try cell.record(Mini1Results.relu8BitSQNRSymmetric, reluSeries[1].sqnr[7])
            for r in series {
                let key = "\(r.name.lowercased())_\(r.symmetric ? "symmetric" : "affine")"
                try cell.record(Mini1Results.sweepSQNR(key), r.sqnr)
                try cell.record(Mini1Results.sweepMaxError(key), r.maxError)
            }
            try cell.record(Mini1Results.predictedSQNR8Bit, predicted)
            try cell.record(Mini1Results.laplaceCodesUsed, shape[2].codesUsed)

            // Max error: affine and symmetric side by side, each against its own s/2.
            let markers: [Marker] = [.circle, .square, .triangle]
            var errorFigure = Figure(rows: 1, columns: 2, width: 10, height: 4.4, dpi: 150)
            errorFigure.sharesY = true
            errorFigure.title = "Max error vs bit-width (\(grouped(n)) samples): measured (markers) and s/2 (lines)"
            for (panel, symmetric) in [false, true].enumerated() {
                var axes = Axes(title: symmetric ? "symmetric" : "affine", xLabel: "bits",
                                yLabel: panel == 0 ? "max |x − x̂|" : nil, yScale: .log10)
                for (i, r) in series.filter({ $0.symmetric == symmetric }).enumerated() {
                    let color = Theme.report.seriesColor(i)
                    axes.add(Line(x: bits, y: r.scale.map { $0 / 2 }, label: i == 0 ? "s/2 (dashed, per colour)" : nil, color: color, dash: .dashed))
                    axes.add(Scatter(x: bits, y: r.maxError, label: r.name, color: color, marker: [MarkerShape.circle, .square, .triangle][i]))
                }
                axes.x.ticks = [1, 2, 4, 6, 8, 10, 12, 14, 16]
                axes.legend = .upperRight
                errorFigure.panels[panel] = axes
            }
            try cell.figure("max_error_vs_bits", errorFigure, caption: "Max error against the predicted s/2, affine and symmetric")

            // SQNR: what is left after the 6.02 dB per bit, and what symmetric costs.
            var offset = Axes(title: "SQNR − 6.02·b (affine); dashed: 4.77 − 20·log₁₀(m/σ)", xLabel: "bits", yLabel: "dB")
            var cost = Axes(title: "Cost of symmetric: SQNR affine − symmetric", xLabel: "bits", yLabel: "dB")
            for (i, name) in distributions.map(\.name).enumerated() {
                let color = Theme.report.seriesColor(i)
                let affine = series[2 * i], symmetric = series[2 * i + 1]
                offset.add(Line(x: bits, y: bits.map { affine.sqnr[$0 - 1] - 6.02 * Double($0) }, label: name, color: color,
                                marker: markers[i]))
                offset.add(ReferenceLine.horizontal(y: 4.77 - 20 * log10(shape[i].halfRangeOverRMS), color: color))
                cost.add(Line(x: bits, y: bits.map { affine.sqnr[$0 - 1] - symmetric.sqnr[$0 - 1] }, label: name, color: color,
                              marker: markers[i]))
            }
            cost.add(Line(x: bits, y: bits.map { reluSeries[0].sqnr[$0 - 1] - reluSeries[1].sqnr[$0 - 1] }, label: "ReLU outputs",
                          color: Theme.report.seriesColor(3), marker: .diamond))
            cost.add(ReferenceLine.horizontal(y: 6.02, label: "6.02 dB = one bit", color: .gray, dash: .dotted))
            offset.x.ticks = [1, 2, 4, 6, 8, 10, 12, 14, 16]
            cost.x.ticks = [1, 2, 4, 6, 8, 10, 12, 14, 16]
            offset.legend = .lowerRight
            cost.legend = .centerRight
            var sqnrFigure = Figure(rows: 1, columns: 2, width: 10, height: 4.4, dpi: 150)
            sqnrFigure.panels = [offset, cost]
            try cell.figure("sqnr_vs_bits", sqnrFigure, caption: "SQNR offset from 6.02·b against its prediction, and the cost of symmetric ranges")
            return (series: series, shape: shape, predicted: predicted, relu: reluSeries.map { $0.sqnr[7] }, bySize: bySize)
        }

        let zeroCentredCost = (0..<3).map { sweep.series[2 * $0].sqnr[7] - sweep.series[2 * $0 + 1].sqnr[7] }.max()!
        let reluCost = sweep.relu[0] - sweep.relu[1]
        let laplace = sweep.shape[2], smallest = sweep.bySize.first!, largest = sweep.bySize.last!
        nb.markdown("""
            Read the first table from left to right: every distribution gains close to
            6 dB per bit once there are a few bits. What differs is the *offset*: at 8
            bits the uniform tensor reaches \(fixed(sweep.series[0].sqnr[7], 1)) dB, the Gaussian
            \(fixed(sweep.series[2].sqnr[7], 1)) dB and the Laplace \(fixed(sweep.series[4].sqnr[7], 1)) dB, against
            \(fixed(sweep.predicted[0], 1)), \(fixed(sweep.predicted[1], 1)) and \(fixed(sweep.predicted[2], 1)) dB from
            the formula with each tensor's measured `m/σ`. The Laplace tensor's
            half-range is \(fixed(laplace.halfRangeOverRMS, 1)) σ: its samples hit \(laplace.codesUsed) of the 256
            codes at least once, but 99 % of them fall on just \(laplace.codesFor99) codes.

            The offset is not a property of the distribution alone but of the sample
            too: the largest of `n` Gaussian values grows like `√(2·ln n)`, so `m/σ` goes
            from \(fixed(smallest.ratio, 2)) at \(grouped(smallest.count)) samples to \(fixed(largest.ratio, 2)) at \(grouped(largest.count)), and the
            8-bit SQNR falls from \(fixed(smallest.sqnr, 1)) to \(fixed(largest.sqnr, 1)) dB (third table). A min/max
            range is set by the most extreme value seen; §6 shows what clipping it buys.

            Symmetric quantization of these zero-centred tensors costs at most
            \(fixed(zeroCentredCost, 2)) dB at 8 bits (\(fixed(zeroCentredCost / 6.02, 2)) of a bit). On one-sided data it
            costs \(fixed(reluCost, 1)) dB, \(fixed(reluCost / 6.02, 2)) of a bit: for ReLU outputs the negative half of
            the symmetric grid is never used, and 8-bit SQNR drops from \(fixed(sweep.relu[0], 1)) dB (affine)
            to \(fixed(sweep.relu[1], 1)) dB (symmetric). That is why activations after a ReLU are
            quantized affine (`quint8`) and weights, which are centred, symmetric (`qint8`).
            """)

        nb.markdown("""
            ## 5. The staircase

            Dequantized values form a staircase: every input between two *decision
            thresholds* (the midpoints `s·(q − z + ½)` between neighbouring grid values)
            comes back as the same grid value. With b bits there are 2ᵇ codes, but the
            staircase has only as many steps as codes the data reaches, and the cell
            counts them. The observer sees a ramp over [−1, 1]; the figure feeds it a
            wider ramp, so the clamping beyond the codes' range shows as flat ends.
            """)

        let staircase = try nb.code("Input vs dequantized output at 2 and 3 bits") { cell in
            let observed = Tensor((0...800).map { Float($0) / 400 - 1 })            // −1 … 1, what the observer sees
            let wide = Tensor((0...1200).map { Float($0) / 400 - 1.5 })             // −1.5 … 1.5, what the figure shows
            var figure = Figure(rows: 1, columns: 2, width: 10, height: 4.4, dpi: 150)
            figure.sharesY = true
            var steps: [(codes: Int, reached: Int, unrounded: Float, zeroPoint: Int, ties: [Float])] = []
            for (panel, b) in [2, 3].enumerated() {
                let quantizer = try Quantizer(scheme: QuantScheme(bits: b), observing: observed)
                let s = quantizer.params.scales[0], z = quantizer.params.zeroPoints[0]
                let qmin = quantizer.scheme.qmin, qmax = quantizer.scheme.qmax
                let codes = try quantizer.quantize(observed).scalars
                let used = Set(codes).sorted()
                let range = quantizer.representableRange()
                let unrounded = Float(qmin) - observed.scalars.min()! / s
                cell.print("\(b) bits: \(qmax - qmin + 1) codes, s = \(fixed(s, 4)), z = \(z) (rounded from \(fixed(unrounded, 7))), "
                    + "grid [\(fixed(range.lowerBound, 3)), \(fixed(range.upperBound, 3))]")
                cell.print("  the ramp [−1, 1] reaches \(used.count) of them: codes \(used.map(String.init).joined(separator: " "))")
                let unused = (qmin...qmax).filter { !used.contains($0) }
                for q in unused {
                    cell.print("  code \(q) stands for \(fixed(s * Float(q - z), 3)), more than half a step beyond the data's range, so nothing rounds to it")
                }
                // Exact ties: inputs whose x·(1/s) is k + ½ in Float32, rounded to the even k.
                let inverse = 1 / s
                var ties: [Float] = []
                for x in observed.scalars where (x * inverse).rounded(.down) + 0.5 == x * inverse {
                    let q = try quantizer.quantize(Tensor([x])).scalars[0]
                    let even = Int32((x * inverse).rounded(.toNearestOrEven))
                    let clamped = even + z == q ? "" : " (code \(even + z), clamped)"
                    cell.print("  tie at x = \(fixed(x, 3)): x·(1/s) = \(x * inverse) is exactly halfway, rounds to the even \(even),"
                        + " code \(q)\(clamped), x̂ = \(fixed(s * Float(q - z), 3))")
                    ties.append(x)
                }
                steps.append((codes: Int(qmax - qmin + 1), reached: used.count, unrounded: unrounded, zeroPoint: Int(z), ties: ties))

                let xHat = try quantizer.fakeQuantize(wide)
                var axes = Axes(title: "\(b) bits: [−1, 1] reaches \(used.count) of \(qmax - qmin + 1) codes", xLabel: "input x",
                                yLabel: panel == 0 ? "dequantized x̂" : nil)
                axes.add(Span.vertical(from: -1, to: 1, label: "observed range"))
                for q in qmin..<qmax {
                    axes.add(ReferenceLine.vertical(x: Double(s) * (Double(q - z) + 0.5), label: q == qmin ? "decision thresholds" : nil,
                                                    color: .gray, width: 0.8, dash: .dotted))
                }
                axes.add(Line(x: wide.scalars, y: wide.scalars, label: "x̂ = x", color: .gray, dash: .dashed))
                axes.add(Line(x: wide.scalars, y: xHat.scalars, label: "x̂", color: Theme.report.seriesColor(panel), width: 2))
                if !ties.isEmpty {
                    axes.add(Scatter(x: ties, y: try quantizer.fakeQuantize(Tensor(ties)).scalars, label: "ties (half to even)",
                                     color: .black, marker: .circle, size: 7, opacity: 1))
                }
                axes.legend = .upperLeft
                figure.panels[panel] = axes
            }
            figure.title = "Input vs dequantized value; beyond the grid's ends the output is clamped"
            try cell.figure("staircase", figure, caption: "Dequantized output at 2 and 3 bits, with decision thresholds")
            try cell.record(Mini1Results.staircaseLevelsReached, steps.map(\.reached))
            return steps
        }

        nb.markdown("""
            At 2 bits the ramp reaches \(staircase[0].reached) of the \(staircase[0].codes) codes; at 3 bits it
            reaches \(staircase[1].reached) of \(staircase[1].codes). The zero-point is an integer, so the grid is anchored at 0 rather
            than at the ends of `[min, max]`: at 3 bits `qmin − min/s` is \(fixed(staircase[1].unrounded, 7)) in
            Float32 and rounds to \(staircase[1].zeroPoint), which moves the grid by \(fixed(abs(Float(staircase[1].zeroPoint) - staircase[1].unrounded), 3)) of a
            step\(staircase[1].reached < staircase[1].codes ? " and puts the top code out of the data's reach" : ""). At 2 bits it is \(fixed(staircase[0].unrounded, 7)),
            an exact tie, rounded to the even \(staircase[0].zeroPoint). The drop at x = −1 on
            the 2-bit staircase (the black dot) is not a bug but a tie too: −1 lies
            exactly halfway between two grid values, and round-half-to-even (see the
            appendix) sends it to the even neighbour, the lower one. PyTorch's
            observer and kernels do the same with the same input.
            """)

        nb.markdown("""
            ## 6. One outlier

            The min/max observer trusts every value. One large activation, a single
            mis-scaled weight, and the scale grows to cover it: all the other values
            now share far fewer codes. *Clipping* the range (here to the 0.01st and
            99.99th percentiles) gives the bulk its resolution back, at the price of a
            large error on the outlier itself. Choosing the clipping range well is the
            subject of calibration methods (percentile, MSE or entropy observers); the
            cell also sweeps a symmetric clipping range `[−c, c]` and measures the MSE
            for each `c`.
            """)

        let outlierResult = try nb.code("What a single outlier does to the scale") { cell in
            var rng = SeededGenerator(seed: seed)
            let bulk = Tensor(Distribution.normal(mean: 0, standardDeviation: 1).samples(n, using: &rng))
            let outlier: Float = 60
            let withOutlier = Tensor(bulk.scalars + [outlier])
            let sorted = bulk.scalars.sorted()
            let lowClip = sorted[Int(Double(n) * 0.0001)], highClip = sorted[Int(Double(n) * 0.9999)]
            let scheme = try QuantScheme(bits: 8)
            let cases: [(name: String, key: String, params: QuantParams)] = [
                ("no outlier, min/max", "no_outlier_minmax", try QuantParams(scheme: scheme, observing: bulk)),
                ("outlier, min/max", "outlier_minmax", try QuantParams(scheme: scheme, observing: withOutlier)),
                ("outlier, clipped", "outlier_clipped", try QuantParams(scheme: scheme, min: [lowClip], max: [highClip])),
            ]
            var rows: [[any CustomStringConvertible]] = []
            var bulkSQNR: [Double] = []
            for (name, key, params) in cases {
                let quantizer = try Quantizer(scheme: scheme, params: params)
                let codes = try quantizer.quantize(bulk).scalars
                let stats = try QuantizationErrorStats(original: bulk, reconstructed: quantizer.fakeQuantize(bulk))
                let outlierError = abs(outlier - (try quantizer.fakeQuantize(Tensor([outlier])).scalars[0]))
                rows.append([name, scientific(params.scales[0]), Set(codes).count, fixed(stats.sqnrDecibels, 1), fixed(outlierError, 3)])
                bulkSQNR.append(stats.sqnrDecibels)
                try cell.record(Mini1Results.outlierBulkSQNR(key), stats.sqnrDecibels)
                try cell.record(Mini1Results.outlierCodesUsed(key), Set(codes).count)
            }
            try cell.table(["range", "scale", "codes used by the bulk", "bulk SQNR (dB)", "error on x = 60"], rows)
            cell.print("clipping range [\(fixed(lowClip, 3)), \(fixed(highClip, 3))]; the bulk alone spans [\(fixed(sorted.first!, 3)), \(fixed(sorted.last!, 3))]")

            // The clipping threshold against the MSE: rounding noise grows with c, clipping error shrinks.
            let thresholds = (0...120).map { 1.5 * pow(60 / 1.5, Double($0) / 120) }
            var bulkMSE: [Double] = [], wholeMSE: [Double] = []
            for c in thresholds {
                let quantizer = try Quantizer(scheme: scheme, params: QuantParams(scheme: scheme, min: [Float(-c)], max: [Float(c)]))
                bulkMSE.append(try QuantizationErrorStats(original: bulk, reconstructed: quantizer.fakeQuantize(bulk)).meanSquaredError)
                wholeMSE.append(try QuantizationErrorStats(original: withOutlier, reconstructed: quantizer.fakeQuantize(withOutlier)).meanSquaredError)
            }
            let bestBulk = bulkMSE.indices.min { bulkMSE[$0] < bulkMSE[$1] }!
            let bestWhole = wholeMSE.indices.min { wholeMSE[$0] < wholeMSE[$1] }!
            cell.print("lowest bulk MSE \(scientific(bulkMSE[bestBulk])) at c = \(fixed(thresholds[bestBulk], 2)); "
                + "with c = 60 (the outlier's min/max) \(scientific(bulkMSE.last!))")
            cell.print("lowest MSE of the whole tensor, outlier included: \(scientific(wholeMSE[bestWhole])) at c = \(fixed(thresholds[bestWhole], 2))")

            var overview = Axes(title: "\(grouped(n)) Gaussian values and one at 60", xLabel: "x", yLabel: "count", yScale: .log10)
            overview.add(Span.vertical(from: Double(lowClip), to: Double(highClip), label: "clipping range", color: Color(hex: 0xD55E00, alpha: 0.25)))
            overview.add(Histogram(withOutlier.scalars.map(Double.init), bins: .count(136), label: "data", opacity: 0.8))
            let wideRange = try Quantizer(scheme: scheme, params: cases[1].params).representableRange()
            overview.add(ReferenceLine.vertical(x: Double(wideRange.lowerBound), label: "min/max range", dash: .dashed))
            overview.add(ReferenceLine.vertical(x: Double(wideRange.upperBound), dash: .dashed))
            overview.add(Annotation("the outlier sets the scale", at: (x: 60, y: 1), offset: (dx: -40, dy: 60)))
            overview.y.min = 0.5
            overview.legend = .upperCenter

            // Zoomed in: the two 8-bit grids over the bulk, as rows of ticks above the histogram.
            var zoom = Axes(title: "The two 8-bit grids on [−1, 1]", xLabel: "x", yLabel: "density")
            let inside = bulk.scalars.filter { abs($0) <= 1 }.map(Double.init)
            let histogram = Histogram(inside, bins: .count(40), range: -1...1, normalization: .density, label: "data (density)")
            let peak = histogram.binned().heights.max() ?? 1
            zoom.add(histogram)
            for (row, params, label) in [(1.15, cases[1].params, "min/max grid"), (1.3, cases[2].params, "clipped grid")] {
                let grid = (scheme.qmin...scheme.qmax).map { Double(params.scales[0]) * Double($0 - params.zeroPoints[0]) }.filter { abs($0) <= 1 }
                zoom.add(Scatter(x: grid, y: [Double](repeating: row * peak, count: grid.count), label: "\(label) (\(grid.count) points)",
                                 marker: .plus, size: 6, opacity: 1))
            }
            zoom.y.max = 2 * peak
            zoom.legend = .upperRight
            var histogramFigure = Figure(rows: 1, columns: 2, width: 10, height: 4.4, dpi: 150)
            histogramFigure.panels = [overview, zoom]
            try cell.figure("clipping_histogram", histogramFigure, caption: "The data, the min/max and clipping ranges, and the grids they give")

            var uCurve = Axes(title: "8-bit MSE against the clipping threshold c", xLabel: "clipping range [−c, c]", yLabel: "MSE",
                              xScale: .log10, yScale: .log10)
            uCurve.add(Line(x: thresholds, y: bulkMSE, label: "bulk only"))
            uCurve.add(Line(x: thresholds, y: wholeMSE, label: "bulk and outlier"))
            uCurve.add(ReferenceLine.vertical(x: thresholds[bestBulk], label: "best for the bulk, c = \(fixed(thresholds[bestBulk], 2))", dash: .dotted))
            uCurve.add(ReferenceLine.vertical(x: Double(highClip), label: "99.99th percentile, \(fixed(highClip, 2))", color: Color(hex: 0xD55E00), dash: .dashed))
            uCurve.x.ticks = [1.5, 2, 3, 4, 6, 10, 20, 40, 60]
            uCurve.x.format = .custom { String(format: "%g", $0) }
            uCurve.legend = .upperCenter
            try cell.figure("clipping_mse", Figure(uCurve, dpi: 150), caption: "Rounding noise against clipping error: the U-curve of the MSE")
            try cell.record(Mini1Results.bestClipBulk, thresholds[bestBulk])
            try cell.record(Mini1Results.bestClipWhole, thresholds[bestWhole])
            return (bulkSQNR: bulkSQNR, bestBulk: thresholds[bestBulk], bestWhole: thresholds[bestWhole], highClip: Double(highClip),
                    bulkMax: Double(sorted.last!))
        }

        let clippedGain = outlierResult.bulkSQNR[2] - outlierResult.bulkSQNR[0]
        let clippingVerdict = clippedGain >= 0
            ? "Clipping did more than undo the outlier: the bulk's SQNR with the clipped range is \(fixed(clippedGain, 1)) dB"
                + " above that of min/max on the bulk alone. Even without the outlier the range is set by the single most"
                + " extreme Gaussian value, \(fixed(outlierResult.bulkMax, 2)), and clipping the few values beyond"
                + " \(fixed(outlierResult.highClip, 2)) costs less than the coarser step costs everyone else."
            : "Clipping recovers most of the loss, but stays \(fixed(-clippedGain, 1)) dB below min/max on the bulk alone."
        nb.markdown("""
            \(clippingVerdict) The U-curve makes the trade-off explicit: small `c` clips
            many values, large `c` rounds coarsely; for the bulk the minimum lies at
            c = \(fixed(outlierResult.bestBulk, 2)). Counted over the whole tensor, the
            outlier's own error `(60 − c)²` weighs on the mean\(outlierResult.bestWhole > 30 ? " so heavily that the best range is the one that covers it, c = \(fixed(outlierResult.bestWhole, 1))" : " and moves the best range to c = \(fixed(outlierResult.bestWhole, 2))"):
            which error to minimise is a choice, and calibration methods differ in it.
            """)

        nb.markdown("""
            ## 7. Per-tensor vs per-channel

            A weight matrix is a stack of rows (one per output neuron), and rows can
            have very different ranges. With one scale for the whole tensor, the rows
            with small weights get only a few codes. *Per-channel* quantization gives
            each row its own scale (PyTorch's `PerChannelMinMaxObserver` with `ch_axis=0`),
            at the cost of one scale per row. Here are 8 rows whose standard deviations
            span three decades, quantized to int8 symmetrically both ways.
            """)

        try nb.code("Per-tensor vs per-channel on rows with different ranges") { cell in
            var rng = SeededGenerator(seed: seed)
            let rows = 8
            let sigmas = (0..<rows).map { Float(pow(10, -2 + 3 * Double($0) / Double(rows - 1))) }
            let scalars = sigmas.flatMap { Distribution.normal(mean: 0, standardDeviation: $0).samples(columns, using: &rng) }
            let w = try Tensor(shape: [rows, columns], scalars: scalars)
            let perTensor = try Quantizer(scheme: QuantScheme(bits: 8, mapping: .symmetric(restrictedRange: false)), observing: w)
            let perChannel = try Quantizer(scheme: QuantScheme(bits: 8, mapping: .symmetric(restrictedRange: false),
                                                               granularity: .perChannel(axis: 0)), observing: w)
            let wTensor = try perTensor.fakeQuantize(w), wChannel = try perChannel.fakeQuantize(w)
            func rowSQNR(_ reconstructed: Tensor<Float>) throws -> [Double] {
                try (0..<rows).map { r in
                    let range = r * columns..<(r + 1) * columns
                    return try QuantizationErrorStats(original: Tensor(Array(w.scalars[range])),
                                                      reconstructed: Tensor(Array(reconstructed.scalars[range]))).sqnrDecibels
                }
            }
            let sqnrTensor = try rowSQNR(wTensor), sqnrChannel = try rowSQNR(wChannel)
            try cell.table(["row", "σ", "per-tensor scale", "per-channel scale", "SQNR per-tensor (dB)", "SQNR per-channel (dB)"],
                (0..<rows).map { r in
                    [r, scientific(sigmas[r]), scientific(perTensor.params.scales[0]), scientific(perChannel.params.scales[r]),
                     fixed(sqnrTensor[r], 1), fixed(sqnrChannel[r], 1)]
                })
            let whole = (try QuantizationErrorStats(original: w, reconstructed: wTensor).sqnrDecibels,
                         try QuantizationErrorStats(original: w, reconstructed: wChannel).sqnrDecibels)
            cell.print("whole matrix: per-tensor \(fixed(whole.0, 1)) dB, per-channel \(fixed(whole.1, 1)) dB")
            let zeroCodes = try perTensor.quantize(w).scalars[0..<columns].filter { $0 == 0 }.count
            cell.print("row 0 per-tensor: \(zeroCodes) of \(columns) weights round to code 0 (SQNR \(fixed(sqnrTensor[0], 1)) dB); per-channel: \(fixed(sqnrChannel[0], 1)) dB")
            try cell.record(Mini1Results.perChannelRowSQNR, sqnrChannel)
            try cell.record(Mini1Results.perTensorRowSQNR, sqnrTensor)

            var axes = Axes(title: "Int8 SQNR per row (symmetric, \(grouped(columns)) weights a row)", xLabel: "σ of the row's weights",
                            yLabel: "SQNR (dB)")
            axes.add(Bars(categories: sigmas.map { String(format: "%.2g", $0) }, series: [
                Bars.Series(label: "per-tensor", values: sqnrTensor),
                Bars.Series(label: "per-channel", values: sqnrChannel),
            ], arrangement: .grouped, valueLabels: .decimal(places: 0)))
            axes.y.max = 1.4 * max(sqnrTensor.max()!, sqnrChannel.max()!)
            axes.legend = .best
            try cell.figure("per_channel_sqnr", Figure(axes, dpi: 150), caption: "Per-row SQNR, per-tensor vs per-channel")
        }

        nb.markdown("""
            ## Summary

            - An affine quantizer is two numbers, `s` and `z`, computed from the range;
              `z` is an integer so that 0 is stored exactly.
            - Inside the range the error is at most `s/2` and close to uniform; outside,
              values are clamped.
            - Each bit adds about 6 dB of SQNR; the distribution sets the offset, and
              outliers or very different channel ranges waste the grid, which clipping and
              per-channel scales recover.
            - Rounding at exact ties is a convention (the appendix): fix it, and compare
              codes with other tools away from ties.

            Next, mini-project 2 applies this to a trained MNIST network: int8 weights,
            activations quantized on the fly, and integer matrix products. The appendix
            below is for readers who compare codes between tools.
            """)

        nb.markdown("""
            ## Appendix: ties, three formulas, three answers

            `round` must decide what to do with an exact half, `x/s = k + ½`. The IEEE
            default, and the rule here, is *round half to even* (banker's rounding):
            0.5 → 0, 1.5 → 2, 2.5 → 2. It has no upward bias, unlike the school rule
            "half away from zero". But two innocent-looking rewrites of the formula
            change the codes exactly at ties:

            - `round(x · (1/s))` vs `round(x / s)`: the reciprocal is rounded to Float32
              first, so the product can land one unit in the last place away from the
              quotient, and on the other side of a half;
            - `round(x/s) + z` vs `round(x/s + z)`: adding an **odd** zero-point before
              rounding flips which neighbour is even.

            Tools that pick different forms disagree at ties (or within a rounding error
            of one), and nowhere else: compare codes from two tools away from ties, or
            know their formula. `Quant` computes `round(x · (1/s)) + z`. Which form
            PyTorch uses has changed between versions. On the four ties of the table
            below, torch 2.15's CPU `quantize_per_tensor` gives codes 3, 5, 5, 7
            (round, then add `z`: Quant's form; measured with torch 2.15.0 on the
            machine these notebooks were written on), while torch 2.13, as measured for issue 12 of the
            tracker, rounded `x·(1/s) + z` once (the third form: 4, 4, 6, 6). The script
            `Scripts/check_against_pytorch.py` compares Quant with the installed PyTorch
            code for code and counts the mismatches at ties. A
            textbook `rint(x / scale)` in NumPy is the second form.
            """)

        try nb.code("Three ways to round at a tie") { cell in
            // Scale 1/64 exactly and an odd zero-point: x = (2k + 1)/128 is an exact tie.
            let scheme = try QuantScheme(bits: 8)
            let quantizer = try Quantizer(scheme: scheme, params: QuantParams(scale: 1.0 / 64, zeroPoint: 3))
            let s = quantizer.params.scales[0], z = quantizer.params.zeroPoints[0], inverse = 1 / s
            func clamp(_ q: Float) -> Int32 { Int32(min(max(q, Float(scheme.qmin)), Float(scheme.qmax))) }
            let reciprocalThenAdd = { (x: Float) in clamp((x * inverse).rounded(.toNearestOrEven) + Float(z)) }
            let divideThenAdd = { (x: Float) in clamp((x / s).rounded(.toNearestOrEven) + Float(z)) }
            let addThenRound = { (x: Float) in clamp(Float(z).addingProduct(x, inverse).rounded(.toNearestOrEven)) }   // fused x·(1/s) + z
            let ties: [Float] = [0.5, 1.5, 2.5, 3.5].map { $0 / 64 }
            let codes = try quantizer.quantize(Tensor(ties)).scalars
            try cell.table(["x", "x / s", "Quant", "round(x·(1/s)) + z", "round(x/s) + z", "round(x·(1/s) + z)"],
                ties.indices.map { i in
                    [String(format: "%.6f", ties[i]), fixed(ties[i] / s, 1), codes[i], reciprocalThenAdd(ties[i]),
                     divideThenAdd(ties[i]), addThenRound(ties[i])]
                })

            // Re-quantizing data that sits on a grid twice as fine (step s/2, e.g. the codes of
            // a 9-bit quantizer re-quantized to 8 bits) makes every other value a tie.
            let requantizer = try Quantizer(scheme: scheme, params: QuantParams(scale: 0.03, zeroPoint: 3))
            let s2 = requantizer.params.scales[0], inverse2 = 1 / s2
            var rng = SeededGenerator(seed: seed)
            let x = (0..<n).map { _ in Float(Int(rng.next() % 510) - 6) * (s2 / 2) }
            let ours = try requantizer.quantize(Tensor(x)).scalars
            let viaReciprocal = x.map { clamp(($0 * inverse2).rounded(.toNearestOrEven) + Float(z)) }
            let viaDivision = x.map { clamp(($0 / s2).rounded(.toNearestOrEven) + Float(z)) }
            let addingFirst = x.map { clamp(Float(z).addingProduct($0, inverse2).rounded(.toNearestOrEven)) }
            let differences = { (a: [Int32], b: [Int32]) in zip(a, b).filter { $0 != $1 }.count }
            cell.print("re-quantizing \(grouped(n)) values from a grid of step s/2 = 0.015 to s = 0.03, z = 3:")
            cell.print("  Quant vs round(x·(1/s)) + z: \(differences(ours, viaReciprocal)) codes differ")
            cell.print("  Quant vs round(x/s) + z:     \(differences(ours, viaDivision)) codes differ")
            cell.print("  Quant vs round(x·(1/s) + z): \(differences(ours, addingFirst)) codes differ")
            try cell.record(Mini1Results.tiesDifferDivision, differences(ours, viaDivision))
            try cell.record(Mini1Results.tiesDifferAddFirst, differences(ours, addingFirst))
        }

    }
}
