import Foundation
import Notebook
import NotebookSupport
import Plot
import Quant
import QuantONNX

/// Mini-project 4: 4-bit, 2-bit and below — how accuracy falls with the
/// bits, whether QAT helps more at low bits, and where deployment stops
/// paying, on the MLPs of mini-project 2 (MNIST and Fashion-MNIST).
///
/// ```
/// swift run -c release notebook-mini4            # both datasets, MNIST first
/// swift run notebook-mini4 --quick               # a subset, for tests
/// ```
@main
struct Mini4: NotebookCommand {
    @OptionGroup var options: NotebookOptions

    @OptionGroup var modelOptions: ModelOptions

    static let notebook = NotebookInfo(name: "mini4", title: "Mini-project 4: 4-bit, 2-bit and below")

    var info: NotebookInfo {
        modelOptions.info(for: Self.notebook) { "Mini-project 4: 4-bit, 2-bit and below, \($0) first" }
    }

    func cells(_ nb: inout Notebook) throws {
        let seed = modelOptions.seed
        nb.seed = seed
        let quick = nb.isQuick
        // The quick run (tests) covers the chosen dataset only, and fewer widths.
        let kinds = [modelOptions.kind] + (quick ? [] : DatasetKind.allCases.filter { $0 != modelOptions.kind })

        nb.markdown("""
            Mini-projects 2 and 3 stopped at 8 and 4 bits. Below 4 bits a weight has 8,
            4, 3 or 2 possible values, and three questions decide whether that is worth it:

            1. **How does accuracy fall as the bits fall?** Weight bits 8, 6, 5, 4, 3, 2,
               ternary (−1, 0, +1) and binary (±1); one scale per tensor, per output
               channel, or per group of 128, 64 or 32 inputs; activations float, 8 or 4 bits.
            2. **Does QAT help more at low bits?** Fine-tuning with the weights
               fake-quantized (STE and LSQ of mini-project 3) against the best
               post-training method at each width, with an FP32 fine-tune as control.
            3. **Where does deployment stop paying?** The real bytes of packed codes and
               scales, and the speed of kernels that compute from them.

            Everything runs on \(kinds.map(\.description).joined(separator: " and ")), from mini-project 2's FP32 models.
            A weight is stored as `w ≈ s·q`: an integer code `q` and a float step `s`
            shared by a *slot* — the tensor, a row, or a group of a row.
            """)

        // MARK: The FP32 models

        let subjects = try nb.code("Data and the FP32 models of mini-project 2") { cell -> [Subject] in
            var subjects: [Subject] = []
            var accuracy: [String: Double] = [:]
            for kind in kinds {
                let source = FP32Baseline(kind: kind, seed: seed, quick: quick, store: DataStore(dataDirectory: modelOptions.data))
                let loaded = try source.loadData { cell.print($0) }
                let test = quick ? loaded.test.prefix(1000) : loaded.test
                let baseline = try source.trainOrLoad(on: loaded, progress: ProgressBar())
                let subject = Subject(kind: kind, data: loaded, test: test, fp32: baseline.run.model,
                                      accuracy: try baseline.run.model.accuracy(on: test),
                                      calibration: loaded.train.prefix(quick ? 128 : 1024))
                cell.note("\(kind): FP32 model \(baseline.reused ? "loaded from the checkpoint cache" : "trained now and stored in the checkpoint cache")")
                cell.print("\(kind): FP32 model of mini-project 2 (\(source.settings.summary)); test accuracy \(percent(subject.accuracy)) on \(grouped(test.count)) images")
                accuracy[kind.rawValue] = subject.accuracy
                subjects.append(subject)
            }
            try cell.record(Mini4Results.fp32Accuracy, accuracy)
            return subjects
        }

        // MARK: 1. Bits and granularity

        let grids = quick ? SweepGrid.all.filter { ["8", "4", "2", "ternary", "binary"].contains($0.key) } : SweepGrid.all
        let granularities = Granularity.all

        nb.markdown("""
            ## 1. Fewer bits, finer scales

            Round to nearest on the min-max grid of each slot, weights only (the inputs
            stay float). A symmetric `b`-bit grid has codes `−2ᵇ⁻¹ … 2ᵇ⁻¹−1` and step
            `s = max|w| / ((2ᵇ − 1)/2)`; ternary uses TWN's step (`mean` of the `|w|`
            above `0.7·mean|w|`), binary XNOR-Net's `s = mean|w|`, the least-squares
            step for ±1 codes. One scale per row (*per-channel*) or per group of `g`
            inputs costs 32 bits per row or per group: the table's last column.
            """)

        try nb.code("Groups along K = 784: the short last group") { cell in
            let fc = subjects[0].fp32.layers(of: Linear.self)
            var rows: [[any CustomStringConvertible]] = []
            for granularity in granularities {
                let scheme = try SweepGrid.uniform(4).scheme(granularity.value)
                let pieces = fc.map { layer -> String in
                    guard let g = scheme.groupSize else { return granularity.key == "per-tensor" ? "1 per tensor" : "1 per row" }
                    let (full, rest) = layer.inputFeatures.quotientAndRemainder(dividingBy: g)
                    return rest == 0 ? "\(full)×\(g)" : "\(full)×\(g) + 1×\(rest)"
                }
                let scales = try fc.map { try scheme.parameterCount(for: [$0.outputFeatures, $0.inputFeatures]) }.reduce(0, +)
                let weights = fc.map { $0.outputFeatures * $0.inputFeatures }.reduce(0, +)
                rows.append([granularity.key] + pieces + [grouped(scales), fixed(4 + 32 * Double(scales) / Double(weights), 3)])
            }
            try cell.table(["scales", "fc1 (K = 784)", "fc2 (K = 256)", "fc3 (K = 128)", "scales in all", "bits/weight at 4 bits"], rows)
            cell.print("784 = 6·128 + 16 = 12·64 + 16 = 24·32 + 16: no group size used here divides fc1's K, so each row ends with a group of 16 weights that gets its own scale from those 16 alone (no padding: padding with zeros would leave the max unchanged and cost the same extra scale). In fc3 (K = 128) a group of 128 is the whole row.")
        }

        let weightOnly = try nb.code("Weight-only PTQ: every width and granularity") { cell in
            var accuracy: [String: [String: [String: Double]]] = [:]
            // The first dataset's models, by width and granularity: section 5 packs them.
            var models: [String: [String: Sequential]] = [:]
            var panels: [Axes] = []
            for subject in subjects {
                var rows: [[any CustomStringConvertible]] = []
                for grid in grids {
                    var row: [any CustomStringConvertible] = [grid.label]
                    for granularity in granularities {
                        let model = try subject.fp32.quantized(with: WeightQuantization(weights: grid.scheme(granularity.value)))
                        let value = try model.accuracy(on: subject.test)
                        accuracy[subject.kind.rawValue, default: [:]][grid.key, default: [:]][granularity.key] = value
                        if subject.kind == subjects[0].kind { models[grid.key, default: [:]][granularity.key] = model }
                        row.append(percent(value))
                    }
                    rows.append(row)
                }
                cell.print("\(subject.kind) (FP32 \(percent(subject.accuracy))):")
                try cell.table(["weights"] + granularities.map(\.key), rows)
                var axes = Axes(title: subject.kind.description, xLabel: "weight bits (ternary at log₂3)", yLabel: "test accuracy (%)")
                for granularity in granularities {
                    axes.add(Line(x: grids.map(\.bits), y: grids.map { 100 * accuracy[subject.kind.rawValue]![$0.key]![granularity.key]! },
                                  label: granularity.key, marker: .circle))
                }
                axes.add(ReferenceLine(value: 100 * subject.accuracy, orientation: .horizontal, label: "FP32", color: .gray, dash: .dashed))
                SweepGrid.label(&axes.x)
                axes.legend = panels.isEmpty ? .lowerLeft : .hidden
                panels.append(axes)
            }
            for subject in subjects {
                let a = accuracy[subject.kind.rawValue]!
                let perTensor4 = a["4"]!["per-tensor"]!, perChannel4 = a["4"]!["per-channel"]!, g32at2 = a["2"]!["g32"]!, perChannel2 = a["2"]!["per-channel"]!
                cell.print("\(subject.kind): at 4 bits per-channel scales give \(signedPoints(100 * (perChannel4 - perTensor4))) points over one scale per tensor; at 2 bits groups of 32 give \(signedPoints(100 * (g32at2 - perChannel2))) points over per-channel")
            }
            // Why ternary beats the 2-bit grid: how many of fc1's weights each one sends to 0.
            let zeros = try [SweepGrid.uniform(2), .ternary].map { grid -> Double in
                let fc1 = try subjects[0].fp32.quantized(with: WeightQuantization(weights: grid.scheme(.perChannel(axis: 0))))
                    .layers(of: FakeQuantLinear.self)[0]
                let codes = try fc1.packedWeights().unpackedCodes()
                return Double(codes.filter { $0 == 0 }.count) / Double(codes.count)
            }
            cell.print("\(subjects[0].kind) fc1, per-channel: the 2-bit min-max grid {−2, −1, 0, 1}·s with s = max|w|/1.5 rounds \(percent(zeros[0], 1)) of the weights to 0 (|w| < max|w|/3); ternary's TWN step rounds \(percent(zeros[1], 1)) to 0 and fits its ±s to the large weights, which is why 3 levels beat 4 here")
            try cell.record(Mini4Results.weightOnlyAccuracy, accuracy)
            var figure = Figure(rows: 1, columns: panels.count, width: 12, height: 4.5, dpi: 150)
            figure.panels = panels
            figure.title = "Weight-only round-to-nearest PTQ: accuracy as the bits fall"
            try cell.figure("bits_granularity", figure, caption: "Test accuracy of weight-only min-max PTQ for each width and scale granularity")
            return (accuracy: accuracy, models: models)
        }

        // MARK: 2. Activations

        nb.markdown("""
            ## 2. Quantizing the activations too

            An integer kernel also needs integer inputs. Per-channel weights as above,
            each layer's input on a static per-tensor grid of 8 or 4 bits whose range the
            MSE calibrator of mini-project 3 chose on \(grouped(subjects[0].calibration.count)) training images.
            """)

        try nb.code("Weights × activations: FP32, A8, A4") { cell in
            var accuracy: [String: [String: [String: Double]]] = [:]
            var panels: [Axes] = []
            let activations: [(key: String, bits: Int?)] = [("FP32", nil), ("A8", 8), ("A4", 4)]
            for subject in subjects {
                var rows: [[any CustomStringConvertible]] = []
                for grid in grids {
                    var row: [any CustomStringConvertible] = [grid.label]
                    for (key, bits) in activations {
                        let recipe = WeightQuantization(weights: try grid.scheme(.perChannel(axis: 0)), activationBits: bits)
                        let value = try subject.fp32.quantized(with: recipe, calibration: subject.calibration).accuracy(on: subject.test)
                        accuracy[subject.kind.rawValue, default: [:]][grid.key, default: [:]][key] = value
                        row.append(percent(value))
                    }
                    rows.append(row)
                }
                cell.print("\(subject.kind), per-channel weights:")
                try cell.table(["weights"] + activations.map { "activations \($0.key)" }, rows)
                var axes = Axes(title: subject.kind.description, xLabel: "weight bits (per-channel)", yLabel: "Δ accuracy vs float activations (points)")
                let a = accuracy[subject.kind.rawValue]!
                for (key, _) in activations where key != "FP32" {
                    axes.add(Line(x: grids.map(\.bits), y: grids.map { 100 * (a[$0.key]![key]! - a[$0.key]!["FP32"]!) },
                                  label: "\(key) activations", marker: .circle))
                }
                axes.add(ReferenceLine(value: 0, orientation: .horizontal, color: .gray, dash: .dashed))
                SweepGrid.label(&axes.x)
                axes.legend = panels.isEmpty ? .lowerLeft : .hidden
                panels.append(axes)
                cell.print("\(subject.kind): 4-bit activations cost \(signedPoints(100 * (a["8"]!["A4"]! - a["8"]!["FP32"]!))) points with 8-bit weights and \(signedPoints(100 * (a["4"]!["A4"]! - a["4"]!["FP32"]!))) with 4-bit weights")
            }
            try cell.record(Mini4Results.activationAccuracy, accuracy)
            var figure = Figure(rows: 1, columns: panels.count, width: 12, height: 4.5, dpi: 150)
            figure.panels = panels
            figure.title = "What quantizing the activations costs on top of per-channel weights"
            try cell.figure("weights_activations", figure, caption: "Accuracy change from 8- and 4-bit activations, against weight bits")
        }

        // MARK: 3. Better rounding without training

        nb.markdown("""
            ## 3. How far PTQ goes without training

            Min-max puts the grid's last level on the largest weight, so at 2 or 3 bits
            most weights share one or two levels near 0. Two ways to do better without
            training, per channel and weights only:

            - **clipping**: the step from the 99.9th percentile of `|w|`, or the `α·max|w|`
              (α among 100 candidates) with the least squared weight error `Σ(w − ŵ)²`;
              the largest weights clip, every other one rounds on a finer grid;
            - **GPTQ** (Frantar et al. 2022): quantize one input column of a layer at a
              time and push its rounding error onto the columns not yet quantized, in
              the proportions that keep the layer's *outputs* closest on calibration data.
              With `H = 2XᵀX/n` (X: the layer's inputs, here \(grouped(subjects[0].calibration.count)) images, each layer
              fed by the already-quantized layers before it), dampened by
              `0.01·mean(diag H)`, and `U` the upper Cholesky factor of `H⁻¹`:

              ```
              for each column i:  q_i = round(w_i)           (MSE-chosen step of each row)
                                  w_j ← w_j − (w_i − q_i)·U_ij / U_ii   for j > i
              ```

              applied lazily in blocks of 128 columns. It minimises the proxy loss
              `tr((W − Q)·H·(W − Q)ᵀ)` column by column instead of `‖W − Q‖²`.
            """)

        let methodsPTQ: [(key: String, method: WeightFakeQuantizer.Method)] = [("min-max", .minMax), ("percentile 99.9", .percentile(99.9)), ("MSE", .mse(candidates: quick ? 20 : 100))]
        let ptq = try nb.code("Round to nearest, clipped, and GPTQ, per channel") { cell in
            var accuracy: [String: [String: [String: Double]]] = [:]
            var best: [String: [String: Double]] = [:], bestMethod: [String: [String: String]] = [:]
            var models: [String: [String: Sequential]] = [:], gptqLoss: [String: [String: Double]] = [:]
            for subject in subjects {
                var rows: [[any CustomStringConvertible]] = []
                for grid in grids {
                    var row: [any CustomStringConvertible] = [grid.label]
                    for (key, method) in methodsPTQ {
                        guard grid.isUniform || method == .minMax else { row.append("(own rule)"); continue }
                        let model = try subject.fp32.quantized(with: WeightQuantization(weights: grid.scheme(.perChannel(axis: 0)), method: method))
                        let value = try model.accuracy(on: subject.test)
                        accuracy[subject.kind.rawValue, default: [:]][grid.key, default: [:]][key] = value
                        if value > best[subject.kind.rawValue]?[grid.key] ?? -1 {
                            best[subject.kind.rawValue, default: [:]][grid.key] = value
                            bestMethod[subject.kind.rawValue, default: [:]][grid.key] = key
                            models[subject.kind.rawValue, default: [:]][grid.key] = model
                        }
                        row.append(percent(value))
                    }
                    let gptqGrid: WeightGrid? = grid.isUniform ? try WeightGrid(bits: grid.codeBits, scale: .mse())
                        : grid.key == "ternary" ? try WeightGrid.ternary(scale: .mse()) : nil
                    if let gptqGrid {
                        let outcome = try GPTQQuantization(grid: gptqGrid).quantize(subject.fp32, calibration: subject.calibration)
                        let value = try outcome.model.accuracy(on: subject.test)
                        let loss = outcome.results.values.map(\.loss).reduce(0, +), rtn = outcome.results.values.map(\.roundToNearestLoss).reduce(0, +)
                        gptqLoss[subject.kind.rawValue, default: [:]][grid.key] = loss / rtn
                        accuracy[subject.kind.rawValue, default: [:]][grid.key, default: [:]]["GPTQ"] = value
                        if value > best[subject.kind.rawValue]![grid.key]! {
                            best[subject.kind.rawValue]![grid.key] = value
                            bestMethod[subject.kind.rawValue]![grid.key] = "GPTQ"
                            models[subject.kind.rawValue]![grid.key] = outcome.model
                        }
                        row += [percent(value), fixed(loss / rtn, 3)]
                    } else {
                        row += ["(no grid)", "–"]
                    }
                    rows.append(row)
                }
                cell.print("\(subject.kind), per-channel weight-only PTQ:")
                try cell.table(["weights"] + methodsPTQ.map(\.key) + ["GPTQ", "GPTQ proxy loss / round-to-nearest's"], rows)
                let groups = try ["2", "ternary"].map { key -> String in
                    let grid = key == "2" ? try WeightGrid(bits: 2, groupSize: 32, scale: .mse()) : try WeightGrid.ternary(groupSize: 32, scale: .mse())
                    let value = try GPTQQuantization(grid: grid).quantize(subject.fp32, calibration: subject.calibration).model.accuracy(on: subject.test)
                    accuracy[subject.kind.rawValue, default: [:]][key, default: [:]]["GPTQ g32"] = value
                    return "\(key == "2" ? "2-bit" : "ternary") \(percent(value))"
                }
                cell.print("GPTQ with groups of 32 (scales cost 1 bit per weight more): \(groups.joined(separator: ", "))")
            }
            try cell.record(Mini4Results.methodAccuracy, accuracy)
            try cell.record(Mini4Results.gptqLossRatio, gptqLoss)
            try cell.record(Mini4Results.bestPTQ, best)
            return (best: best, method: bestMethod, models: models)
        }

        // MARK: 4. QAT at every width

        var qatSettings = TrainingSettings(epochs: quick ? 1 : 3, optimizer: .adam(learningRate: 1e-4), schedule: .cosine, seed: seed)
        qatSettings.trainingExamples = quick ? 1000 : nil
        let qatGrids = quick ? grids.filter { ["4", "2", "binary"].contains($0.key) } : grids

        nb.markdown("""
            ## 4. Does QAT help more at low bits?

            Each width is fine-tuned from the FP32 weights with its weights
            fake-quantized per channel (inputs float): **STE**, the grid following
            each row's weights, and **LSQ**, the steps trained. Adam, learning rate
            10⁻⁴ on a cosine, \(qatSettings.epochs) epoch\(qatSettings.epochs == 1 ? "" : "s"). The control fine-tunes the FP32 model with
            the same settings. QAT's gain is measured against the best PTQ of
            section 3 at the same width.
            """)

        let qat = try nb.code("QAT at every width, and the FP32 control") { cell in
            var accuracy: [String: [String: [String: Double]]] = [:], gains: [String: [String: Double]] = [:]
            var control: [String: Double] = [:], models: [String: [String: Sequential]] = [:]
            var pValues: [String: [String: Double]] = [:]
            let methods: [(key: String, method: WeightFakeQuantizer.Method)] = [("ste", .minMax), ("lsq", .lsq)]
            for subject in subjects {
                let name = subject.kind.rawValue
                var rows: [[any CustomStringConvertible]] = []
                for grid in qatGrids {
                    var best = (key: "", accuracy: -1.0)
                    for (key, method) in methods {
                        let prepared = try subject.fp32.quantized(with: FakeQuantization(weights: grid.scheme(.perChannel(axis: 0)), weightMethod: method, activationBits: nil))
                        let run = try Trainer(settings: qatSettings).train(prepared, on: subject.data.train)
                        let value = try run.model.accuracy(on: subject.test)
                        accuracy[name, default: [:]][grid.key, default: [:]][key] = value
                        if value > best.accuracy { best = (key, value); models[name, default: [:]][grid.key] = run.model }
                    }
                    let ptqBest = ptq.best[name]![grid.key]!
                    let test = McNemarTest(predictions: try models[name]![grid.key]!.predictions(for: subject.test),
                                           against: try ptq.models[name]![grid.key]!.predictions(for: subject.test), labels: subject.test.labels)
                    gains[name, default: [:]][grid.key] = 100 * (best.accuracy - ptqBest)
                    pValues[name, default: [:]][grid.key] = test.pValue
                    rows.append([grid.label, percent(ptqBest) + " (\(ptq.method[name]![grid.key]!))",
                                 percent(accuracy[name]![grid.key]!["ste"]!), percent(accuracy[name]![grid.key]!["lsq"]!),
                                 signedPoints(100 * (best.accuracy - ptqBest)), fixed(test.pValue, 3)])
                }
                let tuned = try Trainer(settings: qatSettings).train(subject.fp32, on: subject.data.train).model
                control[name] = try tuned.accuracy(on: subject.test)
                cell.print("\(subject.kind): FP32 \(percent(subject.accuracy)); FP32 fine-tuned for the same \(qatSettings.epochs) epoch\(qatSettings.epochs == 1 ? "" : "s") (control) \(percent(control[name]!))")
                try cell.table(["weights", "best PTQ", "QAT STE", "QAT LSQ", "best QAT − best PTQ (points)", "McNemar p"], rows)
            }
            try cell.record(Mini4Results.qatAccuracy, accuracy)
            try cell.record(Mini4Results.qatGainPoints, gains)
            try cell.record(Mini4Results.fp32FineTuneAccuracy, control)
            try cell.record(Mini4Results.qatEpochs, qatSettings.epochs)

            var left = Axes(title: "Accuracy: best PTQ and best QAT", xLabel: "weight bits (per-channel)", yLabel: "test accuracy (%)")
            var right = Axes(title: "QAT's gain over the best PTQ", xLabel: "weight bits (per-channel)", yLabel: "best QAT − best PTQ (points)")
            for (i, subject) in subjects.enumerated() {
                let name = subject.kind.rawValue, color = Theme.report.palette[i]
                let x = qatGrids.map(\.bits)
                left.add(Line(x: x, y: qatGrids.map { 100 * ptq.best[name]![$0.key]! }, label: "\(subject.kind) PTQ", color: color, dash: .dashed, marker: .square))
                left.add(Line(x: x, y: qatGrids.map { 100 * accuracy[name]![$0.key]!.values.max()! }, label: "\(subject.kind) QAT", color: color, marker: .circle))
                right.add(Line(x: x, y: qatGrids.map { gains[name]![$0.key]! }, label: subject.kind.description, color: color, marker: .circle))
            }
            right.add(ReferenceLine(value: 0, orientation: .horizontal, color: .gray, dash: .dashed))
            SweepGrid.label(&left.x)
            SweepGrid.label(&right.x)
            left.legend = .lowerLeft
            right.legend = .upperLeft
            var figure = Figure(rows: 1, columns: 2, width: 12, height: 4.5, dpi: 150)
            figure.panels = [left, right]
            try cell.figure("qat_gain", figure, caption: "Best QAT against the best post-training method at each width, both datasets")
            try cell.record(Mini4Results.qatGainPValue, pValues)
            return (accuracy: accuracy, gains: gains, control: control, models: models, pValues: pValues)
        }

        // MARK: 5. Packed storage

        nb.markdown("""
            ## 5. What the bits cost on disk

            A deployed low-bit model stores its codes bit-packed — 2 per byte at 4 bits,
            4 at 2 bits (ternary too), 8 at 1 bit — plus one Float32 scale per slot and
            the Float32 biases. There is no 3-, 5- or 6-bit storage here: 3-bit codes
            (−4…3) take a 4-bit nibble and 5- or 6-bit codes a byte, so those widths buy
            accuracy or nothing, never bytes. Every layer of every model is packed, and
            unpacking must give back exactly its codes and `s·q` its fake-quantized weights.
            """)

        let storage = try nb.code("Packed sizes of the whole MLP") { cell in
            let subject = subjects[0]
            let fp32Bytes = subject.fp32.parameterCount * 4
            var rows: [[any CustomStringConvertible]] = [["FP32", "–", "–", grouped(fp32Bytes), "32", "1.0×"]]
            var bytes: [String: [String: Double]] = [:]
            var pareto: [String: (bytes: Int, accuracy: Double)] = ["FP32": (fp32Bytes, subject.accuracy)]
            var exact = true
            // Every QAT model (per-channel), then every weight-only PTQ configuration.
            var candidates: [(name: String, label: String, shown: Bool, model: Sequential, accuracy: Double)] = []
            for grid in qatGrids {
                candidates.append(("\(grid.label) QAT", "\(grid.label) per-channel", true, qat.models[subject.kind.rawValue]![grid.key]!,
                                   qat.accuracy[subject.kind.rawValue]![grid.key]!.values.max()!))
            }
            for grid in grids {
                for granularity in granularities {
                    let grouped = granularity.value != .perTensor && granularity.value != .perChannel(axis: 0)
                    candidates.append(("\(grid.label) PTQ \(granularity.key)", "\(grid.label) \(granularity.key)",
                                       grouped && ["4", "2"].contains(grid.key) && granularity.key != "g128",
                                       weightOnly.models[grid.key]![granularity.key]!,
                                       weightOnly.accuracy[subject.kind.rawValue]![grid.key]![granularity.key]!))
                }
            }
            for (name, label, shown, model, accuracy) in candidates {
                var size = (codes: 0, scales: 0, biases: 0, weights: 0)
                for layer in model.layers(of: FakeQuantLinear.self) {
                    let packed = try layer.packedWeights()
                    let repacked = try BitPackedWeights(codes: packed.unpackedCodes(), outFeatures: packed.outFeatures, inFeatures: packed.inFeatures,
                                                        scales: packed.scales, format: packed.format)
                    exact = exact && repacked == packed && packed.dequantized() == layer.fakeQuantizedWeight
                    size.codes += packed.byteCount.codes
                    size.scales += packed.byteCount.scales
                    size.biases += layer.bias.count * 4
                    size.weights += layer.weight.count
                }
                let total = size.codes + size.scales + size.biases
                pareto[name] = (total, accuracy)
                let bitsPerWeight = 8 * Double(size.codes + size.scales) / Double(size.weights)
                guard shown else { continue }
                bytes[label] = ["codes": Double(size.codes), "scales": Double(size.scales), "biases": Double(size.biases),
                                "total": Double(total), "bits_per_weight": bitsPerWeight]
                rows.append([label, grouped(size.codes), grouped(size.scales), grouped(total), fixed(bitsPerWeight, 2),
                             fixed(Double(fp32Bytes) / Double(total), 1) + "×"])
            }
            try cell.table(["weights", "code bytes", "scale bytes", "total bytes (with biases)", "bits/weight (codes + scales)", "smaller than FP32"], rows)
            cell.print(exact ? "round trip: every layer's packed codes unpack and repack to the same bytes, and s·q equals its fake-quantized weights exactly" : "ROUND TRIP FAILED")
            try cell.record(Mini4Results.packedBytes, bytes)
            try cell.record(Mini4Results.fp32Bytes, fp32Bytes)
            return (pareto: pareto, fp32Bytes: fp32Bytes, exact: exact, bitsPerWeight: bytes.mapValues { $0["bits_per_weight"]! })
        }

        let frontSentence = try nb.code("Accuracy against bytes: the Pareto front") { cell -> String in
            let subject = subjects[0]
            let points = storage.pareto.sorted { $0.value.bytes < $1.value.bytes || ($0.value.bytes == $1.value.bytes && $0.key < $1.key) }
            var front: [(name: String, bytes: Int, accuracy: Double)] = []
            for (name, value) in points where value.accuracy > (front.last?.accuracy ?? -1) {
                if let last = front.last, last.bytes == value.bytes { front.removeLast() }
                front.append((name, value.bytes, value.accuracy))
            }
            try cell.table(["on the front", "bytes", "test accuracy"], front.map { [$0.name, grouped($0.bytes), percent($0.accuracy)] })
            var axes = Axes(title: "\(subject.kind): every configuration, accuracy against model bytes",
                            xLabel: "model bytes (packed codes + scales + biases, log scale)", yLabel: "test accuracy (%)", xScale: .log2)
            let ptqPoints = points.filter { $0.key.contains("PTQ") }, qatPoints = points.filter { $0.key.hasSuffix("QAT") }
            axes.add(Scatter(x: ptqPoints.map { Double($0.value.bytes) }, y: ptqPoints.map { 100 * $0.value.accuracy }, label: "PTQ (weight-only)", marker: .circle, opacity: 0.6))
            axes.add(Scatter(x: qatPoints.map { Double($0.value.bytes) }, y: qatPoints.map { 100 * $0.value.accuracy }, label: "QAT (per-channel)", marker: .diamond))
            axes.add(Scatter(x: [Double(storage.fp32Bytes)], y: [100 * subject.accuracy], label: "FP32", color: .black, marker: .square))
            axes.add(Line(x: front.map { Double($0.bytes) }, y: front.map { 100 * $0.accuracy }, label: "Pareto front", color: .gray, steps: .post))
            let floor = (100 * subject.accuracy - 16).rounded(.down)
            axes.y.min = floor
            axes.x.ticks = (15...20).map { Double(1 << $0) }
            axes.x.tickLabels = (15...20).map { $0 < 20 ? "\(1 << ($0 - 10)) KiB" : "1 MiB" }
            for (i, point) in front.enumerated() where point.name != "FP32" {
                axes.add(Annotation(point.name, at: (Double(point.bytes), 100 * point.accuracy),
                                    offset: (dx: 0, dy: i.isMultiple(of: 2) ? 14 : -14), arrow: false, size: 8))
            }
            axes.legend = .lowerRight
            try cell.figure("pareto", Figure(axes, width: 9, height: 5, dpi: 150),
                            caption: "Test accuracy against model bytes for every configuration (points below \(Int(floor)) % are off the chart)")
            try cell.record(Mini4Results.pareto, Dictionary(uniqueKeysWithValues: points.map { ($0.key, ["bytes": Double($0.value.bytes), "accuracy": $0.value.accuracy]) }))
            try cell.record(Mini4Results.paretoFront, front.map(\.name))
            guard let within = front.first(where: { subject.accuracy - $0.accuracy <= 0.005 }) else { return "" }
            let sentence = "On \(subject.kind) the smallest configuration within 0.5 points of FP32 is \(within.name): \(grouped(within.bytes)) bytes, \(fixed(Double(storage.fp32Bytes) / Double(within.bytes), 1))× smaller than FP32 (\(percent(within.accuracy)) against \(percent(subject.accuracy)))."
            cell.print(sentence)
            return sentence
        }

        // MARK: 6. Speed

        nb.markdown("""
            ## 6. Kernels that read the packed codes

            A deployed model must also run fast. `LowBitLinear` keeps the codes packed
            and multiplies by them directly: each batch's input is quantized to uint8 (as
            in mini-project 2's dynamic int8), the kernel unpacks 4, 2 or 1 bits at a time
            into int8 lanes in registers and accumulates exact int32 products per group
            (here on the \(Int8Kernel.fastest) kernel), and the groups are rescaled in float. Below, the QAT models of section 4 deployed on
            those kernels (per-channel scales), against FP32 (OpenBLAS) and dynamic int8.
            Speeds vary with the machine's load, so they are printed (⏱) and kept in
            `results.json`, not in this text.
            """)

        try nb.code("The deployed models: accuracy, bytes on disk, speed") { cell in
            let subject = subjects[0]
            let scratch = try modelOptions.checkpointFolder(label: "notebook-mini4")
            defer { scratch.removeIfTemporary() }
            let name = subject.kind.rawValue
            func deployed(_ key: String) throws -> Sequential {
                try Sequential(qat.models[name]![key]!.layers.map { layer throws -> any Layer in
                    guard let fake = layer as? FakeQuantLinear else { return layer }
                    return try LowBitLinear(weights: fake.packedWeights(), bias: fake.bias)
                })
            }
            var models: [(label: String, file: String, model: Sequential, reference: Double?)] = [
                ("FP32 (OpenBLAS)", "fp32", subject.fp32, nil),
                ("int8 dynamic, per-channel", "int8", try subject.fp32.quantized(with: .perChannel), nil),
            ]
            for key in ["4", "2", "ternary", "binary"] where qat.models[name]![key] != nil {
                let label = qatGrids.first { $0.key == key }!.label
                models.append(("\(label) QAT on LowBitLinear", "qat-\(key)", try deployed(key), qat.accuracy[name]![key]!.values.max()!))
            }
            let speedImages = quick ? subject.test.prefix(500) : subject.test
            var rows: [[any CustomStringConvertible]] = []
            var accuracy: [String: Double] = [:], bytes: [String: Int] = [:], onnxBytes: [String: Int] = [:], speed: [String: Double] = [:]
            for (label, file, model, reference) in models {
                let value = try model.accuracy(on: subject.test)
                let size = try scratch.write(model.checkpoint(metadata: subject.data.train.normalization.metadata), as: "mini4-\(name)-\(file).safetensors")
                // The same model as ONNX (`quant export`), normalisation in the graph: what ONNX Runtime would load.
                let onnx = try ONNXExport(model, normalization: subject.data.train.normalization)
                let onnxSize = try onnx.serializedData().count
                accuracy[file] = value
                bytes[file] = size
                onnxBytes[file] = onnxSize
                rows.append([label, percent(value), reference.map { signedPoints(100 * (value - $0)) } ?? "–", grouped(size),
                             "\(grouped(onnxSize)) (opset \(onnx.model.opsetImport[0].version))"])
                let b256 = try imagesPerSecond(speedImages, repeats: quick ? 1 : 5) { try model.predictions(for: speedImages, batchSize: 256) }
                let b1 = try imagesPerSecond(speedImages, repeats: quick ? 1 : 3) { try model.predictions(for: speedImages, batchSize: 1) }
                speed["\(file)_b256"] = b256
                speed["\(file)_b1"] = b1
                cell.note("⏱ \(label): \(grouped(Int(b256))) images/s at batch 256, \(grouped(Int(b1))) at batch 1")
            }
            try cell.table(["model", "test accuracy (activations uint8 per batch)", "Δ vs its fake-quantized model (points)", "checkpoint bytes on disk",
                            "ONNX bytes"], rows)
            cell.print("The low-bit checkpoints hold the packed codes as they are in memory (a U8 tensor), the scales and the layout in the metadata: the bytes above are the files' sizes. ONNX carries them too: 4-bit codes as its INT4 type (opset 21), 2-bit and ternary codes as INT2 (opset 25), each dequantized in blocks of a row or a group; it has no 1-bit type, so binary codes travel as INT2 and the file is that of the 2-bit model. `quant export` writes these files and `Scripts/check_onnx_export.py` runs them in ONNX Runtime against `quant predict`.")
            try cell.record(Mini4Results.onnxBytes, onnxBytes)
            try cell.record(Mini4Results.deployedAccuracy, accuracy)
            try cell.record(Mini4Results.checkpointBytes, bytes)
            try cell.record(Mini4Results.imagesPerSecond, speed)
        }

        try nb.code("One 4096 × 4096 layer at batch 1: where speed comes from") { cell in
            var g = SeededGenerator(seed: try cell.seed)
            let size = quick ? 1024 : 4096
            let linear = Linear(inputFeatures: size, outputFeatures: size, using: &g)
            let x = try Tensor(shape: [1, size], scalars: (0..<size).map { _ in g.nextUnitFloat() })
            let layers: [(key: String, label: String, layer: any Layer, weightBytes: Int)] = [
                ("fp32", "FP32 (OpenBLAS sgemv)", linear, size * size * 4),
                ("int8", "int8", try DynamicQuantizedLinear(linear, weightQuantizer: Quantizer(scheme: QuantScheme(bits: 8, signed: true, mapping: .symmetric(restrictedRange: false), granularity: .perChannel(axis: 0)), observing: linear.weightTensor)), size * size),
                ("int4", "int4", try LowBitLinear(linear, format: .int4), size * size / 2),
                ("int2", "int2", try LowBitLinear(linear, format: .int2), size * size / 4),
            ]
            var micros: [String: Double] = [:]
            let calls = quick ? 20 : 200
            for (key, label, layer, weightBytes) in layers {
                let seconds = try fastestSeconds(repeats: 5) { for _ in 0..<calls { _ = try layer(x) } } / Double(calls)
                micros[key] = 1e6 * seconds
                cell.note("⏱ \(label): \(fixed(1e6 * seconds, 1)) µs per call, \(fixed(Double(weightBytes) / seconds / 1e9, 1)) GB/s of weights read, \(fixed(2 * Double(size * size) / seconds / 1e9, 1)) GOP/s")
            }
            // The machine's copy bandwidth, for scale: one pass over a buffer 4× the int8 weights.
            var source = [UInt8](repeating: 1, count: 4 * size * size), target = [UInt8](repeating: 0, count: 4 * size * size)
            let copy = fastestSeconds(repeats: 5) { target.withUnsafeMutableBytes { t in source.withUnsafeBytes { t.copyMemory(from: $0) } } }
            source[0] = target[0]
            cell.note("⏱ memory copy: \(fixed(2 * Double(source.count) / copy / 1e9, 1)) GB/s (read + write)")
            for (wide, narrow) in [("int8", "int4"), ("int4", "int2")] {
                let speedup = micros[wide]! / micros[narrow]!
                let bound = speedup > 1.6 ? "close to the 2× fewer bytes: memory-bound" : "well short of the 2× fewer bytes it reads: unpacking and the integer products, not memory, set its pace"
                cell.note("⏱ \(narrow) over \(wide): \(fixed(speedup, 2))× faster, \(bound)")
            }
            cell.print("At batch 1 each weight is used once, so the layer's time is reading its \(grouped(size * size)) weights: 4 bytes each in FP32, 1 in int8, ½ in int4, ¼ in int2. Fewer bits read is faster until unpacking the codes costs more than reading them; the ⏱ lines give this run's numbers, and `quant-bench --filter gemv_4096 --python …` puts them beside ONNX Runtime's int4 MatMulNBits.")
            // Where the weights live: the last-level cache, or memory beyond it (Linux reports its size in sysfs).
            let cache = (try? String(contentsOfFile: "/sys/devices/system/cpu/cpu0/cache/index3/size", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines).dropLast()) }.map { $0 * 1024 }
            if let cache {
                let sizes = layers.map { (label: $0.label, bytes: $0.weightBytes) }
                let fit = sizes.filter { $0.bytes <= cache }.map { "\($0.label) (\($0.bytes >> 20) MiB)" }
                let spill = sizes.filter { $0.bytes > cache }.map { "\($0.label) (\($0.bytes >> 20) MiB)" }
                cell.print("This CPU's last-level cache holds \(cache >> 20) MiB. \(fit.isEmpty ? "No weights fit" : "Fitting in it: " + fit.joined(separator: ", "))\(spill.isEmpty ? "" : "; beyond it, read from memory at every call: " + spill.joined(separator: ", ")). The copy test moves \(2 * (4 * size * size) >> 20) MiB, more than the cache, so it measures memory bandwidth.")
            }
            try cell.record(Mini4Results.gemvMicroseconds, micros)
        }

