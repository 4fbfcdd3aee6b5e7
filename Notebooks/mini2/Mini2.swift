import Foundation
import Notebook
import NotebookSupport
import Plot
import Quant

/// Mini-project 2: train an MLP on MNIST in FP32, then quantize it
/// dynamically to int8 (weights once, activations per batch) and measure
/// what that costs and buys.
///
/// ```
/// swift run -c release notebook-mini2                                  # MNIST, full training
/// swift run -c release notebook-mini2 --dataset fashion-mnist          # into Figures/mini2-fashion-mnist/
/// swift run notebook-mini2 --quick                                     # a subset, for tests
/// ```
///
/// MNIST is found in `--data DIR`, else `$QUANT_DATA`, else the per-user
/// cache (downloaded there when missing); Fashion-MNIST also in Debian's
/// `/usr/share/datasets/fashion-mnist`. The trained FP32 model is cached
/// (keyed by the training settings and the data's checksum), so a second
/// run reuses it instead of retraining.
@main
struct Mini2: NotebookCommand {
    @OptionGroup var options: NotebookOptions
    @OptionGroup var modelOptions: ModelOptions

    static let notebook = NotebookInfo(name: "mini2", title: "Mini-project 2: dynamic int8 quantization of an MNIST MLP")

    var info: NotebookInfo {
        modelOptions.info(for: Self.notebook) { "Mini-project 2: dynamic int8 quantization of a \($0) MLP" }
    }

