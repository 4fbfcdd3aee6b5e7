import Foundation
import Notebook
import NotebookSupport
import Plot
import Quant

/// Mini-project 3: quantization-aware training (QAT) against static
/// post-training quantization, on the FP32 MLP of mini-project 2.
///
/// ```
/// swift run -c release notebook-mini3                                  # MNIST
/// swift run -c release notebook-mini3 --dataset fashion-mnist          # into Figures/mini3-fashion-mnist/
/// swift run notebook-mini3 --quick                                     # a subset, for tests
/// ```
@main
struct Mini3: NotebookCommand {
    @OptionGroup var options: NotebookOptions

    @OptionGroup var modelOptions: ModelOptions

    static let notebook = NotebookInfo(name: "mini3", title: "Mini-project 3: quantization-aware training")

    var info: NotebookInfo {
        modelOptions.info(for: Self.notebook) { "Mini-project 3: quantization-aware training on \($0)" }
    }

    func cells(_ nb: inout Notebook) throws {
        let kind = modelOptions.kind, seed = modelOptions.seed
        nb.seed = seed
        let quick = nb.isQuick
        let fp32Source = modelOptions.baseline(quick: quick)
        let settings = fp32Source.settings

        nb.markdown("""
            Post-training quantization (mini-project 2) rounds a trained model and hopes
            the damage is small. At 8 bits it is; at 4 bits — 16 levels per weight and per
            activation — it no longer is for every model. *Quantization-aware training*
            (QAT) lets the network see its own rounding while it trains, so that it can
            move its weights to where the rounding hurts least.

            The trick is **fake quantization**: in the forward pass every weight and every
            layer input is quantized and immediately dequantized,

            ```
            x̂ = (clamp(round(x / s) + z, qmin, qmax) − z) · s
            ```

            so the float network computes exactly what the integer one will, while the
            weights stay float and keep learning. This notebook starts from mini-project
            2's FP32 model and compares, at W8A8, W4A8 and W4A4 (weight bits, activation
            bits):

            - **static PTQ**: activation ranges fixed from calibration images;
            - **QAT with the straight-through estimator** (STE) and PyTorch's observers;
            - **LSQ**: the step sizes themselves are trained;
            - **PACT**: the clipping level of each ReLU output is trained;
            - a **control**: the FP32 model fine-tuned for the same epochs without fake
              quantization, so that QAT's gain is not mistaken for the effect of more training.
            """)

        // MARK: The FP32 model

        let (loaded, test, fp32, fp32Predictions) = try nb.code("Data and the FP32 model of mini-project 2") { cell in
            let loaded = try fp32Source.loadData { cell.print($0) }
            // The quick run scores on the first 1,000 test images; the full run on all of them.
            let test = quick ? loaded.test.prefix(1000) : loaded.test
            let baseline = try fp32Source.trainOrLoad(on: loaded, progress: ProgressBar())
            let (run, reused) = (baseline.run, baseline.reused)
            cell.note(reused ? "FP32 model loaded from the checkpoint cache (trained by mini-project 2 with the same settings)"
                             : "FP32 model trained now (\(settings.epochs) epochs) and stored in the checkpoint cache")
            cell.print("settings: \(settings.summary)")
            let predictions = try run.model.predictions(for: test)
            let accuracy = Classification.accuracy(predictions, labels: test.labels)
            cell.print("\(kind): \(grouped(loaded.train.count)) training and \(grouped(test.count)) test images; FP32 test accuracy \(percent(accuracy))")
            try cell.record(Mini3Results.fp32Accuracy, accuracy)
            return (loaded, test, run.model, predictions)
        }
        let fp32Accuracy = Classification.accuracy(fp32Predictions, labels: test.labels)

        // MARK: The straight-through estimator

        nb.markdown("""
            ## 1. Fake quantization and the straight-through estimator

            `round` has derivative 0 almost everywhere (and none at the steps), so the
            true gradient of `x̂` would stop all learning. The **straight-through
            estimator** (STE; Bengio et al. 2013) pretends the rounding is the identity:
            inside the grid's range `∂x̂/∂x = 1`, and where `x` is clamped `∂x̂/∂x = 0`
            (the output no longer moves with `x`). Below: a 3-bit grid on `[0, 2]`
            (`s = 2/7`, `z = 0`), its forward staircase and the gradient the STE passes back.
            """)

        try nb.code("The STE picture: forward staircase, backward identity") { cell in
            let grid = try ActivationFakeQuantizer(bits: 3, range: 0...2)
            let x = stride(from: -0.5, through: 2.6, by: 0.005).map { Float($0) }
            let forward = grid.fakeQuantized(x), backward = grid.straightThroughGradient(x)
            cell.print("3-bit grid: s = \(fixed(grid.scale, 4)), z = \(grid.zeroPoint), levels \((0...7).map { fixed(Float($0) * grid.scale, 3) }.joined(separator: ", "))")
            let insideFrom = x[backward.firstIndex(of: 1)!], insideTo = x[backward.lastIndex(of: 1)!]
            cell.print("STE gradient is 1 for x in [\(fixed(insideFrom, 3)), \(fixed(insideTo, 3))] and 0 outside (codes that would leave 0…7 are clamped)")
            var left = Axes(title: "Forward: x̂ = fake-quantize(x)", xLabel: "x", yLabel: "x̂")
            left.add(Line(x: x, y: x, label: "identity", color: .gray, dash: .dashed))
            left.add(Line(x: x, y: forward, label: "x̂ (3 bits)", width: 2))
            left.legend = .upperLeft
            var right = Axes(title: "Backward: ∂x̂/∂x", xLabel: "x", yLabel: "gradient passed back")
            right.add(Line(x: x, y: backward, label: "STE", width: 2, steps: .post))
            right.add(Line(x: x, y: x.map { _ in Float(0) }, label: "true derivative (0 almost everywhere)", color: .gray, dash: .dashed))
            (right.y.min, right.y.max) = (-0.1, 1.2)
            right.legend = .centerRight
            var figure = Figure(rows: 1, columns: 2, width: 10, height: 4, dpi: 150)
            figure.panels = [left, right]
            try cell.figure("ste", figure, caption: "The straight-through estimator on a 3-bit grid over [0, 2]")
        }

        // MARK: Static PTQ

        let configurations = [(w: 8, a: 8), (w: 4, a: 8), (w: 4, a: 4)]
        let calibration = loaded.train.prefix(quick ? 128 : 1024)

        nb.markdown("""
            ## 2. Static PTQ: calibrating the activation ranges

            Dynamic quantization (mini-project 2) measures every batch's range at run
            time. *Static* quantization fixes each layer's input range once, from a few
            hundred *calibration* images, so that inference needs no float at all
            between layers (section 6). How the range is chosen matters most at low bits,
            where every step is wide. The calibrators, each run on the layer inputs of
            the float model:

            - **min-max**: the smallest and largest value seen;
            - **moving average** (`c = 0.01`): PyTorch's observer, `min ← min + c·(batch min − min)`;
            - **percentile** 99.9 / 99.99: clip the rarest 0.1 % / 0.01 % of values;
            - **MSE**: the clipping level among 100 candidates that minimises the mean
              squared quantization error (rounding error inside, clipping error outside);
            - **entropy** (TensorRT; Migacz 2017): the clipping level whose quantized
              histogram is closest to the original in KL divergence.

            Weights are per-channel symmetric from their own `max|W|` in every case.
            """)

        let methodsPTQ = CalibrationMethod.standard
        try nb.code("Each calibrator's clipping range on fc2's input (a ReLU output)") { cell in
            let inputs = try fp32.layerInputs(Tensor(shape: [calibration.count, calibration.featureCount], scalars: calibration.images))
            let fc2Input = inputs[2].scalars
            var rows: [[any CustomStringConvertible]] = []
            var axes = Axes(title: "fc2's input on \(grouped(calibration.count)) calibration images, with each calibrator's 4-bit range",
                            xLabel: "activation value", yLabel: "count (log scale)", yScale: .log10)
            axes.add(Histogram(fc2Input.filter { $0 > 0 }.map(Double.init), bins: .count(120), label: "values > 0"))
            for (i, method) in methodsPTQ.enumerated() {
                let calibrator = try method.makeCalibrator()
                fc2Input.withUnsafeBufferPointer { calibrator.observe($0, rows: calibration.count, features: inputs[2].shape[1]) }
                let r8 = try calibrator.range(bits: 8), r4 = try calibrator.range(bits: 4)
                rows.append([method.description, fixed(r8.upperBound, 3), fixed(r4.upperBound, 3)])
                axes.add(ReferenceLine(value: Double(r4.upperBound), orientation: .vertical, label: method.description,
                                       color: Theme.report.palette[(i + 1) % Theme.report.palette.count]))
            }
            let zeros = fc2Input.filter { $0 == 0 }.count
            cell.print("\(grouped(fc2Input.count)) values, \(percent(Double(zeros) / Double(fc2Input.count), 1)) exactly 0 (ReLU), max \(fixed(fc2Input.max() ?? 0, 3))")
            try cell.table(["calibrator", "top of range, 8 bits", "top of range, 4 bits"], rows)
            axes.legend = .upperRight
            try cell.figure("calibration_ranges", Figure(axes, width: 10, height: 4.5, dpi: 150),
                            caption: "fc2's input distribution and each calibrator's clipping range at 4 bits")
        }

        let staticPTQ = try nb.code("Static PTQ accuracy per calibrator") { cell in
            var accuracy: [String: [String: Double]] = [:], predictions: [String: [Int32]] = [:]
            var rows: [[any CustomStringConvertible]] = []
            for (w, a) in configurations {
                let config = "W\(w)A\(a)"
                var row: [any CustomStringConvertible] = [config]
                for method in methodsPTQ {
                    let model = try fp32.quantized(with: StaticQuantization(weightBits: w, activationBits: a, calibrator: method), calibration: calibration)
                    let p = try model.predictions(for: test)
                    let value = Classification.accuracy(p, labels: test.labels)
                    accuracy[config, default: [:]][method.description] = value
                    predictions["\(config) \(method)"] = p
                    row.append(percent(value))
                }
                rows.append(row)
            }
            try cell.table(["weights/activations"] + methodsPTQ.map(\.description), rows)
            let dynamic = try fp32.quantized(with: .perChannel).accuracy(on: test)
            cell.print("for comparison, dynamic int8 (mini-project 2: per-channel weights, each batch's own activation range): \(percent(dynamic))")
            try cell.record(Mini3Results.dynamicAccuracy, dynamic)
            var best: [String: (method: String, accuracy: Double)] = [:]
            for (w, a) in configurations {
                let config = "W\(w)A\(a)"
                let top = accuracy[config]!.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!
                best[config] = (top.key, top.value)
                cell.print("\(config): best static PTQ \(top.key) at \(percent(top.value)), \(fixed(100 * (fp32Accuracy - top.value), 2)) points below FP32")
            }
            let entropyFC1 = try StaticQuantization(weightBits: 8, activationBits: 8, calibrator: .entropy)
            let fc1 = try fp32.quantized(with: entropyFC1, calibration: calibration).layers(of: FakeQuantLinear.self)[0].inputQuantizer!
            let top = fc1.scale * Float(255 - fc1.zeroPoint)
            cell.print("entropy on fc1's input (the normalised pixels) clips at \(fixed(top, 3)): \(top < 0.5 ? "the background spike (|x| = 0.42, four pixels in five) dominates its histogram, so KL keeps that spike and clips the strokes away" : "the strokes are kept")")
            try cell.record(Mini3Results.staticAccuracy, accuracy)
            try cell.record(Mini3Results.staticBest, Dictionary(uniqueKeysWithValues: best.map { ($0.key, $0.value.accuracy) }))
            return (accuracy: accuracy, best: best, predictions: predictions)
        }

        try nb.code("How many calibration images are enough?") { cell in
            let counts = quick ? [16, 64, 128] : [16, 64, 256, 1024, 4096]
            var axes = Axes(title: "W4A4 static PTQ accuracy vs calibration images", xLabel: "calibration images", yLabel: "test accuracy (%)", xScale: .log2)
            var rows: [[any CustomStringConvertible]] = []
            var curves: [String: [Double]] = [:]
            for method in methodsPTQ where method != .entropy {
                var values: [Double] = []
                for n in counts {
                    let model = try fp32.quantized(with: StaticQuantization(weightBits: 4, activationBits: 4, calibrator: method), calibration: loaded.train.prefix(n))
                    values.append(try model.accuracy(on: test))
                }
                axes.add(Line(x: counts.map(Double.init), y: values.map { 100 * $0 }, label: method.description, marker: .circle))
                rows.append([method.description] + values.map { percent($0) })
                curves[method.description] = values
            }
            try cell.record(Mini3Results.calibrationImages, counts)
            try cell.record(Mini3Results.calibrationCurve, curves)
            axes.add(Line(x: [Double(counts.first!), Double(counts.last!)], y: [100 * fp32Accuracy, 100 * fp32Accuracy], label: "FP32", color: .gray, dash: .dashed))
            axes.x.ticks = counts.map(Double.init)
            axes.x.format = .integer
            axes.legend = .outsideRight
            try cell.table(["calibrator"] + counts.map { "N = \(grouped($0))" }, rows)
            try cell.figure("calibration_images", Figure(axes, width: 9, height: 4, dpi: 150),
                            caption: "Static W4A4 accuracy against the number of calibration images (entropy left out: see the table above)")
        }

        // MARK: QAT
        var qatSettings = TrainingSettings(epochs: quick ? 1 : 3, optimizer: .adam(learningRate: 1e-4), schedule: .cosine, seed: seed)
        qatSettings.trainingExamples = quick ? 1000 : nil
        let freezeAfter = max(1, qatSettings.epochs - 1)

        nb.markdown("""
            ## 3. Quantization-aware training

            Each Linear layer becomes a `FakeQuantLinear`: weights fake-quantized per
            output channel (symmetric, `−2ᵇ⁻¹ … 2ᵇ⁻¹−1`), its input fake-quantized per
            tensor (affine, unsigned). The starting grids come from \(grouped(calibration.count)) training
            images. Three ways to train them:

            - **STE**: the weight grid follows `max|W|` of each row; the input grid comes
              from a moving-average min/max observer (`c = 0.01`, PyTorch's default),
              frozen after epoch \(freezeAfter) so the last epoch trains against fixed ranges;
            - **LSQ** (Esser et al. 2019): every step size `s` is a parameter, started at
              `2·mean|x|/√Qp`; its gradient is `∂x̂/∂s = round(x/s) − x/s` inside the range
              and `qmin − z` or `qmax − z` where clamped, scaled by `1/√(N·Qp)`;
            - **PACT** (Choi et al. 2018): the inputs of the second and third layers are
              ReLU outputs, clipped to `[0, α]` with a trained `α` (`∂x̂/∂α = 1` where `x`
              clips); weights as in STE.

            Fine-tuning: Adam, learning rate 10⁻⁴ on a cosine, \(qatSettings.epochs) epoch\(qatSettings.epochs == 1 ? "" : "s") from the FP32 weights.
            The control fine-tunes the FP32 model with the same settings.
            """)

        let methods: [(name: String, recipe: (Int, Int) -> FakeQuantization)] = [
            ("STE", { w, a in FakeQuantization(weightBits: w, weightMethod: .minMax, activationBits: a, activationMethod: .movingAverage, freezeObserverAfterEpoch: freezeAfter) }),
            ("LSQ", { w, a in FakeQuantization(weightBits: w, weightMethod: .lsq, activationBits: a, activationMethod: .lsq) }),
            ("PACT", { w, a in FakeQuantization(weightBits: w, weightMethod: .minMax, activationBits: a, activationMethod: .pact(regularization: 1e-4), freezeObserverAfterEpoch: freezeAfter) }),
        ]

        let qat = try nb.code("QAT at W8A8, W4A8 and W4A4, and the FP32 control") { cell in
            var curves: [String: [Double]] = [:]
            var finals: [String: Double] = [:], starts: [String: Double] = [:]
            var models: [String: Sequential] = [:], predictions: [String: [Int32]] = [:]
            var stepHistory: [String: [[Float]]] = [:]
            var epochSeconds: [String: Double] = [:]
            var rows: [[any CustomStringConvertible]] = []
            for (w, a) in configurations {
                let config = "W\(w)A\(a)"
                for (name, recipe) in methods {
                    let key = "\(config) \(name)"
                    let prepared = try fp32.quantized(with: recipe(w, a), calibration: calibration)
                    starts[key] = try prepared.accuracy(on: test)
                    var steps: [[Float]] = []
                    let run = try Trainer(settings: qatSettings).train(prepared, on: loaded.train, test: test) { _, model in
                        steps.append(model.layers(of: FakeQuantLinear.self).map { $0.inputQuantizer?.scale ?? 0 })
                    }
                    curves[key] = [starts[key]!] + run.history.compactMap(\.testAccuracy)
                    finals[key] = curves[key]!.last!
                    models[key] = run.model
                    predictions[key] = try run.model.predictions(for: test)
                    stepHistory[key] = steps
                    epochSeconds[key] = run.history.compactMap(\.seconds).min()
                    rows.append([config, name, percent(starts[key]!), percent(finals[key]!), fixed(100 * (finals[key]! - fp32Accuracy), 2)])
                }
            }
            let control = try Trainer(settings: qatSettings).train(fp32, on: loaded.train, test: test)
            let controlAccuracy = control.history.last?.testAccuracy ?? fp32Accuracy
            curves["FP32 control"] = [fp32Accuracy] + control.history.compactMap(\.testAccuracy)
            epochSeconds["FP32 control"] = control.history.compactMap(\.seconds).min()
            rows.append(["FP32", "fine-tuned (control)", percent(fp32Accuracy), percent(controlAccuracy), fixed(100 * (controlAccuracy - fp32Accuracy), 2)])
            try cell.table(["weights/activations", "method", "before QAT", "after QAT", "Δ vs FP32 (points)"], rows)
            for (w, a) in configurations {
                let config = "W\(w)A\(a)"
                let best = methods.map(\.name).max { finals["\(config) \($0)"]! < finals["\(config) \($1)"]! }!
                let gap = 100 * (finals["\(config) \(best)"]! - fp32Accuracy)
                let ptq = staticPTQ.best[config]!
                cell.print("\(config): best QAT method \(best) at \(percent(finals["\(config) \(best)"]!)), \(fixed(abs(gap), 2)) points \(gap < 0 ? "below" : "above") FP32; best static PTQ (\(ptq.method)) \(percent(ptq.accuracy))")
            }
            try cell.record(Mini3Results.qatAccuracy, Dictionary(uniqueKeysWithValues: configurations.map { w, a in
                ("W\(w)A\(a)", Dictionary(uniqueKeysWithValues: methods.map { ($0.name.lowercased(), finals["W\(w)A\(a) \($0.name)"]!) }))
            }))
            try cell.record(Mini3Results.qatStartAccuracy, Dictionary(uniqueKeysWithValues: configurations.map { w, a in
                ("W\(w)A\(a)", Dictionary(uniqueKeysWithValues: methods.map { ($0.name.lowercased(), starts["W\(w)A\(a) \($0.name)"]!) }))
            }))
            try cell.record(Mini3Results.fp32FineTuneAccuracy, controlAccuracy)
            try cell.record(Mini3Results.qatEpochs, qatSettings.epochs)
            try cell.record(Mini3Results.epochSeconds, Dictionary(uniqueKeysWithValues: epochSeconds.map { ($0.key, $0.value) }))

            var panels: [Axes] = []
            for (w, a) in configurations {
                let config = "W\(w)A\(a)"
                var axes = Axes(title: config, xLabel: "QAT epoch", yLabel: "test accuracy (%)")
                let epochs = (0...qatSettings.epochs).map(Double.init)
                axes.add(Line(x: epochs, y: curves["FP32 control"]!.map { 100 * $0 }, label: "FP32 control", color: .gray, dash: .dashed, marker: .circle))
                for (name, _) in methods {
                    axes.add(Line(x: epochs, y: curves["\(config) \(name)"]!.map { 100 * $0 }, label: name, marker: .circle))
                }
                axes.x.ticks = epochs
                axes.legend = panels.count == configurations.count - 1 ? .outsideRight : .hidden
                panels.append(axes)
            }
            var figure = Figure(rows: 1, columns: panels.count, width: 14, height: 4, dpi: 150)
            figure.panels = panels
            figure.title = "Test accuracy during QAT (epoch 0: the fake-quantized model before training)"
            try cell.figure("qat_curves", figure, caption: "Accuracy per QAT epoch for each method and bit-width, with the FP32 fine-tune control")
            return (finals: finals, models: models, predictions: predictions, steps: stepHistory, control: controlAccuracy,
                    controlModel: control.model)
        }

        // MARK: Learned step sizes

        nb.markdown("""
            ## 4. What LSQ and PACT learn

            LSQ trains each input step size `s`; PACT trains each clipping level `α`
            (its step is `α / (2ᵇ − 1)`). Epoch 0 is the calibrated start.
            """)

        try nb.code("Learned step sizes over training (W4A4)") { cell in
            var panels: [Axes] = []
            for name in ["LSQ", "PACT"] {
                let key = "W4A4 \(name)"
                let start = try fp32.quantized(with: methods.first { $0.name == name }!.recipe(4, 4), calibration: calibration)
                    .layers(of: FakeQuantLinear.self).map { $0.inputQuantizer?.scale ?? 0 }
                let history = [start] + qat.steps[key]!
                var axes = Axes(title: "\(name): input step size per layer", xLabel: "QAT epoch", yLabel: "step s")
                let observed = try fp32.quantized(with: methods.first { $0.name == name }!.recipe(4, 4), calibration: calibration)
                    .layers(of: FakeQuantLinear.self).map { layer -> Bool in
                        if case .observed = layer.inputQuantizer?.method { return true }
                        return false
                    }
                for layer in 0..<start.count {
                    let label = "fc\(layer + 1)" + (observed[layer] ? " (observer: input < 0)" : "")
                    axes.add(Line(x: history.indices.map(Double.init), y: history.map { $0[layer] }, label: label, marker: .circle))
                    cell.print("\(name) fc\(layer + 1): s \(fixed(start[layer], 4)) → \(fixed(history.last![layer], 4)) (\(fixed(100 * (history.last![layer] / start[layer] - 1), 1)) %)")
                }
                axes.x.ticks = history.indices.map(Double.init)
                axes.y.scale = .log10
                axes.legend = .outsideRight
                panels.append(axes)
            }
            var figure = Figure(rows: 1, columns: 2, width: 12, height: 4, dpi: 150)
            figure.panels = panels
            try cell.figure("step_sizes", figure, caption: "Input step sizes learned by LSQ and PACT at W4A4, per layer and epoch")
        }

        // MARK: Weights on the grid

        nb.markdown("""
            ## 5. Do the weights snap onto the grid?

            For every weight, its position between grid points: `w/s − round(w/s)`, in
            steps, from −½ to ½. The FP32 weights know nothing of the grid, so they sit
            anywhere between levels and the histogram is flat (20 % of them within 0.1
            step of a level). If QAT pulled them onto the levels it would peak at 0; if
            weights oscillated across rounding thresholds (Nagel et al. 2022), at ±½.
            The cell also measures how far QAT moved the weights, in steps.
            """)

        try nb.code("Distance to the nearest grid level, fc2, W4A4") { cell in
            let before = try fp32.quantized(with: methods[1].recipe(4, 4), calibration: calibration).layers(of: FakeQuantLinear.self)[1]
            var panels: [Axes] = []
            for (label, layer) in [("FP32 weights on the calibrated LSQ grid", before), ("after LSQ QAT", qat.models["W4A4 LSQ"]!.layers(of: FakeQuantLinear.self)[1])] {
                let scales = layer.weightQuantizer.scales
                let k = layer.inputFeatures
                let offsets = layer.weight.enumerated().map { i, w in Double(w / scales[i / k]) - Double(w / scales[i / k]).rounded() }
                let near = Double(offsets.filter { abs($0) < 0.1 }.count) / Double(offsets.count)
                let threshold = Double(offsets.filter { abs($0) > 0.4 }.count) / Double(offsets.count)
                cell.print("\(label): \(percent(near, 1)) of weights within 0.1 step of a level, \(percent(threshold, 1)) within 0.1 step of a rounding threshold (flat: 20.0 % each)")
                var axes = Axes(title: label, xLabel: "w/s − round(w/s) (steps)", yLabel: "weights")
                axes.add(Histogram(offsets, bins: .count(50), range: -0.5...0.5))
                axes.legend = .hidden
                panels.append(axes)
            }
            let after = qat.models["W4A4 LSQ"]!.layers(of: FakeQuantLinear.self)[1]
            let moved = zip(before.weight, after.weight).enumerated().map { i, pair in Double(abs(pair.1 - pair.0) / after.weightQuantizer.scales[i / after.inputFeatures]) }
            let meanMoved = moved.reduce(0, +) / Double(moved.count)
            let verdict = meanMoved < 0.25 ? "too little to rearrange them on the grid" : "enough to rearrange them on the grid"
            cell.print("LSQ QAT moved fc2's weights by \(fixed(meanMoved, 3)) steps on average (largest \(fixed(moved.max() ?? 0, 2))): \(verdict)")
            try cell.record(Mini3Results.fc2MeanWeightMoveSteps, meanMoved)
            var figure = Figure(rows: 1, columns: 2, width: 10, height: 4, dpi: 150)
            figure.panels = panels
            try cell.figure("weights_on_grid", figure, caption: "Where fc2's weights sit between 4-bit grid levels, before and after LSQ QAT")
        }

        // MARK: Integer-only inference

        nb.markdown("""
            ## 6. Integer-only inference

            A fake-quantized model still computes in float. Its grids are fixed after
            static calibration or QAT, so it converts to a model that computes in
            integers only, as TFLite's int8 kernels do:

            ```
            q_x  = clamp(round(x / s_x) + z_x, 0, 255)                 once, at the input
            acc  = Σ_k (q_x − z_x)·q_w + bias,  bias = round(b / (s_x·s_w))    int32
            q_y  = clamp(z_y + M·acc, z_y, 255),  M = s_x·s_w / s_y     fixed point
            ```

            `M` is stored as a 31-bit integer multiplier and a shift (TFLite's
            `QuantizeMultiplier`), and `M·acc` is computed with a rounding high
            multiply and a rounding right shift — no float anywhere. The clamp's lower
            end `z_y` is ReLU: a negative `acc` maps below the code of 0. Only the
            final output codes are dequantized to logits.
            """)

        let integerOnly = try nb.code("From fake quantization to integers only") { cell in
            let scratch = try modelOptions.checkpointFolder(label: "notebook-mini3")
            defer { scratch.removeIfTemporary() }
            let staticBest = staticPTQ.best["W8A8"]!
            let staticMethod = methodsPTQ.first { $0.description == staticBest.method }!
            let candidates: [(name: String, file: String, model: Sequential)] = [
                ("static PTQ W8A8 (\(staticBest.method))", "static-w8a8",
                 try fp32.quantized(with: StaticQuantization(weightBits: 8, activationBits: 8, calibrator: staticMethod), calibration: calibration)),
                ("QAT W8A8 STE", "qat-w8a8-ste", try qat.models["W8A8 STE"]!.freezingObservers()),
                ("QAT W4A4 STE", "qat-w4a4-ste", try qat.models["W4A4 STE"]!.freezingObservers()),
            ]
            var rows: [[any CustomStringConvertible]] = []
            var accuracy: [String: Double] = [:], gaps: [String: Double] = [:], changed: [String: Int] = [:]
            var first: IntegerOnlyMLP?
            for (name, file, fake) in candidates {
                let integer = try fake.integerOnly(outputCalibration: calibration)
                // The fake-quantized model with its logits on the integer model's output grid, as PyTorch's QAT model ends.
                let grid = integer.layers(of: IntegerOnlyMLP.self)[0].outputGrid
                let fakeQuantized = try fake.withOutputQuantized(scale: grid.scale, zeroPoint: grid.zeroPoint)
                let fakePredictions = try fakeQuantized.predictions(for: test), integerPredictions = try integer.predictions(for: test)
                let (a, b) = (Classification.accuracy(fakePredictions, labels: test.labels), Classification.accuracy(integerPredictions, labels: test.labels))
                let moved = zip(fakePredictions, integerPredictions).filter { $0 != $1 }.count
                let bytes = try scratch.write(integer.checkpoint(metadata: loaded.train.normalization.metadata), as: "mini3-\(kind.rawValue)-\(file).safetensors")
                rows.append([name, percent(a), percent(b), fixed(100 * (b - a), 2), moved, grouped(bytes)])
                accuracy[file] = b
                gaps[file] = 100 * (b - a)
                changed[file] = moved
                if first == nil { first = integer.layers(of: IntegerOnlyMLP.self).first }
            }
            try cell.table(["model", "fake-quant accuracy (8-bit logits)", "integer-only accuracy", "Δ (points)", "predictions changed", "checkpoint bytes"], rows)
            let worst = gaps.values.map(abs).max() ?? 0
            cell.print("largest gap between a fake-quantized model (its logits on the integer model's 8-bit output grid) and its integer-only twin: \(fixed(worst, 2)) points (the float simulation rounds each layer's output once in float; the integer model rounds the bias to int32 and M to 31 bits)")
            if let stage = first?.stages.first {
                let m = stage.multipliers[0]
                cell.print("fc1 of the static model, output channel 0: bias \(stage.bias[0]) (int32), M = \(m.multiplier)·2^(\(m.shift) − 31) ≈ \(scientific(m.realValue)), input zero-point \(stage.inputZeroPoint), output zero-point \(stage.outputZeroPoint), clamp \(stage.outputRange.lowerBound)…\(stage.outputRange.upperBound)")
            }
            try cell.record(Mini3Results.integerOnlyAccuracy, accuracy)
            try cell.record(Mini3Results.integerOnlyGapPoints, gaps)
            try cell.record(Mini3Results.integerOnlyChangedPredictions, changed)
            return worst
        }

        // MARK: Significance

        nb.markdown("""
            ## 7. Is the difference real?

            Two models scored on the same \(grouped(test.count)) images differ only where one is
            right and the other wrong. McNemar's exact test asks whether those
            disagreements lean one way more than a fair coin would (p < 0.05: yes).
            """)

        let significance = try nb.code("McNemar tests on the changed predictions") { cell in
            var rows: [[any CustomStringConvertible]] = []
            var versus: [String: (ptq: Double, control: Double)] = [:]
            let controlPredictions = try qat.controlModel.predictions(for: test)
            for (w, a) in configurations {
                let config = "W\(w)A\(a)"
                let best = methods.map(\.name).max { qat.finals["\(config) \($0)"]! < qat.finals["\(config) \($1)"]! }!
                let versusFP32 = McNemarTest(predictions: qat.predictions["\(config) \(best)"]!, against: fp32Predictions, labels: test.labels)
                rows.append(["\(config) \(best) vs FP32", versusFP32.onlyFirstCorrect, versusFP32.onlySecondCorrect, fixed(versusFP32.pValue, 3),
                             versusFP32.pValue < 0.05 ? "significant" : "within noise"])
                let ptq = staticPTQ.best[config]!
                let versusPTQ = McNemarTest(predictions: qat.predictions["\(config) \(best)"]!, against: staticPTQ.predictions["\(config) \(ptq.method)"]!, labels: test.labels)
                rows.append(["\(config) \(best) vs static PTQ \(ptq.method)", versusPTQ.onlyFirstCorrect, versusPTQ.onlySecondCorrect, fixed(versusPTQ.pValue, 3),
                             versusPTQ.pValue < 0.05 ? "significant" : "within noise"])
                let control = McNemarTest(predictions: qat.predictions["\(config) \(best)"]!, against: controlPredictions, labels: test.labels)
                rows.append(["\(config) \(best) vs FP32 control", control.onlyFirstCorrect, control.onlySecondCorrect, fixed(control.pValue, 3),
                             control.pValue < 0.05 ? "significant" : "within noise"])
                versus[config] = (versusPTQ.pValue, control.pValue)
            }
            try cell.table(["comparison", "only first right", "only second right", "p-value", "verdict"], rows)
            return versus
        }

        // MARK: Closing

        let bestQAT = { (config: String) -> (name: String, accuracy: Double) in
            let name = methods.map(\.name).max { qat.finals["\(config) \($0)"]! < qat.finals["\(config) \($1)"]! }!
            return (name, qat.finals["\(config) \(name)"]!)
        }
        let lines = configurations.map { w, a -> String in
            let config = "W\(w)A\(a)", q = bestQAT(config), p = staticPTQ.best[config]!
            let test = significance[config]!
            return "- **\(config).** Best static PTQ: \(p.method), \(percent(p.accuracy)) (\(signedPoints(100 * (p.accuracy - fp32Accuracy))) points vs FP32). "
                + "Best QAT: \(q.name), \(percent(q.accuracy)) (\(signedPoints(100 * (q.accuracy - fp32Accuracy)))), "
                + "\(signedPoints(100 * (q.accuracy - p.accuracy))) points over static PTQ — \(test.ptq < 0.05 ? "a significant difference" : "within noise") (McNemar p = \(fixed(test.ptq, 3)))."
        }
        let control = qat.control
        nb.markdown("""
            ## What this run found

            On \(kind) (\(grouped(test.count)) test images), the FP32 model scores \(percent(fp32Accuracy)).

            \(lines.joined(separator: "\n"))
            - **The control.** Fine-tuning the FP32 model for the same \(qatSettings.epochs) epoch\(qatSettings.epochs == 1 ? "" : "s") gives \(percent(control)) (\(signedPoints(100 * (control - fp32Accuracy))) points): \(abs(control - fp32Accuracy) < 0.001 ? "extra training alone changes almost nothing" : "extra training alone moves the accuracy too"), so compare QAT with this line, not only with FP32.
            - **Where quantization hurts.** \(lowBitSentence(staticPTQ.best, fp32Accuracy))
            - **Calibration.** \(entropySentence(staticPTQ.accuracy))
            - **Integers only.** Converted to integer-only inference (int8 weights, uint8 activations, int32 accumulators, fixed-point rescaling), each model stays within \(fixed(integerOnly, 2)) points of its fake-quantized version. `quant predict` runs the saved integer-only checkpoints (`--checkpoints DIR` keeps them).

            Epoch timings (QAT against FP32) are in `results.json` (`epoch_seconds`), not here, so that this text is the same on every run.
            """)
    }
}