        // MARK: Closing

        let degradation = subjects.map { subject -> String in
            let name = subject.kind.rawValue
            let perChannel = grids.map { (grid: $0, accuracy: weightOnly.accuracy[name]![$0.key]!["per-channel"]!) }
            let kept = perChannel.filter { subject.accuracy - $0.accuracy <= 0.005 }.map(\.grid.label)
            let losses = perChannel.filter { subject.accuracy - $0.accuracy > 0.005 }
                .map { "\($0.grid.label) \(signedPoints(100 * ($0.accuracy - subject.accuracy)))" }
            return "\(subject.kind): \(kept.isEmpty ? "no width" : kept.joined(separator: ", ")) within 0.5 points of FP32 with per-channel min-max rounding; "
                + (losses.isEmpty ? "no width loses more." : "then \(losses.joined(separator: ", ")) points.")
        }
        let withoutTraining = subjects.map { subject -> String in
            let name = subject.kind.rawValue
            let parts = grids.filter { ["3", "2", "ternary"].contains($0.key) }.map { grid in
                "\(grid.label) \(percent(ptq.best[name]![grid.key]!)) (\(ptq.method[name]![grid.key]!))"
            }
            return "\(subject.kind): \(parts.joined(separator: ", "))"
        }
        let help = subjects.map { subject -> String in
            let name = subject.kind.rawValue
            let significant = qatGrids.filter { qat.pValues[name]![$0.key]! < 0.05 && qat.gains[name]![$0.key]! > 0 }.map(\.label)
            let noise = qatGrids.filter { qat.pValues[name]![$0.key]! >= 0.05 }.map(\.label)
            let gains = qatGrids.map { "\($0.label) \(signedPoints(qat.gains[name]![$0.key]!))" }
            return "\(subject.kind) (control: FP32 fine-tuned \(percent(qat.control[name]!)) vs \(percent(subject.accuracy))): QAT − best PTQ = \(gains.joined(separator: ", ")) points; "
                + "significant (McNemar p < 0.05) at \(significant.isEmpty ? "no width" : significant.joined(separator: ", "))"
                + (noise.isEmpty ? "." : ", within noise at \(noise.joined(separator: ", ")).")
        }
        let qatTargets = subjects.map { subject -> String in
            let best = { (key: String) in qat.accuracy[subject.kind.rawValue]![key]?.values.max() }
            let reached = qatGrids.compactMap { grid in best(grid.key).map { "\(grid.label) \(percent($0))" } }
            return "\(subject.kind): \(reached.joined(separator: ", "))"
        }
        let finer = subjects.map { subject -> String in
            let a = weightOnly.accuracy[subject.kind.rawValue]!
            let gain = { (key: String) in 100 * (a[key]!["g32"]! - a[key]!["per-channel"]!) }
            return "\(signedPoints(gain("2"))) points at 2 bits, \(signedPoints(gain("4"))) at 4 bits, \(signedPoints(gain("8"))) at 8 bits on \(subject.kind)"
        }
        let gainGrows = subjects.allSatisfy { subject in
            let g = qat.gains[subject.kind.rawValue]!
            return g["binary"]! > g["2"]! && g["2"]! > (g["8"] ?? g["4"]!)
        }
        nb.markdown("""
            ## What this run found

            **How accuracy falls.** \(degradation.joined(separator: " "))
            Groups of 32 against one scale per row: \(finer.joined(separator: "; ")).
            Without training, the best per-channel method reaches \(withoutTraining.joined(separator: "; ")).

            **Does QAT help more at low bits?** \(gainGrows ? "Yes: on every dataset its gain over the best PTQ is larger at 2 bits than at the widest width tried, and larger still at 1 bit." : "Not uniformly: see the gains per width.") \(help.joined(separator: " "))
            After QAT: \(qatTargets.joined(separator: "; ")).

            **Where deployment stops paying.** \(storage.exact ? "Packing is exact (every code and weight round-trips)." : "Packing did NOT round-trip.")
            Bytes fall only at 8, 4, 2 and 1 bits: 3-bit codes are stored in 4 bits and 5- or 6-bit codes in 8, so those widths cost the bytes of the next wider format.
            Per-group scales add 32 bits per group: groups of 32 turn 4.0 bits per weight into \(fixed(storage.bitsPerWeight["4-bit g32"] ?? 0, 2)) and 2 bits into \(fixed(storage.bitsPerWeight["2-bit g32"] ?? 0, 2)).
            \(frontSentence)
            Speed depends on the machine and its load, so its numbers are section 6's ⏱ lines and `results.json` (`images_per_second`, `gemv_microseconds`); `quant-bench --filter gemv_4096 --python …` measures ONNX Runtime's int4 kernel beside ours in the same run.
            """)
    }
}