    func cells(_ nb: inout Notebook) throws {
        let kind = modelOptions.kind
        nb.seed = modelOptions.seed
        let quick = nb.isQuick
        let fp32Source = modelOptions.baseline(quick: quick)
        let settings = fp32Source.settings
        // Checkpoints are written (atomically) and measured on disk here.
        let scratch = try modelOptions.checkpointFolder(label: "notebook-mini2")
        defer { scratch.removeIfTemporary() }

        nb.markdown("""
            A trained network stores its weights as 32-bit floats and computes in
            floating point. *Dynamic post-training quantization* — what PyTorch's
            `quantize_dynamic` does — turns an already trained model into one that
            multiplies 8-bit integers instead, with no retraining and no calibration data:

            - the **weights** are quantized **once**, to int8 codes with a scale;
            - the **activations** are quantized **on the fly**, every batch, with a
              scale and zero-point from that batch's own minimum and maximum;
            - the matrix product runs on the integer codes, accumulating exactly in
              int32, and one multiplication by the two scales brings it back to float,
              where the bias is added.

            This notebook trains the model, quantizes it with the `Quant` library, and
            measures accuracy, size and speed. Every number below is computed in this run,
            which `swift run -c release notebook-mini2 --output DIR` repeats (add
            `--dataset fashion-mnist` for Fashion-MNIST); the training seed is
            \(settings.seed).
            """)

        try nb.code("The settings the cells share") { cell in
            cell.print("kind = \(kind): the dataset (--dataset); quick = \(quick): a small run for tests (--quick)")
            cell.print("settings: \(settings.summary)")
            cell.print("fp32Source: loads the data and trains the FP32 model with these settings, or loads it from the checkpoint cache")
            cell.print("scratch: the folder the checkpoints are written to and measured in (--checkpoints DIR keeps them)")
            cell.print("helpers: fixed(x, d), scientific(x), grouped(n), percent(p), signedPoints(x) format numbers;"
                + " imagesPerSecond(images, repeats:) { … } times a classification, best of `repeats`")
        }

        // MARK: Data

        let loaded = try nb.code("The data: \(kind)") { cell in
            let loaded = try fp32Source.loadData { cell.print($0) }
            let train = loaded.train, test = loaded.test
            cell.note("from \(loaded.folder.path)")
            cell.print("training set: \(grouped(train.count)) images of \(train.imageRows)×\(train.imageColumns) pixels → vectors of \(train.featureCount)")
            cell.print("test set:     \(grouped(test.count)) images")
            cell.print("pixels scaled to [0, 1], then normalised with the training set's mean \(fixed(train.normalization.mean, 4))"
                + " and std \(fixed(train.normalization.standardDeviation, 4)): a black pixel becomes \(fixed(train.normalization.apply(0), 4))")
            let names = kind.classNames
            try cell.table(["class", "name", "training images", "test images"],
                           (0..<train.classCount).map { [$0, names[$0], train.classCounts[$0], test.classCounts[$0]] })
            let shown = 32
            let figure = Figure.imageGrid((0..<shown).map { train.pixelIntensities(at: $0) },
                                          width: train.imageColumns, height: train.imageRows, columns: 8,
                                          captions: (0..<shown).map { names[Int(train.labels[$0])] },
                                          title: "The first \(shown) training images and their labels",
                                          figureWidth: 10, dpi: 150)
            try cell.figure("samples", figure, caption: "The first \(shown) training images of \(kind)")
            try cell.record(Mini2Results.trainingImages, train.count)
            try cell.record(Mini2Results.testImages, test.count)
            return loaded
        }

        // MARK: Model

        nb.markdown("""
            ## The model

            A multi-layer perceptron: the 784 pixels go through two hidden layers with
            ReLU and a final layer that gives one score (logit) per class. Each `Linear`
            layer computes `y = x·Wᵀ + b`, with `W` of shape `out × in`. Weights start
            from He initialisation, `W ~ N(0, 2/in)`.
            """)

        let parameterCount = try nb.code("Layers and parameter count") { cell in
            let model = try Sequential.mlp(sizes: settings.sizes, seed: settings.seed)
            let linears = model.layers(of: Linear.self)
            let rows: [[any CustomStringConvertible]] = linears.enumerated().map { i, layer in
                ["fc\(i + 1)", "\(layer.inputFeatures) → \(layer.outputFeatures)", grouped(layer.weight.count),
                 grouped(layer.bias.count), i < linears.count - 1 ? "ReLU" : "(logits)"]
            }
            try cell.table(["layer", "shape", "weights", "biases", "then"], rows)
            cell.print("\(grouped(model.parameterCount)) parameters, \(grouped(4 * model.parameterCount)) bytes as float32")
            try cell.record(Mini2Results.parameters, model.parameterCount)
            return model.parameterCount
        }

        // MARK: Training

        nb.markdown("""
            ## Training in FP32

            The recipe: Adam with learning rate 10⁻³ decayed to 0 along a cosine, batches
            of \(settings.batchSize), cross-entropy loss, \(settings.epochs) epochs\(quick ? " (quick run: \(grouped(settings.trainingExamples ?? 0)) training images only)" : ""). The matrix
            products run on OpenBLAS. A model trained with these exact settings on this
            exact data is kept in a checkpoint cache, so a second run loads it instead of
            training again.
            """)

        let training = try nb.code("Training (or loading the cached model)") { cell in
            let trained = try fp32Source.trainOrLoad(on: loaded, progress: ProgressBar())
            let run = trained.run, reused = trained.reused
            // Whether the model came from the cache, and where it is, differ from run to run: terminal only.
            cell.note((reused ? "Loaded from the checkpoint cache (trained by an earlier run with the same settings and data): "
                              : "Trained now, and stored in the checkpoint cache for later runs: ") + trained.checkpoint.path)
            cell.print("settings: \(settings.summary)")
            let rows: [[any CustomStringConvertible]] = run.history.map { report in
                [report.epoch, fixed(report.trainLoss, 4), report.trainAccuracy.map { percent($0) } ?? "–",
                 report.testAccuracy.map { percent($0) } ?? "–"]
            }
            try cell.table(["epoch", "training loss", "training accuracy", "test accuracy"], rows)

            // Epoch time: from this training run, or — for a cached model —
            // from an extra epoch timed now (the cache keeps no timings),
            // after a first one that warms the caches and OpenBLAS's threads.
            var epochSeconds = run.history.compactMap(\.seconds)
            if epochSeconds.isEmpty {
                var twice = settings
                twice.epochs = 2
                epochSeconds = Array(try Trainer(settings: twice).train(on: loaded.train).history.compactMap(\.seconds).suffix(1))
                cell.note("⏱ epoch time (an extra epoch timed now after a warm-up epoch, as the cached model carries no timings): \(fixed(epochSeconds[0], 3)) s")
            } else {
                cell.note("⏱ epoch times: " + epochSeconds.map { fixed($0, 3) + " s" }.joined(separator: ", "))
            }
            let imagesPerEpoch = settings.trainingExamples.map { min($0, loaded.train.count) } ?? loaded.train.count
            let typical = epochSeconds.sorted()[epochSeconds.count / 2]
            cell.note("⏱ median \(fixed(typical, 3)) s per epoch of \(grouped(imagesPerEpoch)) images = \(grouped(Int(Double(imagesPerEpoch) / typical))) images/s")
            try cell.record(Mini2Results.epochs, settings.epochs)
            try cell.record(Mini2Results.epochSeconds, typical)
            try cell.record(Mini2Results.epochSecondsSource, reused ? "an extra epoch timed after a warm-up epoch (model from cache)" : "this training run")
            try cell.record(Mini2Results.checkpointReused, reused)
            try cell.record(Mini2Results.testAccuracyPerEpoch, run.history.compactMap(\.testAccuracy))

            let epochs = run.history.map { Double($0.epoch) }
            var loss = Axes(title: "Training loss", xLabel: "epoch", yLabel: "mean cross-entropy")
            loss.add(Line(x: epochs, y: run.history.map(\.trainLoss), label: "training", marker: .circle))
            loss.legend = .hidden
            var accuracy = Axes(title: "Accuracy", xLabel: "epoch", yLabel: "accuracy (%)")
            accuracy.add(Line(x: epochs, y: run.history.compactMap { $0.trainAccuracy.map { 100 * $0 } }, label: "training", marker: .circle))
            accuracy.add(Line(x: epochs, y: run.history.compactMap { $0.testAccuracy.map { 100 * $0 } }, label: "test", marker: .square))
            accuracy.legend = .lowerRight
            if epochs.count <= 12 {
                loss.x.ticks = epochs
                accuracy.x.ticks = epochs
            }
            var figure = Figure(rows: 1, columns: 2, width: 10, height: 4, dpi: 150)
            figure.panels = [loss, accuracy]
            try cell.figure("training_curves", figure, caption: "Training loss and accuracy per epoch")
            return (run: run, reused: reused)
        }
        let fp32 = try nb.code("The FP32 model the rest of the notebook quantizes") { cell in
            let model = training.run.model
            cell.print("\(model.layers(of: Linear.self).count) Linear layers, widths \(model.widths.map(String.init).joined(separator: " → ")),"
                + " \(grouped(model.parameterCount)) parameters")
            return model
        }

        nb.markdown("""
            ## The FP32 baseline

            The reference every quantized model is measured against: the float model's
            accuracy on the \(grouped(loaded.test.count)) test images, and the size of its
            checkpoint (safetensors: a JSON header, then the float32 tensors).
            """)

        let baseline = try nb.code("FP32 accuracy and checkpoint size") { cell in
            let predictions = try fp32.predictions(for: loaded.test)
            let accuracy = Classification.accuracy(predictions, labels: loaded.test.labels)
            let bytes = try scratch.write(fp32.checkpoint(metadata: loaded.train.normalization.metadata), as: "mini2-\(kind.rawValue)-fp32.safetensors")
            cell.print("FP32 test accuracy: \(percent(accuracy, 2)) (\(grouped(Int((accuracy * Double(loaded.test.count)).rounded()))) of \(grouped(loaded.test.count)))")
            cell.print("FP32 checkpoint: \(grouped(bytes)) bytes on disk (\(grouped(parameterCount)) float32 parameters = \(grouped(4 * parameterCount)) bytes + header)")
            try cell.record(Mini2Results.fp32Accuracy, accuracy)
            try cell.record(Mini2Results.fp32Bytes, bytes)
            return (accuracy: accuracy, bytes: bytes, predictions: predictions)
        }

        // MARK: Dynamic quantization, on one layer

        nb.markdown("""
            ## How dynamic quantization works, on one layer

            Take `fc1` (784 → 256). **Once**, its weights become int8 codes with a
            *symmetric* scheme: zero-point 0, scale `s_w = max|W| / 127.5`, codes
            `q_w = clamp(round(W / s_w), −128, 127)`. This is PyTorch's default dynamic
            qconfig (full range −128…127), so PyTorch stores the same codes (run with
            `--checkpoints DIR`, then `Scripts/check_ptq_against_pytorch.py` compares them).
            Symmetric weights keep the integer product simple: no weight zero-point to
            subtract. *Per-channel* quantization gives each output row its own scale
            `s_w[j] = max|W[j, :]| / 127.5`, so a row of small weights is not forced
            onto a grid sized for the largest weight of the layer.

            **Every batch**, the input `x` gets its own *affine* uint8 scheme from its
            range (widened to contain 0): `s_x = (max − min) / 255`,
            `z_x = −round(min / s_x)`, `q_x = clamp(round(x / s_x) + z_x, 0, 255)`. Then

            ```
            acc[i, j] = Σ_k (q_x[i, k] − z_x) · q_w[j, k]        exact, in int32
            y[i, j]   = (s_x · s_w[j]) · acc[i, j] + b[j]          in float
            ```

            One difference from PyTorch: on x86 its dynamic `Linear` quantizes activations
            with `reduce_range=True`, i.e. to 0…127 (7 bits), because its AVX2 kernel adds
            pairs of u8·s8 products in int16, which could saturate. `Quant`'s kernels
            accumulate without saturation, so activations keep all 256 codes.

            The cell works this through for the first test batch of 256 images.
            """)

        let worked = try nb.code("fc1, step by step: scales, zero-point, one output") { cell in
            let fc1 = fp32.layers(of: Linear.self)[0]
            let perTensor = try DynamicQuantization.perTensor.quantize(fc1)
            let perChannel = try DynamicQuantization.perChannel.quantize(fc1)
            let maxAbs = fc1.weight.map(abs).max() ?? 0
            let sw = perTensor.weightQuantizer.params.scales[0]
            cell.print("weights: \(grouped(fc1.weight.count)) floats in [\(fixed(fc1.weight.min() ?? 0, 4)), \(fixed(fc1.weight.max() ?? 0, 4))],"
                + " max|W| = \(fixed(maxAbs, 5))")
            cell.print("per-tensor weight scale s_w = max|W| / 127.5 = \(scientific(sw)), zero-point \(perTensor.weightQuantizer.params.zeroPoints[0])")
            let channelScales = perChannel.weightQuantizer.params.scales
            cell.print("per-channel: \(channelScales.count) scales from \(scientific(channelScales.min() ?? 0)) to \(scientific(channelScales.max() ?? 0))"
                + " (median \(scientific(channelScales.sorted()[channelScales.count / 2])))")
            let codes = perTensor.weightCodes.scalars
            // |q| ≤ 32 is the middle quarter of the 256 codes: evenly spread weights would put 25 % there.
            let middle = Double(codes.filter { abs(Int($0)) <= 32 }.count) / Double(codes.count)
            cell.print("int8 codes in [\(codes.min() ?? 0), \(codes.max() ?? 0)]; \(Set(codes).count) of 256 codes used;"
                + " \(percent(middle)) of weights on the middle quarter of the codes, |q| ≤ 32")

            // The first test batch: its range gives the activation scale and zero-point.
            let rows = min(256, loaded.test.count)
            let batch = Array(loaded.test.images[0..<(rows * fc1.inputFeatures)])
            let activation = try DynamicActivationQuantizer.parameters(for: batch)
            let observer = try QuantParams(scheme: QuantScheme(bits: 8), observing: Tensor(batch))
            let lo = batch.min() ?? 0, hi = batch.max() ?? 0
            cell.print("")
            cell.print("first test batch: \(rows) × \(fc1.inputFeatures) inputs in [\(fixed(lo, 4)), \(fixed(hi, 4))]")
            cell.print("activation scale s_x = (\(fixed(hi, 4)) − (\(fixed(lo, 4)))) / 255 = \(scientific(activation.scale))")
            cell.print("activation zero-point z_x = −round(\(fixed(lo, 4)) / s_x) = −round(\(fixed(lo / activation.scale, 3))) = \(activation.zeroPoint)")
            let matches = observer.scales == [activation.scale] && observer.zeroPoints == [activation.zeroPoint]
            cell.print("same as Quant's MinMaxObserver (QuantParams, quint8): \(matches)")
            let background = lo   // the normalised value of a black pixel
            let backgroundCode = Int32((background / activation.scale).rounded(.toNearestOrEven)) + activation.zeroPoint
            let backgroundBack = activation.dequantize(UInt8(clamping: backgroundCode))
            let blackShare = Double(batch.filter { $0 == background }.count) / Double(batch.count)
            cell.print("a black pixel (\(fixed(background, 4))) becomes code \(backgroundCode), which dequantizes to \(fixed(backgroundBack, 4))"
                + " (error \(fixed(abs(background - backgroundBack), 4)) ≤ s_x/2 = \(fixed(activation.scale / 2, 4)));"
                + " \(percent(blackShare)) of this batch's pixels are black")

            // One output worked in integers, for the first image and output neuron 0.
            var codesX = [UInt8](repeating: 0, count: batch.count)
            try DynamicActivationQuantizer.quantize(batch, with: activation, into: &codesX)
            let k = fc1.inputFeatures
            var acc: Int32 = 0
            for t in 0..<k { acc += (Int32(codesX[t]) - activation.zeroPoint) * Int32(codes[t]) }
            let rescaled = activation.scale * sw * Float(acc) + fc1.bias[0]
            let floatY = try fc1(Tensor(shape: [1, k], scalars: Array(batch[0..<k]))).scalars
            let int8Y = try perTensor(Tensor(shape: [rows, k], scalars: batch)).scalars
            cell.print("")
            cell.print("image 0, output 0: acc = Σ (q_x − \(activation.zeroPoint))·q_w = \(acc)")
            cell.print("  y = s_x·s_w·acc + b = \(scientific(activation.scale)) · \(scientific(sw)) · \(acc) + \(fixed(fc1.bias[0], 5)) = \(fixed(rescaled, 5))")
            cell.print("  the layer's int8 path gives \(fixed(int8Y[0], 5)); the float layer \(fixed(floatY[0], 5))")
            let shown = 6
            let table: [[any CustomStringConvertible]] = (0..<shown).map { j in
                [j, fixed(floatY[j], 5), fixed(int8Y[j], 5), scientific(int8Y[j] - floatY[j])]
            }
            try cell.table(["output j", "float y", "int8 y", "int8 − float"], table)
            let worst = zip(floatY, int8Y.prefix(fc1.outputFeatures)).map { abs($0 - $1) }.max() ?? 0
            let spread = floatY.map(abs).max() ?? 1
            cell.print("largest difference over the 256 outputs of image 0: \(scientific(worst)) (outputs reach \(fixed(spread, 3)))")
            try cell.record(Mini2Results.fc1WeightScalePerTensor, sw)
            try cell.record(Mini2Results.fc1ActivationScale, activation.scale)
            try cell.record(Mini2Results.fc1ActivationZeroPoint, Int(activation.zeroPoint))
            try cell.record(Mini2Results.fc1ActivationMatchesObserver, matches)
            return (weightScale: sw, activation: activation, background: background, backgroundBack: backgroundBack, blackShare: blackShare)
        }

        nb.markdown("""
            ## The background pixel, and how to make it exact

            Mini-project 1's lesson was that 0 must be exactly representable, because
            it is everywhere. Here the most common input is not 0 but a black pixel:
            after normalisation it is `(0 − mean)/std` = \(fixed(worked.background, 4)), and it comes back
            from the first batch's grid as \(fixed(worked.backgroundBack, 4)), the same small error on
            \(percent(worked.blackShare)) of that batch's pixels, which adds up in every dot product of
            `fc1` just as §2 of mini-project 1 showed for a misplaced 0.

            The fix costs nothing at run time: fold the normalisation into `fc1`. Since
            `W·((p − mean)/std) + b = (W/std)·p + (b − (mean/std)·Σₖ W[:, k])`, a layer with
            weights `W/std` and that bias, fed raw pixels `p ∈ [0, 1]`, computes the same
            function. Its input range starts at 0, so `z_x = 0` and a black pixel is
            code 0, exactly; and the raw pixels are multiples of 1/255, which is the
            step of a batch whose brightest pixel is 1, so every input pixel is exact.
            """)

        let folded = try nb.code("Folding the normalisation into fc1") { cell in
            let normalization = loaded.train.normalization
            let linears = fp32.layers(of: Linear.self)
            let fc1 = linears[0]
            let mean = normalization.mean, std = normalization.standardDeviation
            var weight = fc1.weight, bias = fc1.bias
            for j in 0..<fc1.outputFeatures {
                var rowSum: Float = 0
                for k in 0..<fc1.inputFeatures {
                    rowSum += fc1.weight[j * fc1.inputFeatures + k]
                    weight[j * fc1.inputFeatures + k] = fc1.weight[j * fc1.inputFeatures + k] / std
                }
                bias[j] = fc1.bias[j] - mean / std * rowSum
            }
            let foldedFC1 = try Linear(weight: Tensor(shape: [fc1.outputFeatures, fc1.inputFeatures], scalars: weight), bias: Tensor(bias))
            let foldedModel = try fp32.mapLayers { index, layer in index == 0 ? foldedFC1 : nil }

            // The test images as raw pixels k/255 (the normalisation undone, rounded back onto the 1/255 grid).
            let test = quick ? loaded.test.prefix(1000) : loaded.test
            let raw = try ImageDataset(images: test.images.map { ($0 * std + mean) * 255 }.map { $0.rounded() / 255 }, labels: test.labels,
                                       imageRows: test.imageRows, imageColumns: test.imageColumns, classCount: test.classCount)
            let firstBatch = Array(raw.images[0..<(min(256, raw.count) * raw.featureCount)])
            let activation = try DynamicActivationQuantizer.parameters(for: firstBatch)
            var codes = [UInt8](repeating: 0, count: firstBatch.count)
            try DynamicActivationQuantizer.quantize(firstBatch, with: activation, into: &codes)
            let inputError = zip(firstBatch, codes).map { abs($0 - activation.dequantize($1)) }.max() ?? 0
            cell.print("first batch of raw pixels: s_x = \(scientific(activation.scale)) (1/255 = \(scientific(Float(1) / 255))), z_x = \(activation.zeroPoint);"
                + " largest input error \(scientific(inputError))")

            let fp = Array(baseline.predictions.prefix(test.count))
            let foldedFP32 = try foldedModel.predictions(for: raw)
            var rows: [[any CustomStringConvertible]] = []
            var results: [String: [Int32]] = [:], plainResults: [String: [Int32]] = [:]
            for granularity in DynamicQuantization.Granularity.allCases {
                let recipe = try DynamicQuantization(granularity: granularity)
                let plain = try fp32.quantized(with: recipe).predictions(for: test)
                let foldedInt8 = try foldedModel.quantized(with: recipe).predictions(for: raw)
                for (name, predictions) in [("normalised input", plain), ("folded, raw pixels", foldedInt8)] {
                    let changed = zip(predictions, fp).filter { $0 != $1 }.count
                    let mcnemar = McNemarTest(predictions: predictions, against: fp, labels: test.labels)
                    rows.append(["int8 \(granularity.rawValue)", name, percent(Classification.accuracy(predictions, labels: test.labels), 2), changed,
                                 "\(mcnemar.onlySecondCorrect) / \(mcnemar.onlyFirstCorrect)"])
                }
                results[granularity.rawValue] = foldedInt8
                plainResults[granularity.rawValue] = plain
            }
            cell.print("on \(grouped(test.count)) test images, folded FP32 against FP32: \(zip(foldedFP32, fp).filter { $0 != $1 }.count) predictions differ")
            try cell.table(["model", "fc1 input", "test accuracy", "changed vs FP32", "right→wrong / wrong→right"], rows)
            let changedPlain = zip(plainResults["per-tensor"]!, fp).filter { $0 != $1 }.count
            let changedFolded = zip(results["per-tensor"]!, fp).filter { $0 != $1 }.count
            let changedPlainChannel = zip(plainResults["per-channel"]!, fp).filter { $0 != $1 }.count
            let changedFoldedChannel = zip(results["per-channel"]!, fp).filter { $0 != $1 }.count
            try cell.record(Mini2Results.foldedInputError, inputError)
            try cell.record(Mini2Results.foldedChangedPredictions, ["normalised": changedPlain, "folded": changedFolded])
            let p = McNemarTest(predictions: results["per-tensor"]!, against: plainResults["per-tensor"]!, labels: test.labels).pValue
            return (inputError: inputError, plain: changedPlain, folded: changedFolded, plainChannel: changedPlainChannel,
                    foldedChannel: changedFoldedChannel, p: p)
        }

        nb.markdown("""
            With the normalisation folded in, the largest error on `fc1`'s input is
            \(scientific(folded.inputError)) (Float32 rounding of `s·q`), against up to half a step before.
            The count of predictions per-tensor int8 changes against FP32 goes from \(folded.plain) to \(folded.folded)
            (per-channel: from \(folded.plainChannel) to \(folded.foldedChannel)):
            \(folded.p >= 0.05 ? "at these counts the difference is noise (McNemar p = \(fixed(folded.p, 3)) between the folded and the plain per-tensor int8 models): the fold removes a systematic input error for free, but this model was not limited by it" : "a significant change (McNemar p = \(fixed(folded.p, 3)) between the folded and the plain per-tensor int8 models)")
            — the activations of `fc2` and `fc3` and the weights still carry theirs. The rest of
            the notebook keeps the standard normalised input, as PyTorch's
            `quantize_dynamic` would see it.
            """)

        // MARK: The quantized model

        nb.markdown("""
            ## The whole model in int8

            `model.quantized(with: recipe)` replaces each `Linear` layer with the recipe's
            `DynamicQuantizedLinear`; the ReLUs stay in float, and each layer quantizes its own input per
            batch (after a ReLU the minimum is 0, so `z_x = 0` and all 256 codes cover the
            positive range). The quantized checkpoint stores int8 codes plus one float
            scale per tensor or per channel, and the float biases. Test accuracy is
            computed 1000 images at a time (the activation ranges are those of each batch
            of 1000; the next section shows what other batch sizes do). Speed is the
            number of test images classified per second (arg-max included) at batch 256
            and at batch 1, FP32 through OpenBLAS, int8 through the \(Int8Kernel.fastest) kernel.
            """)

        let comparison = try nb.code("Accuracy, size and speed: FP32 against int8") { cell in
            let speedImages = quick ? loaded.test.prefix(1000) : loaded.test
            var rows: [[any CustomStringConvertible]] = []
            let fp32Speed = (b256: try imagesPerSecond(speedImages, repeats: quick ? 1 : 5) { try fp32.predictions(for: speedImages, batchSize: 256) },
                             b1: try imagesPerSecond(speedImages, repeats: quick ? 1 : 3) { try fp32.predictions(for: speedImages, batchSize: 1) })
            rows.append(["FP32", percent(baseline.accuracy, 2), "–", grouped(baseline.bytes), "1.00×"])
            cell.note("⏱ FP32: \(grouped(Int(fp32Speed.b256))) images/s at batch 256, \(grouped(Int(fp32Speed.b1))) at batch 1")
            var results: [DynamicQuantization.Granularity: (model: Sequential, accuracy: Double, bytes: Int, predictions: [Int32],
                                                            b256: Double, b1: Double)] = [:]
            for granularity in DynamicQuantization.Granularity.allCases {
                let model = try fp32.quantized(with: DynamicQuantization(granularity: granularity))
                let predictions = try model.predictions(for: loaded.test)
                let accuracy = Classification.accuracy(predictions, labels: loaded.test.labels)
                let bytes = try scratch.write(model.checkpoint(metadata: loaded.train.normalization.metadata),
                                              as: "mini2-\(kind.rawValue)-int8-\(granularity.rawValue).safetensors")
                let b256 = try imagesPerSecond(speedImages, repeats: quick ? 1 : 5) { try model.predictions(for: speedImages, batchSize: 256) }
                let b1 = try imagesPerSecond(speedImages, repeats: quick ? 1 : 3) { try model.predictions(for: speedImages, batchSize: 1) }
                results[granularity] = (model, accuracy, bytes, predictions, b256, b1)
                rows.append(["int8 \(granularity.rawValue)", percent(accuracy, 2), signedPoints(100 * (accuracy - baseline.accuracy)),
                             grouped(bytes), fixed(Double(baseline.bytes) / Double(bytes), 2) + "×"])
                cell.note("⏱ int8 \(granularity.rawValue): \(grouped(Int(b256))) images/s at batch 256, \(grouped(Int(b1))) at batch 1")
            }
            try cell.table(["model", "test accuracy", "Δ (points)", "checkpoint bytes", "smaller by"], rows)
            let perTensor = results[.perTensor]!, perChannel = results[.perChannel]!
            cell.note("⏱ int8 per-tensor vs FP32 speed: \(fixed(perTensor.b256 / fp32Speed.b256, 2))× at batch 256,"
                + " \(fixed(perTensor.b1 / fp32Speed.b1, 2))× at batch 1 (speeds measured on \(grouped(speedImages.count)) test images;"
                + " they vary with the machine's load)")
            // The machine behind the speeds: the CPU's name (Linux), its cores and OpenBLAS's threads.
            let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            let cpu = cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }
                .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "an unnamed CPU"
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let machine = "\(cpu), \(cores) cores; FP32 on OpenBLAS (\(BLASConfiguration.current.coreName) kernels, \(BLASConfiguration.current.threads) threads),"
                + " int8 on the \(Int8Kernel.fastest) kernel, which splits large batches over the \(cores) cores"
            cell.print("measured on \(machine)")

            // The two kernels behind one interface give the same bits.
            let checked = loaded.test.prefix(quick ? 50 : 1000)
            let reference = try perTensor.model.repacked(for: .reference)
            let same = try reference.predictions(for: checked, batchSize: 256) == perTensor.model.predictions(for: checked, batchSize: 256)
            let eight = try Tensor(shape: [8, checked.featureCount], scalars: Array(checked.images[0..<(8 * checked.featureCount)]))
            let referenceLogits = try reference.logits(eight), fastLogits = try perTensor.model.logits(eight)
            cell.print("reference kernel vs \(Int8Kernel.fastest): same predictions on \(grouped(checked.count)) images: \(same);"
                + " logits of 8 images bit-identical: \(referenceLogits == fastLogits)")

            try cell.record(Mini2Results.int8Accuracy, ["per_tensor": perTensor.accuracy, "per_channel": perChannel.accuracy])
            try cell.record(Mini2Results.int8Bytes, ["per_tensor": perTensor.bytes, "per_channel": perChannel.bytes])
            try cell.record(Mini2Results.accuracyDropPoints, ["per_tensor": 100 * (baseline.accuracy - perTensor.accuracy),
                                                              "per_channel": 100 * (baseline.accuracy - perChannel.accuracy)])
            try cell.record(Mini2Results.sizeRatio, Double(baseline.bytes) / Double(perTensor.bytes))
            try cell.record(Mini2Results.imagesPerSecond, ["fp32_b256": fp32Speed.b256, "fp32_b1": fp32Speed.b1,
                                                           "int8_b256": perTensor.b256, "int8_b1": perTensor.b1,
                                                           "int8_per_channel_b256": perChannel.b256, "int8_per_channel_b1": perChannel.b1])
            try cell.record(Mini2Results.kernelsAgree, same && referenceLogits == fastLogits)
            return (perTensor: perTensor, perChannel: perChannel, fp32Speed: fp32Speed, machine: machine)
        }

