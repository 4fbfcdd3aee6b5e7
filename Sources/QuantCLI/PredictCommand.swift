import ArgumentParser
import Foundation
import Quant

/// `quant predict MODEL.safetensors --images IDX [--labels IDX] [-o logits.npy]`:
/// runs any saved model — FP32, dynamic int8, or static/integer-only int8 —
/// on IDX images (MNIST's format, gzip or not), prints the accuracy when
/// labels are given, and writes the float logits (and, for integer-only
/// models, the raw uint8 output codes).
///
/// Pixels are normalised as the model was trained: with the mean and
/// standard deviation its checkpoint records (`quant.input_mean`,
/// `quant.input_std`), or `--mean`/`--std` for a checkpoint that records none.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run a saved model on IDX images: accuracy, float logits, raw integer output codes."
    )

    @Argument(help: "The model: a safetensors checkpoint written by Quant (FP32, dynamic int8 or integer-only).")
    var model: String

    @Option(help: "The images: an IDX file of uint8 pixels, [count, rows, columns] (gzip or not).")
    var images: String

    @Option(help: "The labels: an IDX file of uint8 class indices, [count] (optional: prints the accuracy).")
    var labels: String?

    @Option(name: .shortAndLong, help: "Write the logits here as float32 .npy, [count, classes].")
    var output: String?

    @Option(help: "Write the raw uint8 output codes here as .npy (integer-only models only).")
    var raw: String?

    @Option(parsing: .unconditional, help: "The training pixels' mean of p/255, for a checkpoint that records none.")
    var mean: Float?

    @Option(parsing: .unconditional, help: "The training pixels' standard deviation of p/255, for a checkpoint that records none.")
    var std: Float?

    @Option(parsing: .unconditional, help: "Images per batch (dynamically quantized models take each batch's activation range).")
    var batchSize: Int = 1000

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        if let std, !(std.isFinite && std > 0) { throw ValidationError("--std must be a positive number, got \(std)") }
        if let mean, !mean.isFinite { throw ValidationError("--mean must be a finite number, got \(mean)") }
        let inputs = Set([model, images, labels].compactMap { $0 }.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        for (flag, path) in [("-o", output), ("--raw", raw)] {
            if let path, inputs.contains(URL(fileURLWithPath: path).standardizedFileURL.path) {
                throw ValidationError("\(flag) \(path) is one of the inputs; choose another output file")
            }
        }
    }

    func run() throws {
        try reportingErrors {
            let file = try Safetensors(contentsOf: URL(fileURLWithPath: model))
            let network = try Sequential(checkpoint: file)
            let integer = try raw.map { _ in try integerOnly(network) }
            guard let normalization = Normalization(metadata: file.metadata)
                    ?? mean.flatMap({ m in std.map { Normalization(mean: m, standardDeviation: $0) } }) else {
                throw PredictError.noNormalization(model)
            }
            let data = try dataset(for: network, normalization: normalization)
            let predictions = try network.predictions(for: data, batchSize: batchSize)
            if labels != nil {
                let correct = zip(predictions, data.labels).filter { $0 == $1 }.count
                print("accuracy \(String(format: "%.2f", 100 * Double(correct) / Double(max(data.count, 1))))% (\(correct) of \(data.count) images)")
            } else {
                print("\(data.count) images classified")
            }
            if let output {
                try NPYArray(try logits(of: network, on: data)).write(to: URL(fileURLWithPath: output))
            }
            if let raw, let integer {
                try NPYArray(try rawCodes(of: integer, on: data)).write(to: URL(fileURLWithPath: raw))
            }
        }
    }

    /// The images (and labels) as a dataset the model can take.
    private func dataset(for network: Sequential, normalization: Normalization) throws -> ImageDataset {
        let pixels = try IDXArray(contentsOf: URL(fileURLWithPath: images))
        guard pixels.shape.count == 3 else { throw PredictError.imageShape(images, pixels.shape, network.inputFeatures) }
        let (count, rows, columns) = (pixels.shape[0], pixels.shape[1], pixels.shape[2])
        guard rows * columns == network.inputFeatures else { throw PredictError.imageShape(images, pixels.shape, network.inputFeatures) }
        var classes = [UInt8](repeating: 0, count: count)
        if let labels {
            let file = try IDXArray(contentsOf: URL(fileURLWithPath: labels))
            guard file.shape == [count] else { throw PredictError.labelShape(labels, file.shape, count) }
            if let bad = file.elements.firstIndex(where: { Int($0) >= network.outputFeatures }) {
                throw PredictError.labelOutOfRange(labels, index: bad, label: Int(file.elements[bad]), classes: network.outputFeatures)
            }
            classes = file.elements
        }
        return try ImageDataset(pixels: pixels.elements, labels: classes, imageRows: rows, imageColumns: columns,
                                classCount: network.outputFeatures, normalization: normalization)
    }

    /// The logits of every image, `[count, classes]`.
    private func logits(of network: Sequential, on data: ImageDataset) throws -> Tensor<Float> {
        try Tensor(shape: [data.count, network.outputFeatures], scalars: inBatches(data) { try network.logits($0).scalars })
    }

    /// `body`'s results for each batch of `batchSize` images, concatenated.
    private func inBatches<T>(_ data: ImageDataset, _ body: (Tensor<Float>) throws -> [T]) throws -> [T] {
        var results = [T]()
        for start in stride(from: 0, to: data.count, by: batchSize) {
            let rows = min(batchSize, data.count - start)
            let batch = Array(data.images[(start * data.featureCount)..<((start + rows) * data.featureCount)])
            results += try body(Tensor(shape: [rows, data.featureCount], scalars: batch))
        }
        return results
    }
}

/// Why `quant predict` cannot run.
enum PredictError: Error, CustomStringConvertible {
    case noNormalization(String)
    case imageShape(String, [Int], Int)
    case labelShape(String, [Int], Int)
    case labelOutOfRange(String, index: Int, label: Int, classes: Int)
    case notIntegerOnly(String, kinds: [String])

    var description: String {
        switch self {
        case .noNormalization(let model):
            return "\(model) records no input normalization (quant.input_mean, quant.input_std); pass --mean and --std (MNIST: 0.1307 and 0.3081)"
        case .imageShape(let path, let shape, let features):
            return "\(path) holds images of shape \(shape); the model takes \(features) pixels per image ([count, rows, columns] with rows × columns = \(features))"
        case .labelShape(let path, let shape, let count):
            return "\(path) holds labels of shape \(shape); expected [\(count)], one per image"
        case .labelOutOfRange(let path, let index, let label, let classes):
            return "\(path): label \(label) of image \(index) is not a class of the model (0…\(classes - 1))"
        case .notIntegerOnly(let model, let kinds):
            return "--raw writes the uint8 output codes of an integer-only model; \(model) holds \(kinds.joined(separator: ", ")) layers"
        }
    }
}

extension PredictCommand {
    /// The model's one integer-only layer, or the error `--raw` gets for any other model.
    private func integerOnly(_ network: Sequential) throws -> IntegerOnlyMLP {
        guard network.layers.count == 1, let integer = network.layers[0] as? IntegerOnlyMLP else {
            throw PredictError.notIntegerOnly(model, kinds: network.layers.map { String(describing: type(of: $0)) })
        }
        return integer
    }

    /// The raw uint8 output codes of an integer-only model, `[count, classes]`.
    private func rawCodes(of integer: IntegerOnlyMLP, on data: ImageDataset) throws -> Tensor<UInt8> {
        try Tensor(shape: [data.count, integer.outputFeatures], scalars: inBatches(data) { try integer.outputCodes($0).scalars })
    }
}
