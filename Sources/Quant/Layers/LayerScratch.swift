/// Scratch memory that the layers of one forward pass share, kept by the
/// caller between batches so that a pass allocates nothing once it has
/// grown to the largest batch (at batch 1 an allocation costs as much as
/// the arithmetic).
///
/// Float layers ignore it; a quantized layer keeps the integer codes of its
/// input here. Layers run one after another, so one buffer serves them all.
public struct LayerScratch: Sendable {
    /// The uint8 activation codes of dynamically quantized layers.
    public var codes: Int8Workspace
    /// Float temporaries (fake-quantized inputs and weights); grows, never shrinks.
    var floats: [Float] = []

    /// Runs `body` on at least `count` floats of scratch memory.
    mutating func withFloats<R, E: Error>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws(E) -> R) throws(E) -> R {
        if floats.count < count { floats = [Float](repeating: 0, count: count) }
        return try floats.withUnsafeMutableBufferPointer { (buffer) throws(E) -> R in try body(buffer.baseAddress!) }
    }

    /// Byte temporaries (the uint8 codes between integer-only stages); grows, never shrinks.
    var bytes: [UInt8] = []

    /// Runs `body` on at least `count` bytes of scratch memory.
    mutating func withBytes<R, E: Error>(_ count: Int, _ body: (UnsafeMutablePointer<UInt8>) throws(E) -> R) throws(E) -> R {
        if bytes.count < Swift.max(count, 1) { bytes = [UInt8](repeating: 0, count: Swift.max(count, 1)) }
        return try bytes.withUnsafeMutableBufferPointer { (buffer) throws(E) -> R in try body(buffer.baseAddress!) }
    }

    /// Empty scratch; it grows on first use.
    public init() { codes = Int8Workspace() }

    /// Scratch already large enough for `elements` activation codes.
    public init(capacity elements: Int) { codes = Int8Workspace(capacity: elements) }
}