        // MARK: Batch dependence

        nb.markdown("""
            ## The answer depends on the batch

            A dynamic quantizer takes its activation range from the batch it is given,
            so the same image can be classified differently alone and in company: one
            bright image in a batch coarsens the grid of all the others. The cell
            classifies the test set at batch 1, 256 and 1000 and counts the predictions
            that differ from FP32 (whose answer does not depend on the batch) and from
            the batch-1000 run used above.
            """)

        let batchDependence = try nb.code("Accuracy and changed predictions at batch 1, 256 and 1000") { cell in
            let test = quick ? loaded.test.prefix(1000) : loaded.test
            let fp = Array(baseline.predictions.prefix(test.count))
            var rows: [[any CustomStringConvertible]] = []
            var changed: [String: [Int]] = [:]
            for (granularity, model) in [("per-tensor", comparison.perTensor.model), ("per-channel", comparison.perChannel.model)] {
                let reference = try model.predictions(for: test, batchSize: 1000)
                for batchSize in [1, 256, 1000] {
                    let predictions = try model.predictions(for: test, batchSize: batchSize)
                    let againstFP32 = zip(predictions, fp).filter { $0 != $1 }.count
                    let againstBatch1000 = zip(predictions, reference).filter { $0 != $1 }.count
                    rows.append(["int8 \(granularity)", batchSize, percent(Classification.accuracy(predictions, labels: test.labels), 2),
                                 againstFP32, againstBatch1000])
                    changed[granularity.replacingOccurrences(of: "-", with: "_"), default: []].append(againstFP32)
                }
            }
            cell.print("on \(grouped(test.count)) test images")
            try cell.table(["model", "batch", "test accuracy", "changed vs FP32", "changed vs batch 1000"], rows)
            try cell.record(Mini2Results.changedByBatchSize, changed)
            return changed
        }

