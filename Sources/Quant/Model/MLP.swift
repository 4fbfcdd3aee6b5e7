/// A multi-layer perceptron: ``Linear`` layers with a ``ReLU`` after each
/// but the last, ending in class logits (softmax lives in the loss).
///
/// The seed model of the notebooks is `MLP(sizes: [784, 256, 128, 10], seed:)`:
/// 235,146 parameters. `layers` is read-only outside training, so a
/// quantizer can read each layer's ``Linear/weight`` and ``Linear/bias``
/// and build an integer model beside it.
///
/// ```swift
/// let model = try MLP(sizes: [784, 256, 128, 10], seed: 1)
/// model.parameterCount                      // 235146
/// let accuracy = model.accuracy(on: data.test)
/// ```
public struct MLP: Sendable {
    /// The linear layers, input side first.
    public private(set) var layers: [Linear]

    /// A network of He-initialised layers with widths `sizes` (input first),
    /// drawn from a generator seeded with `seed`.
    public init(sizes: [Int], seed: UInt64) throws(ModelError) {
        guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 }) else { throw .invalidSizes(sizes) }
        var generator = SeededGenerator(seed: seed)
        layers = zip(sizes, sizes.dropFirst()).map { Linear(inputFeatures: $0, outputFeatures: $1, using: &generator) }
    }

    /// A network of the given layers (e.g. loaded from a checkpoint).
    public init(layers: [Linear]) throws(ModelError) {
        guard !layers.isEmpty else { throw .invalidSizes([]) }
        for i in 0..<(layers.count - 1) where layers[i].outputFeatures != layers[i + 1].inputFeatures {
            throw .layerMismatch(index: i, outputFeatures: layers[i].outputFeatures, nextInputFeatures: layers[i + 1].inputFeatures)
        }
        self.layers = layers
    }

    /// The widths, input first: `[784, 256, 128, 10]` for the seed model.
    public var sizes: [Int] { [layers[0].inputFeatures] + layers.map(\.outputFeatures) }
    /// The number of inputs per example.
    public var inputFeatures: Int { layers[0].inputFeatures }
    /// The number of classes (logits per example).
    public var classCount: Int { layers[layers.count - 1].outputFeatures }
    /// The number of trainable values.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// The logits for `rows` examples at `input`, written into `workspace.logits`.
    func forward(_ input: UnsafePointer<Float>, rows: Int, workspace: MLPWorkspace) {
        var x = input
        for (i, layer) in layers.enumerated() {
            let y = workspace.activations[i]
            layer.forward(x, into: y, rows: rows)
            if i < layers.count - 1 { ReLU(features: layer.outputFeatures).forward(y, into: y, rows: rows) }
            x = UnsafePointer(y)
        }
    }

    /// One optimisation step on a batch: forward, loss, backward, update.
    /// Returns the batch's mean loss and how many of its examples the model
    /// classified correctly, both before the update.
    mutating func trainStep<O: Optimizer>(_ input: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int,
                                         workspace: MLPWorkspace, optimizer: inout O) -> (loss: Float, correct: Int) {
        forward(input, rows: rows, workspace: workspace)
        let last = layers.count - 1
        let classes = classCount
        var correct = 0
        for r in 0..<rows {
            let z = workspace.logits + r * classes
            var best = 0
            for j in 1..<classes where z[j] > z[best] { best = j }
            if best == Int(labels[r]) { correct += 1 }
        }
        var gradient = workspace.gradients.0, spare = workspace.gradients.1
        let loss = SoftmaxCrossEntropy(classes: classCount)
            .lossAndGradient(logits: workspace.activations[last], labels: labels, rows: rows, gradient: gradient)
        for i in stride(from: last, through: 0, by: -1) {
            let output = UnsafePointer(workspace.activations[i])
            if i < last {
                var relu = ReLU(features: layers[i].outputFeatures)
                relu.backward(input: output, output: output, outputGradient: gradient, inputGradient: gradient, rows: rows)
            }
            let layerInput = i == 0 ? input : UnsafePointer(workspace.activations[i - 1])
            layers[i].backward(input: layerInput, output: output, outputGradient: gradient,
                               inputGradient: i == 0 ? nil : spare, rows: rows)
            swap(&gradient, &spare)
        }
        optimizer.beginStep()
        for i in layers.indices {
            layers[i].visitParameters { parameters, gradients in optimizer.update(parameters, gradients: gradients) }
        }
        return (loss, correct)
    }
}