/// How much static PTQ loses as the bits fall, from the run's best-calibrator accuracies.
private func lowBitSentence(_ best: [String: (method: String, accuracy: Double)], _ fp32: Double) -> String {
    let w8a8 = 100 * (best["W8A8"]!.accuracy - fp32), w4a4 = 100 * (best["W4A4"]!.accuracy - fp32)
    return "The best static PTQ is \(signedPoints(w8a8)) points from FP32 at W8A8 and \(signedPoints(w4a4)) at W4A4: "
        + (w4a4 > -0.25 ? "this MLP tolerates 16 levels per activation well, so QAT has little to recover." : "the 4-bit activations are where QAT has something to recover.")
}

/// What the entropy calibrator did, from the run's accuracies.
private func entropySentence(_ accuracy: [String: [String: Double]]) -> String {
    let entropy = accuracy["W8A8"]!["entropy (KL)"]!, minMax = accuracy["W8A8"]!["min-max"]!
    guard minMax - entropy > 0.01 else {
        return "The calibrators agree within a few test images at 8 bits; at 4 bits the clipping ones (percentile, MSE) matter more."
    }
    return "Entropy (KL) calibration costs \(fixed(100 * (minMax - entropy), 2)) points at W8A8 against min-max: on the first layer the background pixels form one spike that KL preserves by clipping the digit strokes. Percentile and MSE clipping do not have this failure."
}