        // MARK: Disagreements

        nb.markdown("""
            ## Where FP32 and int8 disagree

            Accuracy is a net figure: some test images change their predicted class,
            some for the better. Below are the images whose prediction changed between
            FP32 and int8 per-tensor, and the FP32 confusion matrix with what int8
            changes in it (rows: true class, columns: predicted class).

            Is a difference of a few images real? McNemar's test looks only at the
            images on which exactly one of two models is right: `b` that only the first
            gets right, `c` only the second. If the two were equally accurate, each of
            these `b + c` images would be a fair coin toss, and the two-sided p-value is
            `p = min(1, 2·Σ_{i ≤ min(b, c)} C(b + c, i) / 2^(b + c))`. A p-value above
            0.05 means the test set cannot tell the two models apart.
            """)

        let disagreement = try nb.code("Changed predictions, their significance and the confusion matrix") { cell in
            let test = loaded.test
            let int8 = comparison.perTensor.predictions
            let fp = baseline.predictions
            let changed = (0..<test.count).filter { fp[$0] != int8[$0] }
            let fixedByInt8 = changed.filter { int8[$0] == test.labels[$0] }.count
            let brokenByInt8 = changed.filter { fp[$0] == test.labels[$0] }.count
            let perChannelChanged = (0..<test.count).filter { fp[$0] != comparison.perChannel.predictions[$0] }.count
            cell.print("per-tensor int8 changes the prediction of \(changed.count) of \(grouped(test.count)) test images: \(brokenByInt8) from right to wrong,"
                + " \(fixedByInt8) from wrong to right, \(changed.count - fixedByInt8 - brokenByInt8) from one wrong class to another")
            cell.print("per-channel int8 changes \(perChannelChanged)")
            let pairs: [(String, [Int32], String, [Int32])] = [
                ("int8 per-tensor", int8, "FP32", fp),
                ("int8 per-channel", comparison.perChannel.predictions, "FP32", fp),
                ("int8 per-channel", comparison.perChannel.predictions, "int8 per-tensor", int8),
            ]
            var pValues: [String: Double] = [:]
            try cell.table(["model", "against", "only the model right (b)", "only the other right (c)", "McNemar p"], pairs.map { a, pa, b, pb in
                let test = McNemarTest(predictions: pa, against: pb, labels: test.labels)
                pValues["\(a) vs \(b)"] = test.pValue
                return [a, b, test.onlyFirstCorrect, test.onlySecondCorrect, fixed(test.pValue, 3)]
            })
            let names = kind.classNames
            let shown = Array(changed.prefix(16))
            if shown.isEmpty {
                cell.print("no test image changed its prediction, so there is no grid to show")
            } else {
                let caption: (Int) -> String = kind == .mnist
                    ? { "\(test.labels[$0]): \(fp[$0]) → \(int8[$0])" }
                    : { "\(names[Int(test.labels[$0])])\n\(names[Int(fp[$0])]) → \(names[Int(int8[$0])])" }
                let figure = Figure.imageGrid(shown.map { test.pixelIntensities(at: $0) },
                                              width: test.imageColumns, height: test.imageRows,
                                              columns: min(kind == .mnist ? 8 : 6, shown.count), captions: shown.map(caption),
                                              title: (shown.count == changed.count ? "All \(changed.count)" : "\(shown.count) of the \(changed.count)")
                                                  + " test images whose prediction changed (true class, then FP32 → int8)",
                                              figureWidth: 10, dpi: 150)
                try cell.figure("changed_predictions", figure, caption: "Test images whose prediction changed, FP32 → int8 per-tensor")
            }

            let fpMatrix = ConfusionMatrix(predicted: fp, labels: test.labels, classes: test.classCount)
            let int8Matrix = ConfusionMatrix(predicted: int8, labels: test.labels, classes: test.classCount)
            let figure = Figure.confusionMatrices(fpMatrix, titled: "FP32", against: int8Matrix, titled: "int8 per-tensor")
            try cell.figure("confusion_matrices", figure, caption: "The FP32 confusion matrix and what int8 per-tensor changes in it")
            try cell.record(Mini2Results.changedPredictions, changed.count)
            try cell.record(Mini2Results.changedRightToWrong, brokenByInt8)
            try cell.record(Mini2Results.changedWrongToRight, fixedByInt8)
            try cell.record(Mini2Results.mcNemarPValues, pValues)
            return (changed: changed.count, broken: brokenByInt8, fixed: fixedByInt8, perChannelChanged: perChannelChanged, pValues: pValues)
        }

