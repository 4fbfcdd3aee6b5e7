/// The element types Quant reads and writes in safetensors files, named as
/// in the file header. The raw values are the header strings.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case f32 = "F32"
    case i32 = "I32"
    case i8 = "I8"
    case u8 = "U8"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .f32, .i32: return 4
        case .i8, .u8: return 1
        }
    }

    /// The position in the safetensors crate's `Dtype` order. The Python
    /// package writes tensors sorted by this, largest first, then by name —
    /// so larger-aligned data comes first — and Quant does the same, so
    /// that both write identical bytes.
    var writeOrder: Int {
        switch self {
        case .u8: return 1
        case .i8: return 2
        case .i32: return 9
        case .f32: return 11
        }
    }
}

/// A Swift element type with a safetensors dtype: `Float`, `Int32`, `Int8`, `UInt8`.
public protocol SafetensorsScalar: Sendable {
    /// The dtype written in the header.
    static var safetensorsDType: SafetensorsDType { get }
    /// The value's bits in little-endian byte order, for writing.
    func appendLittleEndian(to bytes: inout [UInt8])
    /// The value stored little-endian at `offset` in `bytes`.
    static func readLittleEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Self
}

extension Float: SafetensorsScalar {
    public static var safetensorsDType: SafetensorsDType { .f32 }
    public func appendLittleEndian(to bytes: inout [UInt8]) { bitPattern.appendLittleEndian(to: &bytes) }
    public static func readLittleEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Float {
        Float(bitPattern: UInt32.readLittleEndian(bytes, at: offset))
    }
}

extension Int32: SafetensorsScalar {
    public static var safetensorsDType: SafetensorsDType { .i32 }
    public func appendLittleEndian(to bytes: inout [UInt8]) { UInt32(bitPattern: self).appendLittleEndian(to: &bytes) }
    public static func readLittleEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int32 {
        Int32(bitPattern: UInt32.readLittleEndian(bytes, at: offset))
    }
}

extension Int8: SafetensorsScalar {
    public static var safetensorsDType: SafetensorsDType { .i8 }
    public func appendLittleEndian(to bytes: inout [UInt8]) { bytes.append(UInt8(bitPattern: self)) }
    public static func readLittleEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int8 {
        Int8(bitPattern: bytes[offset])
    }
}

extension UInt8: SafetensorsScalar {
    public static var safetensorsDType: SafetensorsDType { .u8 }
    public func appendLittleEndian(to bytes: inout [UInt8]) { bytes.append(self) }
    public static func readLittleEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt8 {
        bytes[offset]
    }
}

extension UInt32 {
    func appendLittleEndian(to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: self))
        bytes.append(UInt8(truncatingIfNeeded: self >> 8))
        bytes.append(UInt8(truncatingIfNeeded: self >> 16))
        bytes.append(UInt8(truncatingIfNeeded: self >> 24))
    }

    static func readLittleEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
