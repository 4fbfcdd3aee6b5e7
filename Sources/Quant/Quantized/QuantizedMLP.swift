/// An ``MLP`` whose linear layers run by dynamic int8 quantization
/// (``DynamicQuantizedLinear``), with float ReLUs between them: what
/// `torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)`
/// makes of the same network.
///
/// Each layer quantizes its own input per batch, so the activations between
/// layers stay float (a ReLU output has min 0, so its zero-point is 0 and
/// all 256 codes cover the positive range).
///
/// ```swift
/// let int8 = try model.quantized(.perChannel)
/// let accuracy = try int8.accuracy(on: data.test)          // within 0.1 pt of model.accuracy(on:)
/// try int8.checkpoint().write(to: url)                      // ≈ ¼ of the FP32 file
/// let again = try QuantizedMLP(checkpoint: Safetensors(contentsOf: url))
/// ```
public struct QuantizedMLP: Sendable {
    /// The quantized layers, input side first.
    public let layers: [DynamicQuantizedLinear]

    /// A network of the given layers; their widths must chain.
    public init(layers: [DynamicQuantizedLinear]) throws(QuantizedModelError) {
        guard !layers.isEmpty else { throw .noLayers }
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

    /// The same network on another kernel (same codes, same results).
    public func repacked(for kernel: Int8Kernel) throws(QuantizedModelError) -> QuantizedMLP {
        var result = [DynamicQuantizedLinear]()
        for (index, layer) in layers.enumerated() {
            do { result.append(try layer.repacked(for: kernel)) } catch {
                if case .kernel(let e, nil) = error { throw .kernel(e, layer: index) }
                throw error
            }
        }
        return try QuantizedMLP(layers: result)
    }

    /// Runs `rows` examples at `input` through every layer; the logits end
    /// in `workspace.logits`. Returns each layer's activation parameters.
    func forward(_ input: UnsafePointer<Float>, rows: Int, workspace: QuantizedMLPWorkspace)
        throws(QuantizedModelError) -> [DynamicActivationQuantizer.Parameters] {
        var x = UnsafeBufferPointer(start: input, count: rows * inputFeatures)
        var used = [DynamicActivationQuantizer.Parameters]()
        used.reserveCapacity(layers.count)
        for (i, layer) in layers.enumerated() {
            let y = UnsafeMutableBufferPointer(start: workspace.activations[i], count: rows * layer.outputFeatures)
            do {
                used.append(try layer.weights.forward(x, rows: rows, bias: layer.bias, into: y, workspace: &workspace.codes))
            } catch {
                throw .kernel(error, layer: i)
            }
            if i < layers.count - 1, let base = y.baseAddress { Elementwise.relu(base, into: base, count: y.count) }
            x = UnsafeBufferPointer(y)
        }
        return used
    }
}

/// Preallocated buffers for running a ``QuantizedMLP`` on batches of up to
/// `maxRows` examples: one float output buffer per layer and the uint8
/// codes of the current layer's input. Made once per evaluation, so the
/// per-batch work allocates nothing but the list of activation parameters.
final class QuantizedMLPWorkspace {
    /// `activations[i]` holds layer `i`'s output (after ReLU for hidden layers).
    let activations: [UnsafeMutablePointer<Float>]
    /// The activation codes, reused by every layer.
    var codes: Int8Workspace

    init(sizes: [Int], maxRows: Int) {
        activations = sizes.dropFirst().map { width in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, maxRows * width))
            p.initialize(repeating: 0, count: max(1, maxRows * width))
            return p
        }
        codes = Int8Workspace(capacity: maxRows * (sizes.dropLast().max() ?? 0))
    }

    /// The last layer's output: the logits.
    var logits: UnsafeMutablePointer<Float> { activations[activations.count - 1] }

    deinit { activations.forEach { $0.deallocate() } }
}