        // MARK: Weight histograms

        nb.markdown("""
            ## The weights before and after int8

            Top row: each layer's float weights, with the per-tensor grid's end points
            ±127.5·s_w (dashed). Bottom row: the int8 codes that replace them. Both use
            a logarithmic count axis: the rare large weights that set the scale are a
            handful among tens of thousands and would not show on a linear one. The
            table counts the weights on the middle quarter of the codes (|q| ≤ 32),
            where an even spread would put 25 %. Each layer's SQNR is followed by the
            SQNR of all weights together, `10·log₁₀(Σ W² / Σ (W − Ŵ)²)` over the three
            layers, which weighs each layer by its size and energy (an average of
            decibels would give `fc3`'s 1,280 weights the vote of `fc1`'s 200,704).
            """)

        let histograms = try nb.code("Weight histograms per layer") { cell in
            let linears = fp32.layers(of: Linear.self)
            let perTensorLayers = comparison.perTensor.model.layers(of: DynamicQuantizedLinear.self)
            let perChannelLayers = comparison.perChannel.model.layers(of: DynamicQuantizedLinear.self)
            var figure = Figure(rows: 2, columns: linears.count, width: 5 * Double(linears.count), height: 7.5, dpi: 150)
            figure.title = "Weights of each layer: float (top) and int8 per-tensor codes (bottom)"
            var rows: [[any CustomStringConvertible]] = []
            var sqnr: [String: [Double]] = ["per_tensor": [], "per_channel": []]
            var energy = 0.0, noise = ["per_tensor": 0.0, "per_channel": 0.0]
            for (i, layer) in linears.enumerated() {
                let (q, qc) = (perTensorLayers[i], perChannelLayers[i])
                let s = Double(q.weightQuantizer.params.scales[0])
                var top = Axes(title: "fc\(i + 1): \(grouped(layer.weight.count)) float weights", xLabel: "weight", yLabel: "count")
                top.y.scale = .log10
                top.add(Histogram(layer.weight.map(Double.init), bins: .count(100), range: -127.5 * s...127.5 * s, label: "float32"))
                top.add(ReferenceLine.vertical(x: -127.5 * s, label: "±127.5·s_w", color: .gray))
                top.add(ReferenceLine.vertical(x: 127.5 * s, color: .gray))
                top.y.min = 0.5
                top.y.max = Double(layer.weight.count)
                top.legend = .best
                var bottom = Axes(title: "fc\(i + 1): int8 codes, s_w = \(scientific(s))", xLabel: "code q_w", yLabel: "count", yScale: .log10)
                bottom.y.min = 0.5
                bottom.add(Histogram(q.weightCodes.scalars.map(Double.init), bins: .edges(stride(from: -128.5, through: 127.5, by: 1).map { $0 }),
                                     label: "int8 codes"))
                bottom.x.min = -128.5
                bottom.x.max = 127.5
                bottom.x.ticks = [-128, -64, 0, 64, 127]
                bottom.legend = .hidden
                figure[0, i] = top
                figure[1, i] = bottom
                let perTensorSQNR = try QuantizationErrorStats(original: layer.weightTensor, reconstructed: q.dequantizedWeight).sqnrDecibels
                let perChannelSQNR = try QuantizationErrorStats(original: layer.weightTensor, reconstructed: qc.dequantizedWeight).sqnrDecibels
                sqnr["per_tensor"]!.append(perTensorSQNR)
                sqnr["per_channel"]!.append(perChannelSQNR)
                energy += layer.weight.reduce(0) { $0 + Double($1) * Double($1) }
                for (key, reconstructed) in [("per_tensor", q.dequantizedWeight), ("per_channel", qc.dequantizedWeight)] {
                    noise[key]! += zip(layer.weight, reconstructed.scalars).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
                }
                let codes = q.weightCodes.scalars
                rows.append(["fc\(i + 1)", fixed(layer.weight.map(abs).max() ?? 0, 4), scientific(s), Set(codes).count,
                             percent(Double(codes.filter { abs(Int($0)) <= 32 }.count) / Double(codes.count)),
                             fixed(perTensorSQNR, 1), fixed(perChannelSQNR, 1)])
            }
            let pooled = noise.mapValues { 10 * log10(energy / $0) }
            let total = linears.reduce(0) { $0 + $1.weight.count }
            rows.append(["all \(grouped(total))", "", "", "", "", fixed(pooled["per_tensor"]!, 1), fixed(pooled["per_channel"]!, 1)])
            try cell.table(["layer", "max|W|", "s_w", "codes used", "|q| ≤ 32", "SQNR per-tensor (dB)", "SQNR per-channel (dB)"], rows)
            try cell.figure("weight_histograms", figure, caption: "Float weights and their int8 codes, per layer")
            try cell.record(Mini2Results.weightSQNR, ["per_tensor": sqnr["per_tensor"]!, "per_channel": sqnr["per_channel"]!])
            try cell.record(Mini2Results.pooledWeightSQNR, pooled)
            return pooled
        }