/// One dataset's data, test subset, FP32 model and calibration images.
struct Subject {
    let kind: DatasetKind
    let data: ImageClassificationData
    let test: ImageDataset
    let fp32: Sequential
    let accuracy: Double
    let calibration: ImageDataset
}

/// A weight grid of the sweeps: a uniform `b`-bit one, ternary or binary.
struct SweepGrid {
    /// The key in `results.json` (`4`, `ternary`, …) and the table label.
    let key: String
    let label: String
    /// Where the grid sits on a bits axis: `b`, log₂3 for ternary, 1 for binary.
    let bits: Double
    let mapping: QuantScheme.Mapping
    let codeBits: Int

    static func uniform(_ bits: Int) -> SweepGrid {
        SweepGrid(key: "\(bits)", label: "\(bits)-bit", bits: Double(bits), mapping: .symmetric(restrictedRange: false), codeBits: bits)
    }

    static let ternary = SweepGrid(key: "ternary", label: "ternary", bits: log2(3), mapping: .ternary, codeBits: 2)
    static let binary = SweepGrid(key: "binary", label: "binary", bits: 1, mapping: .binary, codeBits: 1)

    /// 8, 6, 5, 4, 3, 2 bits, ternary, binary.
    static let all = [8, 6, 5, 4, 3, 2].map(uniform) + [ternary, binary]

    var isUniform: Bool { mapping == .symmetric(restrictedRange: false) }

    func scheme(_ granularity: QuantScheme.Granularity) throws -> QuantScheme {
        try QuantScheme(bits: codeBits, signed: true, mapping: mapping, granularity: granularity)
    }

    /// Bits falling to the right, with the ternary and binary ticks named.
    static func label(_ axis: inout Axis) {
        axis.ticks = all.map(\.bits)
        axis.tickLabels = all.map { $0.isUniform ? $0.key : ($0.key == "ternary" ? "T" : "B") }
        axis.inverted = true
    }
}

/// A scale granularity of the sweeps.
struct Granularity {
    let key: String
    let value: QuantScheme.Granularity

    static let all = [
        Granularity(key: "per-tensor", value: .perTensor),
        Granularity(key: "per-channel", value: .perChannel(axis: 0)),
        Granularity(key: "g128", value: .perGroup(axis: 1, size: 128)),
        Granularity(key: "g64", value: .perGroup(axis: 1, size: 64)),
        Granularity(key: "g32", value: .perGroup(axis: 1, size: 32)),
    ]
}
