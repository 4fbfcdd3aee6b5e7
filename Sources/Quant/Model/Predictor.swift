/// A model ready to serve batches, as a deployed model runs: the buffers of
/// every layer are allocated once, for batches of up to ``maxRows`` rows,
/// so that each call runs only the layers, with no allocation.
///
/// ``Sequential/predictions(for:batchSize:)`` makes such buffers once per
/// pass over a dataset; a `Predictor` keeps them across calls, which is what
/// a server answering one request after another needs (and what ONNX
/// Runtime's `session.run` on a fixed batch measures). It is a class
/// because its buffers are shared state: one `Predictor` per thread.
///
/// ```swift
/// let predictor = Predictor(model, maxRows: 256)
/// let logits = try predictor.logits(batch)          // rows × 10, valid until the next call
/// try predictor.classes(batch, into: &classes)      // arg-max of each row
/// ```
public final class Predictor {
    /// The model it runs.
    public let model: Sequential
    /// The most rows a batch may have.
    public let maxRows: Int
    private let workspace: SequentialWorkspace

    /// A predictor for batches of 1…`maxRows` rows (at least 1).
    public init(_ model: Sequential, maxRows: Int) {
        self.model = model
        self.maxRows = Swift.max(1, maxRows)
        workspace = SequentialWorkspace(model, maxRows: self.maxRows)
    }

    /// The logits of `batch`, row-major `rows × inputFeatures`: a view of
    /// `rows × outputFeatures` floats, valid until the next call.
    ///
    /// - Throws: ``ModelError/inputShape(expectedFeatures:shape:)`` when
    ///   `batch.count` is not a whole number of rows, ``ModelError/batchTooLarge(rows:maxRows:)``
    ///   beyond ``maxRows``, and the layers' errors.
    public func logits(_ batch: UnsafeBufferPointer<Float>) throws(ModelError) -> UnsafeBufferPointer<Float> {
        let features = model.inputFeatures
        guard features > 0, batch.count % features == 0 else {
            throw .inputShape(expectedFeatures: features, shape: [batch.count])
        }
        let rows = batch.count / features
        guard rows <= maxRows else { throw .batchTooLarge(rows: rows, maxRows: maxRows) }
        if let base = batch.baseAddress, rows > 0 { try model.forward(base, rows: rows, workspace: workspace) }
        return UnsafeBufferPointer(start: workspace.output, count: rows * model.outputFeatures)
    }

    /// The logits of `batch`, as the buffer-pointer form.
    public func logits(_ batch: [Float]) throws(ModelError) -> UnsafeBufferPointer<Float> {
        try batch.withUnsafeBufferPointer { x throws(ModelError) in try logits(x) }
    }

    /// The predicted class (arg-max logit, ``Classification``) of each row of
    /// `batch`, written to `classes` (resized to the batch's rows).
    public func classes(_ batch: UnsafeBufferPointer<Float>, into classes: inout [Int32]) throws(ModelError) {
        let output = try logits(batch)
        let rows = output.count / model.outputFeatures
        if classes.count != rows { classes = [Int32](repeating: 0, count: rows) }
        classes.withUnsafeMutableBufferPointer { target in
            if let base = output.baseAddress, rows > 0 {
                Classification.argMax(base, rows: rows, classes: model.outputFeatures, into: target.baseAddress!)
            }
        }
    }

    /// The predicted class of each row of `batch`, as the buffer-pointer form.
    public func classes(_ batch: [Float], into classes: inout [Int32]) throws(ModelError) {
        try batch.withUnsafeBufferPointer { x throws(ModelError) in try self.classes(x, into: &classes) }
    }
}