        // MARK: Activation histograms

        nb.markdown("""
            ## The activations, which dynamic quantization rescales every batch

            The weights are quantized once; the activations are what the dynamic scheme
            quantizes at run time, with a new range per batch. Below, the input of each
            layer over the test images (logarithmic counts), with the band in which
            the per-batch maxima fall at batch 256: every batch gets its own `s_x`, and
            the table lists how far they spread. After a ReLU most inputs are exactly
            0, which an affine grid with `min = 0` stores exactly (`z_x = 0`).
            """)

        let activations = try nb.code("Each layer's input: histogram and per-batch ranges") { cell in
            let linears = fp32.layers(of: Linear.self)
            let test = quick ? loaded.test.prefix(1000) : loaded.test
            let batchSize = 256
            var inputs: [[Float]] = Array(repeating: [], count: linears.count)
            var batchRanges: [[(min: Float, max: Float)]] = Array(repeating: [], count: linears.count)
            for start in stride(from: 0, to: test.count, by: batchSize) {
                let rows = min(batchSize, test.count - start)
                var x = try Tensor(shape: [rows, test.featureCount],
                                   scalars: Array(test.images[(start * test.featureCount)..<((start + rows) * test.featureCount)]))
                for (i, layer) in linears.enumerated() {
                    inputs[i] += x.scalars
                    batchRanges[i].append((min(x.scalars.min()!, 0), max(x.scalars.max()!, 0)))
                    x = try layer(x)
                    if i < linears.count - 1 { x = try Tensor(shape: x.shape, scalars: x.scalars.map { max($0, 0) }) }
                }
            }
            var rows: [[any CustomStringConvertible]] = []
            var figure = Figure(rows: 1, columns: linears.count, width: 5 * Double(linears.count), height: 4.2, dpi: 150)
            figure.title = "The input of each layer on \(grouped(test.count)) test images;"
                + " shaded: where the \(batchRanges[0].count) per-batch maxima fall (batch \(batchSize))"
            for (i, values) in inputs.enumerated() {
                let maxima = batchRanges[i].map(\.max), minima = batchRanges[i].map(\.min)
                let scales = batchRanges[i].map { ($0.max - $0.min) / 255 }
                let zeros = Double(values.filter { $0 == 0 }.count) / Double(values.count)
                rows.append(["fc\(i + 1)", grouped(values.count), "[\(fixed(values.min()!, 3)), \(fixed(values.max()!, 3))]",
                             "\(fixed(minima.min()!, 3))…\(fixed(minima.max()!, 3))", "\(fixed(maxima.min()!, 3))…\(fixed(maxima.max()!, 3))",
                             "\(scientific(scales.min()!))…\(scientific(scales.max()!))", percent(zeros)])
                let title = maxima.min()! == maxima.max()! ? "input of fc\(i + 1) (every batch's max: \(fixed(maxima[0], 3)))" : "input of fc\(i + 1)"
                var axes = Axes(title: title, xLabel: "value", yLabel: i == 0 ? "count" : nil, yScale: .log10)
                axes.add(Span.vertical(from: Double(maxima.min()!), to: Double(maxima.max()!), label: "per-batch max",
                                       color: Color(hex: 0xD55E00, alpha: 0.3)))
                axes.add(Histogram(values.map(Double.init), bins: .count(80), label: "values"))
                axes.y.min = 0.5
                axes.legend = .best
                figure[0, i] = axes
            }
            try cell.table(["input of", "values", "range over the test set", "per-batch min", "per-batch max", "per-batch s_x", "exactly 0"], rows)
            try cell.figure("activation_histograms", figure, caption: "Each layer's input over the test set and the spread of its per-batch maxima")
            let spread = batchRanges.map { ranges in Double(ranges.map(\.max).max()! / ranges.map(\.max).min()!) }
            try cell.record(Mini2Results.activationMaxSpread, spread)
            return spread
        }

