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
            signed. Everything below is computed by the `Quant` library in this run,
            with the same conventions as PyTorch's observers and quantize kernels.
            """)

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

            Zeros are everywhere in a network: zero padding, ReLU outputs (often half
            of all activations), pruned weights. If 0 fell between two grid values,
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
            without bound. Here is the check on \(grouped(n)) Gaussian samples at 8 bits.
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

            var axes = Axes(title: "8-bit quantization error of \(grouped(n)) Gaussian samples",
                            xLabel: "error (x − x̂) / s", yLabel: "density")
            axes.add(Histogram(errorsInSteps, bins: .count(50), range: -0.5...0.5, normalization: .density, label: "measured"))
            axes.add(Line(x: [-0.5, -0.5, 0.5, 0.5], y: [0, 1, 1, 0], label: "uniform on [−½, ½]", dash: .dashed))
            axes.y.max = 1.5
            axes.legend = .upperRight
            try cell.figure("error_histogram", Figure(axes, dpi: 150), caption: "Quantization error in units of the step s")
            try cell.record(Mini1Results.boundCheckSamples, n)
            try cell.record(Mini1Results.boundCheckMaxErrorOverScale, stats.maxAbsError / s)
            try cell.record(Mini1Results.boundCheckMSEOverUniformModel, stats.meanSquaredError / (Double(s) * Double(s) / 12))
        }

        nb.markdown("""
            ## 4. Error and SQNR against bit-width

            Each extra bit doubles the number of codes and halves the step, so the
            maximum error halves and the *signal-to-quantization-noise ratio*
            `SQNR = 10·log₁₀(Σx² / Σ(x − x̂)²)` grows by `20·log₁₀ 2 ≈ 6.02 dB` per bit.
            How much of the grid the data actually uses depends on its shape: a uniform
            tensor fills it evenly, a Gaussian bunches near 0, and a heavy-tailed
            Laplace tensor has rare large values that stretch the range and leave most
            codes empty. *Asymmetric* (affine) quantization fits the grid to `[min, max]`;
            *symmetric* quantization fixes `z = 0` and uses `[−max|x|, max|x|]`, which
            wastes codes when the data is lopsided but lets integer kernels skip the
            zero-point arithmetic.
            """)

        let sweep = try nb.code("Sweep: 1…16 bits, three distributions, affine and symmetric") { cell in
            var rng = SeededGenerator(seed: seed)
            let distributions: [(name: String, distribution: Distribution)] = [
                ("uniform", .uniform(lower: -1, upper: 1)),
                ("Gaussian", .normal(mean: 0, standardDeviation: 1)),
                ("Laplace", .laplace(location: 0, scale: 1)),
            ]
            let bits = Array(1...16)
            var results: [SweepSeries] = []
            for (name, distribution) in distributions {
                let x = Tensor(distribution.samples(n, using: &rng))
                for symmetric in [false, true] {
                    var series = SweepSeries(distribution: name, symmetric: symmetric, maxError: [], sqnr: [])
                    for b in bits {
                        let scheme = try QuantScheme(bits: b, mapping: symmetric ? .symmetric(restrictedRange: false) : .affine)
                        let quantizer = try Quantizer(scheme: scheme, observing: x)
                        let stats = try QuantizationErrorStats(original: x, reconstructed: quantizer.fakeQuantize(x))
                        series.maxError.append(Double(stats.maxAbsError))
                        series.sqnr.append(stats.sqnrDecibels)
                    }
                    results.append(series)
                }
            }
            let relu = Tensor(Distribution.normal(mean: 0, standardDeviation: 1).samples(n, using: &rng).map { max($0, 0) })
            let reluSQNR = try [QuantScheme.Mapping.affine, .symmetric(restrictedRange: false)].map { mapping in
                let quantizer = try Quantizer(scheme: QuantScheme(bits: 8, mapping: mapping), observing: relu)
                return try QuantizationErrorStats(original: relu, reconstructed: quantizer.fakeQuantize(relu)).sqnrDecibels
            }
            let shown = [2, 4, 8, 16]
            try cell.table(["distribution", "mapping"] + shown.map { "SQNR \($0)b (dB)" } + ["dB/bit, 4→12 b"],
                results.map { r in
                    [r.distribution, r.symmetric ? "symmetric" : "affine"] + shown.map { fixed(r.sqnr[$0 - 1], 1) }
                        + [fixed((r.sqnr[11] - r.sqnr[3]) / 8, 2)]
                })
            cell.print("ReLU outputs (one-sided) at 8 bits: affine \(fixed(reluSQNR[0], 1)) dB, symmetric \(fixed(reluSQNR[1], 1)) dB")
            try cell.record(Mini1Results.relu8BitSQNRAffine, reluSQNR[0])
            try cell.record(Mini1Results.relu8BitSQNRSymmetric, reluSQNR[1])
            for r in results {
                let key = "\(r.distribution.lowercased())_\(r.symmetric ? "symmetric" : "affine")"
                try cell.record(Mini1Results.sweepSQNR(key), r.sqnr)
                try cell.record(Mini1Results.sweepMaxError(key), r.maxError)
            }

            var errorAxes = Axes(title: "Max error vs bit-width (\(grouped(n)) samples)", xLabel: "bits",
                                 yLabel: "max |x − x̂|", yScale: .log10)
            var sqnrAxes = Axes(title: "SQNR vs bit-width", xLabel: "bits", yLabel: "SQNR (dB)")
            let markers: [Marker] = [.circle, .square, .triangle]
            for (i, r) in results.enumerated() {
                let label = "\(r.distribution), \(r.symmetric ? "symmetric" : "affine")"
                let color = Theme.report.seriesColor(i / 2)
                let dash: Dash = r.symmetric ? .dashed : .solid
                errorAxes.add(Line(x: bits, y: r.maxError, label: label, color: color, dash: dash, marker: markers[i / 2]))
                sqnrAxes.add(Line(x: bits, y: r.sqnr, label: label, color: color, dash: dash, marker: markers[i / 2]))
            }
            sqnrAxes.add(Line(x: bits, y: bits.map { 6.02 * Double($0) }, label: "6.02 dB × bits", color: .gray, dash: .dotted))
            errorAxes.x.ticks = [1, 2, 4, 6, 8, 10, 12, 14, 16]
            sqnrAxes.x.ticks = [1, 2, 4, 6, 8, 10, 12, 14, 16]
            try cell.figure("max_error_vs_bits", Figure(errorAxes, dpi: 150), caption: "Max error vs bit-width")
            try cell.figure("sqnr_vs_bits", Figure(sqnrAxes, dpi: 150), caption: "SQNR vs bit-width, with the 6.02 dB/bit rule")
            return (series: results, relu: reluSQNR)
        }

        let gaussianAffine = sweep.series[2], laplaceAffine = sweep.series[4], uniformAffine = sweep.series[0]
        nb.markdown("""
            Read the table from left to right: every distribution gains close to 6 dB per
            bit once there are a few bits, as the rule predicts. What differs is the
            *offset*: at 8 bits the uniform tensor reaches \(fixed(uniformAffine.sqnr[7], 1)) dB, the
            Gaussian \(fixed(gaussianAffine.sqnr[7], 1)) dB and the Laplace \(fixed(laplaceAffine.sqnr[7], 1)) dB, because the
            rare large values of the heavier tails set the step for all the small ones.
            Symmetric quantization of these zero-centred tensors costs little (well under
            1 dB). On one-sided data it costs about a bit: for ReLU outputs half of the
            symmetric grid is never used, and 8-bit SQNR drops from \(fixed(sweep.relu[0], 1)) dB (affine)
            to \(fixed(sweep.relu[1], 1)) dB (symmetric). That is why activations after a ReLU are
            quantized affine (`quint8`) and weights, which are centred, symmetric.
            """)

        nb.markdown("""
            ## 5. The staircase

            Dequantized values form a staircase: every input between two decision
            thresholds comes back as the same grid value. With 2 bits there are 4 steps,
            with 3 bits 8. One step sits exactly on 0, and that has a price: the
            zero-point is rounded to an integer, so the grid no longer matches `[min, max]`
            exactly. At 2 bits the ramp's range [−1, 1] becomes the codes' range printed
            below, and the inputs beyond its top are clamped.
            """)

        try nb.code("Input vs dequantized output at 2 and 3 bits") { cell in
            let ramp = Tensor((0...800).map { Float($0) / 400 - 1 })           // −1 … 1
            var axes = Axes(title: "Input vs dequantized value", xLabel: "input x", yLabel: "dequantized x̂")
            axes.add(Line(x: ramp.scalars, y: ramp.scalars, label: "x̂ = x", color: .gray, dash: .dotted))
            for (i, b) in [2, 3].enumerated() {
                let quantizer = try Quantizer(scheme: QuantScheme(bits: b), observing: ramp)
                let xHat = try quantizer.fakeQuantize(ramp)
                let levels = Set(xHat.scalars).sorted()
                let range = quantizer.representableRange()
                cell.print("\(b) bits: s = \(fixed(quantizer.params.scales[0], 4)), z = \(quantizer.params.zeroPoints[0]), "
                    + "codes cover [\(fixed(range.lowerBound, 3)), \(fixed(range.upperBound, 3))], levels \(levels.map { fixed($0, 3) }.joined(separator: " "))")
                axes.add(Line(x: ramp.scalars, y: xHat.scalars, label: "\(b) bits", color: Theme.report.seriesColor(i), width: 2))
            }
            axes.legend = .upperLeft
            try cell.figure("staircase", Figure(axes, dpi: 150), caption: "Dequantized output at 2 and 3 bits")
        }

        nb.markdown("""
            ## 6. One outlier

            The min/max observer trusts every value. One large activation, a single
            mis-scaled weight, and the scale grows to cover it: all the other values
            now share far fewer codes. *Clipping* the range (here to the 0.01st and
            99.99th percentiles) gives the bulk its resolution back, at the price of a
            large error on the outlier itself. Choosing the clipping range well is the
            subject of calibration methods (percentile, MSE or entropy observers).
            """)

        try nb.code("What a single outlier does to the scale") { cell in
            var rng = SeededGenerator(seed: seed)
            let bulk = Distribution.normal(mean: 0, standardDeviation: 1).samples(n, using: &rng)
            let outlier: Float = 60
            let withOutlier = Tensor(bulk + [outlier])
            let sorted = bulk.sorted()
            let lowClip = sorted[Int(Double(n) * 0.0001)], highClip = sorted[Int(Double(n) * 0.9999)]
            let scheme = try QuantScheme(bits: 8)
            let cases: [(String, QuantParams)] = [
                ("no outlier, min/max", try QuantParams(scheme: scheme, observing: Tensor(bulk))),
                ("outlier, min/max", try QuantParams(scheme: scheme, observing: withOutlier)),
                ("outlier, clipped", try QuantParams(scheme: scheme, min: [lowClip], max: [highClip])),
            ]
            var rows: [[any CustomStringConvertible]] = []
            for (name, params) in cases {
                let quantizer = try Quantizer(scheme: scheme, params: params)
                let codes = try quantizer.quantize(Tensor(bulk)).scalars
                let bulkStats = try QuantizationErrorStats(original: Tensor(bulk), reconstructed: quantizer.fakeQuantize(Tensor(bulk)))
                let outlierError = abs(outlier - (try quantizer.fakeQuantize(Tensor([outlier])).scalars[0]))
                rows.append([name, scientific(params.scales[0]), Set(codes).count, fixed(bulkStats.sqnrDecibels, 1), fixed(outlierError, 3)])
                let key = name.replacingOccurrences(of: ", ", with: "_").replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "/", with: "")
                try cell.record(Mini1Results.outlierBulkSQNR(key), bulkStats.sqnrDecibels)
                try cell.record(Mini1Results.outlierCodesUsed(key), Set(codes).count)
            }
            try cell.table(["range", "scale", "codes used by the bulk", "bulk SQNR (dB)", "error on x = 60"], rows)
            cell.print("clipping range [\(fixed(lowClip, 3)), \(fixed(highClip, 3))]")
        }

        nb.markdown("""
            ## 7. Per-tensor vs per-channel

            A weight matrix is a stack of rows (one per output neuron), and rows can
            have very different ranges. With one scale for the whole tensor, the rows
            with small weights get only a few codes. *Per-channel* quantization gives
            each row its own scale (PyTorch's `PerChannelMinMaxObserver` with `ch_axis=0`),
            at the cost of one scale per row. Here are 8 rows whose standard deviations
            span three decades, quantized to int8 symmetrically both ways.
            """)

        let columns = nb.size(full: 4096, quick: 256)
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

            var axes = Axes(title: "Int8 SQNR per row", xLabel: "row (σ from 0.01 to 10)", yLabel: "SQNR (dB)")
            axes.add(Bars(categories: (0..<rows).map { "\($0)" }, series: [
                Bars.Series(label: "per-tensor", values: sqnrTensor),
                Bars.Series(label: "per-channel", values: sqnrChannel),
            ], arrangement: .grouped))
            axes.legend = .upperLeft
            try cell.figure("per_channel_sqnr", Figure(axes, dpi: 150), caption: "Per-row SQNR, per-tensor vs per-channel")
        }

        nb.markdown("""
            ## 8. Ties: three formulas, three answers

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
            of one), and nowhere else: compare
            codes from two tools away from ties, or know their formula. `Quant` computes
            `round(x · (1/s)) + z`, the form PyTorch's CPU kernels use
            (`quantize_per_tensor`, `quantize_per_channel`, `fake_quantize_*`); the script
            `Scripts/check_against_pytorch.py` checks that code for code, ties included,
            against the installed PyTorch. A textbook `rint(x / scale)` in NumPy is the
            second form, and a kernel that fuses `x·(1/s) + z` into one multiply-add
            before rounding is the third.
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

        nb.markdown("""
            ## Summary

            - An affine quantizer is two numbers, `s` and `z`, computed from the range;
              `z` is an integer so that 0 is stored exactly.
            - Inside the range the error is at most `s/2` and close to uniform; outside,
              values are clamped.
            - Each bit adds about 6 dB of SQNR; the distribution sets the offset, and
              outliers or very different channel ranges waste the grid, which clipping and
              per-channel scales recover.
            - Rounding at exact ties is a convention: fix it, and compare codes with other
              tools away from ties.

            Next, mini-project 2 applies this to a trained MNIST network: int8 weights,
            activations quantized on the fly, and integer matrix products.
            """)
    }
}

/// One curve of the bit-width sweep.
struct SweepSeries {
    let distribution: String
    let symmetric: Bool
    var maxError: [Double]
    var sqnr: [Double]
}
