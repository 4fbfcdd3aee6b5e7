import CIntegerGEMM

/// Which implementation computes an int8 matrix product.
///
/// Dynamic quantization multiplies uint8 activation codes by int8 weight
/// codes with int32 accumulation. Two kernels do that here and agree exactly:
///
/// - ``reference``: a plain triple loop in Swift that states the arithmetic
///   (see ``ReferenceInt8Kernel``). Slow, obviously right.
/// - ``fast(_:)``: C kernels on a packed weight layout, one per instruction
///   set (``SIMDPath``), chosen at run time by what the CPU supports.
///
/// Forcing a kernel is how the tests compare the paths and how a notebook
/// shows the speed difference; everyday code uses ``fastest``.
///
/// ```swift
/// Int8Kernel.fastest                 // .fast(.avx512VNNI) on a VNNI machine
/// Int8Kernel.supported               // [.reference, .fast(.portable), .fast(.avx2), ...]
/// let w = try PackedInt8Weights(codes: q, outFeatures: 10, inFeatures: 128,
///                               scales: [0.01], kernel: .fast(.avx2))
/// ```
public enum Int8Kernel: Hashable, Sendable {
    /// The readable Swift triple loop.
    case reference
    /// The C kernel for one instruction-set path.
    case fast(SIMDPath)

    /// An instruction-set path of the fast kernel.
    public enum SIMDPath: String, CaseIterable, Hashable, Sendable {
        /// Plain C on row-major weights; runs on every CPU.
        case portable
        /// x86-64 AVX2: operands widened to int16, `vpmaddwd` into int32.
        case avx2
        /// x86-64 AVX-512 VNNI: `vpdpbusd`, u8 × s8 → s32, 64 products per instruction.
        case avx512VNNI = "avx512vnni"

        /// Whether this CPU (and this build) can run the path.
        public var isSupported: Bool { igemm_isa_supported(isa) != 0 }

        /// The fastest path this CPU supports.
        public static var best: SIMDPath {
            allCases.last(where: \.isSupported) ?? .portable
        }

        var isa: igemm_isa {
            switch self {
            case .portable: return IGEMM_ISA_PORTABLE
            case .avx2: return IGEMM_ISA_AVX2
            case .avx512VNNI: return IGEMM_ISA_AVX512_VNNI
            }
        }
    }

    /// The fast kernel on the best path this CPU supports.
    public static var fastest: Int8Kernel { .fast(.best) }

    /// Every kernel this CPU can run, slowest first.
    public static var supported: [Int8Kernel] {
        [.reference] + SIMDPath.allCases.filter(\.isSupported).map { .fast($0) }
    }

    /// Whether this CPU can run the kernel (the reference always runs).
    public var isSupported: Bool {
        switch self {
        case .reference: return true
        case .fast(let path): return path.isSupported
        }
    }

    /// The largest reduction length (`inFeatures`) for which no kernel can
    /// overflow int32: each product `(q_x − z_x)·q_w` has magnitude at most
    /// 255·128 = 32,640, and 65,793 · 32,640 = 2,147,483,520 < 2³¹.
    public static let maxInFeatures = Int(IGEMM_MAX_DEPTH)
}

extension Int8Kernel: CustomStringConvertible {
    public var description: String {
        switch self {
        case .reference: return "reference"
        case .fast(let path): return "fast/\(path.rawValue)"
        }
    }
}
