/// Reusable scratch memory for ``PackedInt8Weights/forward(_:rows:bias:into:workspace:parallel:applyingReLU:)``.
///
/// Dynamic quantization turns each float batch into uint8 codes before the
/// integer product. Keeping those codes in a workspace that lives as long as
/// the layer (or the inference loop) means a forward pass allocates nothing
/// once the workspace has grown to the largest batch — which matters at
/// batch 1, where an allocation costs as much as the arithmetic.
///
/// ```swift
/// var workspace = Int8Workspace()
/// for batch in batches { try layer.forward(batch, rows: 1, bias: b, into: &y, workspace: &workspace) }
/// ```
public struct Int8Workspace: Sendable {
    /// The uint8 activation codes of the latest batch.
    var codes: [UInt8]

    /// An empty workspace; it grows on first use.
    public init() { codes = [] }

    /// A workspace already large enough for `elements` activations.
    public init(capacity elements: Int) { codes = [UInt8](repeating: 0, count: Swift.max(elements, 0)) }

    /// Grows (never shrinks) the code buffer to hold `count` codes.
    mutating func reserve(_ count: Int) {
        if codes.count < count { codes = [UInt8](repeating: 0, count: count) }
    }
}
