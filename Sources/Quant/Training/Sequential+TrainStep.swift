extension Sequential {
    /// One optimisation step on a batch: forward (each layer's
    /// ``TrainableLayer/trainingForward(_:into:rows:scratch:)``), softmax cross-entropy,
    /// backward through every layer (last first), then one optimizer update
    /// per parameter array in layer order. Returns the batch's mean loss and
    /// how many of its examples the model classified correctly, both before
    /// the update. Every layer must be a ``TrainableLayer`` (``Trainer`` checks).
    ///
    /// The two gradient buffers of `workspace` alternate: layer `i` reads
    /// `∂L/∂y` from one and writes `∂L/∂x` into the other, which is then
    /// layer `i − 1`'s `∂L/∂y`; the first layer's input is data, so its
    /// input gradient is skipped.
    mutating func trainStep<O: Optimizer>(_ input: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int,
                                         workspace: SequentialWorkspace, optimizer: inout O) throws(ModelError)
        -> (loss: Float, correct: Int) {
        var x = input
        for i in layers.indices {
            let y = workspace.activations[i]
            do {
                try updateTrainableLayer(at: i) { (layer) throws(ModelError) in
                    try layer.trainingForward(x, into: y, rows: rows, scratch: &workspace.scratch)
                }
            } catch {
                throw error.located(at: i)
            }
            x = UnsafePointer(y)
        }
        let correct = Classification.correctCount(workspace.output, labels: labels, rows: rows, classes: outputFeatures)
        var gradient = workspace.gradients.0, spare = workspace.gradients.1
        let loss = SoftmaxCrossEntropy(classes: outputFeatures)
            .lossAndGradient(logits: workspace.output, labels: labels, rows: rows, gradient: gradient)
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let layerInput = i == 0 ? input : UnsafePointer(workspace.activations[i - 1])
            let output = UnsafePointer(workspace.activations[i])
            let (outputGradient, inputGradient) = (UnsafePointer(gradient), i == 0 ? nil : spare)
            updateTrainableLayer(at: i) {
                $0.backward(input: layerInput, output: output, outputGradient: outputGradient,
                            inputGradient: inputGradient, rows: rows)
            }
            swap(&gradient, &spare)
        }
        optimizer.beginStep()
        for i in layers.indices {
            updateTrainableLayer(at: i) {
                $0.visitParameters { parameters, gradients in optimizer.update(parameters, gradients: gradients) }
            }
        }
        return (loss, correct)
    }

    /// Tells every layer that epoch `epoch` (from 1) begins.
    mutating func startEpoch(_ epoch: Int) {
        for i in layers.indices { updateTrainableLayer(at: i) { $0.startEpoch(epoch) } }
    }

    /// The first layer that cannot be trained, as an error, or `nil` when all can.
    func untrainableLayer() -> ModelError? {
        guard let index = layers.firstIndex(where: { !($0 is any TrainableLayer) }) else { return nil }
        return .inLayer(index, .notTrainable(type: String(describing: type(of: layers[index]))))
    }

    /// Runs `body` on layer `index` as a ``TrainableLayer``, mutating it in place.
    ///
    /// The layer is moved out of the array before the cast, so its parameter
    /// arrays stay uniquely referenced and `body`'s writes do not copy them
    /// (a copy of fc1's 200,704 weights per step would cost more than its gradient).
    private mutating func updateTrainableLayer<E: Error>(at index: Int, _ body: (inout any TrainableLayer) throws(E) -> Void) throws(E) {
        var taken: any Layer = ReLU(features: 0)
        swap(&taken, &layers[index])
        guard var trainable = taken as? any TrainableLayer else {
            layers[index] = taken
            return
        }
        taken = ReLU(features: 0)
        defer { layers[index] = trainable }
        try body(&trainable)
    }
}
