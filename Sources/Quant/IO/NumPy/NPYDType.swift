/// The element types a `.npy` file can hold here, with NumPy's names.
///
/// All are little-endian, which is also the byte order of every platform
/// Swift runs on, so the data section is the elements' memory as is.
public enum NPYDType: String, Sendable, Hashable, CaseIterable {
    case float32 = "<f4"
    case int8 = "|i1"
    case uint8 = "|u1"
    case int16 = "<i2"
    case uint16 = "<u2"
    case int32 = "<i4"

    /// The size of one element in bytes.
    public var byteWidth: Int {
        switch self {
        case .int8, .uint8: return 1
        case .int16, .uint16: return 2
        case .float32, .int32: return 4
        }
    }

    /// NumPy's dtype name (`float32`, `uint8`, …).
    public var name: String {
        switch self {
        case .float32: return "float32"
        case .int8: return "int8"
        case .uint8: return "uint8"
        case .int16: return "int16"
        case .uint16: return "uint16"
        case .int32: return "int32"
        }
    }

    /// The dtype for a header `descr` (`'<f4'`, `'|u1'`, `'<i1'`, …), or `nil`.
    ///
    /// One-byte types are accepted with any byte-order mark; wider ones only
    /// little-endian (`<`; `=`, native, is little-endian on every platform
    /// Swift runs on).
    init?(descr: String) {
        guard descr.count == 3, let order = descr.first, "<|=>".contains(order) else { return nil }
        let kind = descr.dropFirst()
        switch kind {
        case "i1": self = .int8
        case "u1": self = .uint8
        case "f4" where order != ">" && order != "|": self = .float32
        case "i2" where order != ">" && order != "|": self = .int16
        case "u2" where order != ">" && order != "|": self = .uint16
        case "i4" where order != ">" && order != "|": self = .int32
        default: return nil
        }
    }
}