        // MARK: Bit-width sweep

        nb.markdown("""
            ## Fewer bits: where quantization starts to break

            At 8 bits every change so far is a handful of test images. To see what the
            choices matter for, the cell lowers the bits: weights at 8, 6, 4, 3 and 2
            bits (symmetric, per tensor or per channel) and activations at 8, 6 and 4
            bits (affine, per batch of 1000 as above) or left in float (*weight-only*
            quantization). It simulates each configuration by *fake quantization*:
            weights and inputs are rounded onto their grids and multiplied in float,
            which gives the integer kernel's result up to float rounding (the first row
            checks this against the real int8 model). Each row's p-value is McNemar's
            test against FP32; the last column tests per-channel against per-tensor.
            """)

        let sweep = try nb.code("Weight and activation bits, per-tensor and per-channel") { cell in
            let test = quick ? loaded.test.prefix(1000) : loaded.test
            let fp = Array(baseline.predictions.prefix(test.count))
            let linears = fp32.layers(of: Linear.self)
            let batchSize = 1000
            // The model with weights rounded onto a `bits`-bit symmetric grid, and its inputs onto `activationBits` per batch.
            func predictions(weightBits: Int, activationBits: Int?, perChannel: Bool) throws -> [Int32] {
                let scheme = try QuantScheme(bits: weightBits, signed: true, mapping: .symmetric(restrictedRange: false),
                                             granularity: perChannel ? .perChannel(axis: 0) : .perTensor)
                let layers = try linears.map { layer in
                    try Linear(weight: Quantizer(scheme: scheme, observing: layer.weightTensor).fakeQuantize(layer.weightTensor), bias: layer.biasTensor)
                }
                var out: [Int32] = []
                for start in stride(from: 0, to: test.count, by: batchSize) {
                    let rows = min(batchSize, test.count - start)
                    var x = try Tensor(shape: [rows, test.featureCount],
                                       scalars: Array(test.images[(start * test.featureCount)..<((start + rows) * test.featureCount)]))
                    for (i, layer) in layers.enumerated() {
                        if let activationBits {
                            x = try Quantizer(scheme: QuantScheme(bits: activationBits), observing: x).fakeQuantize(x)
                        }
                        x = try layer(x)
                        if i < layers.count - 1 { x = try Tensor(shape: x.shape, scalars: x.scalars.map { max($0, 0) }) }
                    }
                    let classes = x.shape[1]
                    for r in 0..<rows {
                        let logits = x.scalars[(r * classes)..<((r + 1) * classes)]
                        out.append(Int32(logits.indices.max { logits[$0] < logits[$1] }! - r * classes))
                    }
                }
                return out
            }
            let simulated = try predictions(weightBits: 8, activationBits: 8, perChannel: false)
            let real = Array(comparison.perTensor.predictions.prefix(test.count))
            cell.print("check: simulated W8A8 per-tensor and the int8 model differ on \(zip(simulated, real).filter { $0 != $1 }.count) of \(grouped(test.count)) predictions")

            let weightBits = [8, 6, 4, 3, 2], activationBits: [Int?] = [nil, 8, 6, 4]
            var rows: [[any CustomStringConvertible]] = []
            var accuracy: [String: [Double]] = [:], changedCounts: [String: [Int]] = [:]
            let pText = { (p: Double) in p < 0.001 ? "< 0.001" : fixed(p, 3) }
            var significant: [String] = [], channelWins: [String] = [], largestInsignificant = 0
            // Per activation width and granularity, the widest weights whose predictions differ significantly from FP32.
            var firstBreak: [String: Int] = [:]
            for a in activationBits {
                for w in weightBits {
                    let tensor = try predictions(weightBits: w, activationBits: a, perChannel: false)
                    let channel = try predictions(weightBits: w, activationBits: a, perChannel: true)
                    let name = "W\(w)" + (a.map { "A\($0)" } ?? " weight-only")
                    var row: [any CustomStringConvertible] = [w, a.map(String.init) ?? "float"]
                    for (key, p) in [("per_tensor", tensor), ("per_channel", channel)] {
                        let acc = Classification.accuracy(p, labels: test.labels)
                        let test = McNemarTest(predictions: p, against: fp, labels: test.labels)
                        let changed = zip(p, fp).filter { $0 != $1 }.count
                        accuracy["\(key)_" + (a.map { "a\($0)" } ?? "float"), default: []].append(acc)
                        changedCounts["\(key)_" + (a.map { "a\($0)" } ?? "float"), default: []].append(changed)
                        row += [percent(acc, 2), changed, pText(test.pValue)]
                        if test.pValue < 0.05 {
                            significant.append("\(name) \(key.replacingOccurrences(of: "_", with: "-"))")
                            let breakKey = "\(key) " + (a.map { "A\($0)" } ?? "weight-only")
                            firstBreak[breakKey] = max(firstBreak[breakKey] ?? 0, w)
                        } else {
                            largestInsignificant = max(largestInsignificant, changed)
                        }
                    }
                    let versus = McNemarTest(predictions: channel, against: tensor, labels: test.labels)
                    row.append(pText(versus.pValue))
                    if versus.pValue < 0.05 && versus.onlyFirstCorrect > versus.onlySecondCorrect { channelWins.append(name) }
                    rows.append(row)
                }
            }
            try cell.table(["W bits", "A bits", "per-tensor", "changed", "p vs FP32", "per-channel", "changed", "p vs FP32", "p channel vs tensor"], rows)
            let breaks = activationBits.map { a -> (String, String, String) in
                let name = a.map { "A\($0)" } ?? "weight-only"
                return (name, firstBreak["per_tensor \(name)"].map { "W\($0)" } ?? "none", firstBreak["per_channel \(name)"].map { "W\($0)" } ?? "none")
            }
            try cell.table(["activations", "widest weights differing from FP32 (p < 0.05), per-tensor", "per-channel"], breaks.map { [$0.0, $0.1, $0.2] })

            var figure = Figure(rows: 1, columns: 2, width: 10, height: 4.4, dpi: 150)
            figure.sharesY = true
            figure.title = "Predictions changed against FP32, of \(grouped(test.count)) test images (the table has the accuracies)"
            let markers: [Marker] = [.diamond, .circle, .square, .triangle]
            for (panel, key) in ["per_tensor", "per_channel"].enumerated() {
                var axes = Axes(title: key == "per_tensor" ? "per-tensor weights" : "per-channel weights", xLabel: "weight bits",
                                yLabel: panel == 0 ? "changed predictions" : nil, yScale: .symlog(linearThreshold: 1))
                for (i, a) in activationBits.enumerated() {
                    let values = changedCounts["\(key)_" + (a.map { "a\($0)" } ?? "float")]!
                    axes.add(Line(x: weightBits, y: values, label: a.map { "activations \($0) bits" } ?? "weight-only",
                                  color: Theme.report.seriesColor(i), marker: markers[i]))
                }
                axes.x.ticks = weightBits.map(Double.init)
                axes.x.inverted = true
                axes.y.min = 0
                axes.y.max = Double(test.count)
                axes.y.ticks = [0, 1, 10, 100, 1000, 10000].filter { $0 <= Double(test.count) }
                axes.y.format = .integer
                axes.legend = .best
                figure.panels[panel] = axes
            }
            try cell.figure("bit_width_sweep", figure, caption: "Changed predictions at every weight/activation bit-width, per-tensor and per-channel")
            try cell.record(Mini2Results.sweepAccuracy, accuracy)
            try cell.record(Mini2Results.sweepChangedPredictions, changedCounts)
            let breakSummary = breaks.map { "\($0.0): \($0.1) per-tensor, \($0.2) per-channel" }.joined(separator: "; ")
            return (accuracy: accuracy, changed: changedCounts, significant: significant, channelWins: channelWins, images: test.count,
                    largestInsignificant: largestInsignificant, breakSummary: breakSummary)
        }

        let w2 = (tensor: sweep.accuracy["per_tensor_a8"]![4], channel: sweep.accuracy["per_channel_a8"]![4])
        let w3 = (tensor: sweep.accuracy["per_tensor_a8"]![3], channel: sweep.accuracy["per_channel_a8"]![3])
        let a4 = (sweep.changed["per_tensor_a4"]![0], sweep.changed["per_tensor_a8"]![0])
        let w2Changed = sweep.changed["per_tensor_a8"]![4]
        nb.markdown("""
            With 8-bit activations, 3-bit weights reach \(percent(w3.tensor, 2)) per-tensor and
            \(percent(w3.channel, 2)) per-channel, 2-bit weights \(percent(w2.tensor, 2)) and \(percent(w2.channel, 2)): \(w2.channel > w2.tensor && w3.channel > w3.tensor ? "at these widths one scale per row pays (as in §7 of mini-project 1), because a layer's largest weight leaves the rows of small weights only a few codes" : "one scale per row does not help consistently here"). At 8-bit
            weights, 4-bit activations change \(a4.0) predictions against \(a4.1) with 8-bit ones,
            while 2-bit weights with 8-bit activations change \(w2Changed): on this model the
            \(w2Changed > a4.0 ? "weights are the more fragile" : "activations are the more fragile") of the two at the lowest widths tried. The p-values
            sort the rest: \(sweep.significant.count) of the 40 configurations differ from FP32 by more than
            chance (p < 0.05), and \(sweep.channelWins.isEmpty ? "per-channel never beats per-tensor significantly" : "per-channel beats per-tensor significantly in \(sweep.channelWins.count) of the 20 pairs, all at \(Set(sweep.channelWins.map { String($0.prefix(2)) }).sorted().joined(separator: " or ")) weights").
            Every other configuration is within chance of FP32, even with as many as
            \(sweep.largestInsignificant) changed predictions: McNemar asks only whether the images one
            model gets right and the other wrong split unevenly, and changes in both
            directions cancel.
            """)

        // MARK: Closing

        let perTensorDrop = 100 * (baseline.accuracy - comparison.perTensor.accuracy)
        let perChannelDrop = 100 * (baseline.accuracy - comparison.perChannel.accuracy)
        let sizeRatio = Double(baseline.bytes) / Double(comparison.perTensor.bytes)
        let pTensor = disagreement.pValues["int8 per-tensor vs FP32"]!, pChannel = disagreement.pValues["int8 per-channel vs FP32"]!
        let pBetween = disagreement.pValues["int8 per-channel vs int8 per-tensor"]!
        let verdict = max(pTensor, pChannel) >= 0.05
            ? "McNemar's test gives p = \(fixed(pTensor, 3)) and \(fixed(pChannel, 3)) against FP32: on these \(grouped(loaded.test.count)) images neither int8 model can be told apart from FP32."
            : "McNemar's test gives p = \(fixed(pTensor, 3)) and \(fixed(pChannel, 3)) against FP32: a p below 0.05 means that model's difference from FP32 is unlikely to be noise."
        let batchChanges = batchDependence["per_tensor"] ?? []
        let broken = sweep.significant.isEmpty
            ? "none of the configurations differs significantly from FP32 on these \(grouped(sweep.images)) images"
            : "\(sweep.significant.count) of the 40 configurations differ significantly from FP32 (p < 0.05); the widest weights that do, by activation width: \(sweep.breakSummary)"
        let channelWins = sweep.channelWins.isEmpty
            ? "per-channel weights are never significantly better than per-tensor ones"
            : "per-channel weights are significantly better than per-tensor ones for \(sweep.channelWins.joined(separator: ", "))"
        let atW8 = (sweep.accuracy["per_tensor_float"]![0], sweep.accuracy["per_tensor_a8"]![0])
        nb.markdown("""
            ## What this run found

            - **Training.** The FP32 model (\(settings.epochs) epochs\(quick ? " on \(grouped(settings.trainingExamples ?? 0)) images" : ""), trained once and then taken from the checkpoint cache) classifies \(percent(baseline.accuracy, 2)) of the \(kind) test set correctly. Its epoch time is in `results.json` (`epoch_seconds`).
            - **Accuracy.** Dynamic int8 reaches \(percent(comparison.perTensor.accuracy, 2)) per-tensor (\(signedPoints(-perTensorDrop)) points) and \(percent(comparison.perChannel.accuracy, 2)) per-channel (\(signedPoints(-perChannelDrop)) points). \(verdict)
            - **What changed.** \(disagreement.changed) test images (\(percent(Double(disagreement.changed) / Double(loaded.test.count)))) changed their prediction under per-tensor int8: \(disagreement.broken) became wrong, \(disagreement.fixed) became right; per-channel int8 changed \(disagreement.perChannelChanged). Per-channel against per-tensor: p = \(fixed(pBetween, 3))\(pBetween >= 0.05 ? ", noise at this test-set size" : ", a real difference"). The net accuracy change hides moves in both directions; the changed predictions show how much 8-bit rounding disturbs the model.
            - **Batch.** The activation ranges come from each batch, so the answer depends on it: per-tensor int8 changes \(batchChanges.map(String.init).joined(separator: ", ")) predictions against FP32 at batch 1, 256 and 1000.
            - **Background.** A black pixel comes back as \(fixed(worked.backgroundBack, 4)) instead of \(fixed(worked.background, 4)); folding the normalisation into `fc1` makes every input pixel exact and moves the changed predictions from \(folded.plain) to \(folded.folded).
            - **Weights.** Over all weights together, per-channel scales raise the SQNR from \(fixed(histograms["per_tensor"]!, 1)) dB to \(fixed(histograms["per_channel"]!, 1)) dB.
            - **Fewer bits.** Weight-only W8 reaches \(percent(atW8.0, 2)) and W8A8 \(percent(atW8.1, 2)) on the sweep's \(grouped(sweep.images)) images; \(broken). Of per-channel's value: \(channelWins).
            - **Size.** The int8 checkpoint is \(fixed(sizeRatio, 2))× smaller than the FP32 one on disk (\(grouped(comparison.perTensor.bytes)) vs \(grouped(baseline.bytes)) bytes): one byte per weight instead of four, with biases and scales still in float.
            - **Speed.** Measured speeds (images per second at batch 256 and 1, FP32 on OpenBLAS and int8 on the \(Int8Kernel.fastest) kernel, on \(comparison.machine)) change from run to run, so they are printed on the terminal (⏱) and kept in `results.json` (`images_per_second`), not in this text. The comparison with PyTorch's `quantize_dynamic` and ONNX Runtime on the same weights is `quant-bench --filter infer --python …`.

            The activation scale of the first layer's first batch was \(scientific(worked.activation.scale)) with zero-point \(worked.activation.zeroPoint), exactly what Quant's observer computes for that range; across batches of 256 the largest input of each layer varies by a factor of \(activations.map { fixed($0, 2) }.joined(separator: ", ")) (fc1, fc2, fc3).
            """)
    }
}
