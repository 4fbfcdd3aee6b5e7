import ArgumentParser
import Foundation
import Quant

/// `quant quantize IN.npy -o OUT.npy --bits B …`: float32 in, integer codes
/// and `OUT.json` parameters out.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a float32 .npy file; write the codes to OUT.npy and the parameters to OUT.json.",
        discussion: """
        Parameters come from the tensor's min/max as PyTorch's MinMaxObserver and \
        PerChannelMinMaxObserver compute them, or from --scale/--zero-point. Codes are written \
        in the narrowest integer type that holds the range (int8/uint8 up to 8 bits, int16/uint16 \
        up to 16). Affine schemes default to the unsigned range, symmetric ones to the signed \
        range; symmetric unsigned puts the zero-point at 2^(bits-1).
        """
    )

    @Argument(help: "The input: float32, C order, any rank.")
    var input: String

    @Option(name: .shortAndLong, help: "The output .npy file for the codes (the parameters go to the same path with .json).")
    var output: String

    @Option(help: ArgumentHelp("The bit width, 1…16.", valueName: "B"))
    var bits: Int

    @Flag(help: "Symmetric quantization (zero-point fixed) instead of affine.")
    var symmetric = false

    @Flag(help: "Drop the most negative code so the grid is symmetric (-127…127 at 8 bits); needs --symmetric.")
    var restrictedRange = false

    @Flag(exclusivity: .exclusive, help: "The integer range (default: unsigned for affine, signed for symmetric).")
    var range: RangeFlag?

    @Option(name: .customLong("per-channel"), help: ArgumentHelp("Quantize per channel along this axis (negative counts from the end: --per-channel=-1).", valueName: "axis"))
    var axis: Int?

    @Option(help: "Use these scales instead of observed ones: one, or one per channel, comma-separated.")
    var scale: String?

    @Option(name: .customLong("zero-point"), help: "Use these zero-points (with --scale): one, or one per channel, comma-separated.")
    var zeroPoint: String?

    enum RangeFlag: String, EnumerableFlag {
        case signed, unsigned
    }

    func run() throws {
        try reportingErrors {
            let array = try NPYArray(contentsOf: URL(fileURLWithPath: input))
            let x = try array.tensor(of: Float.self)
            var channelAxis: Int?
            if let axis {
                let normalized = axis < 0 ? axis + x.rank : axis
                guard (0..<x.rank).contains(normalized) else {
                    throw QuantError.axisOutOfBounds(axis: axis, rank: x.rank)
                }
                channelAxis = normalized
            }
            guard symmetric || !restrictedRange else { throw CLIError("--restricted-range needs --symmetric") }
            let scheme = try QuantScheme(
                bits: bits,
                signed: range.map { $0 == .signed },
                mapping: symmetric ? .symmetric(restrictedRange: restrictedRange) : .affine,
                granularity: channelAxis.map { .perChannel(axis: $0) } ?? .perTensor
            )
            let destination = try OutputPair(codes: URL(fileURLWithPath: output))
            let quantizer = try Quantizer(scheme: scheme, params: params(for: scheme, tensor: x))
            let codes = try Self.encode(x, with: quantizer)
            try destination.write(
                codes: codes.encoded(),
                parameters: ParamsFile(scheme: scheme, params: quantizer.params).encoded()
            )
        }
    }

    /// The given or observed parameters.
    func params(for scheme: QuantScheme, tensor x: Tensor<Float>) throws -> QuantParams {
        switch (scale, zeroPoint) {
        case (nil, nil):
            return try QuantParams(scheme: scheme, observing: x)
        case (let scale?, let zeroPoint?):
            let scales = try Self.list(scale, flag: "--scale") { Float($0) }
            let zeroPoints = try Self.list(zeroPoint, flag: "--zero-point") { Int32($0) }
            let channels = scheme.axis.map { x.shape[$0] } ?? 1
            guard scales.count == channels, zeroPoints.count == channels else {
                throw CLIError("--scale and --zero-point need \(channels) value(s) each (one per \(scheme.axis == nil ? "tensor" : "channel")), got \(scales.count) and \(zeroPoints.count)")
            }
            return try QuantParams(scales: scales, zeroPoints: zeroPoints)
        default:
            throw CLIError("--scale and --zero-point must be given together")
        }
    }

    /// Parses a comma-separated list given to `flag`.
    static func list<T>(_ text: String, flag: String, _ parse: (String) -> T?) throws -> [T] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map {
            let item = $0.trimmingCharacters(in: .whitespaces)
            guard let value = parse(item) else { throw CLIError("\(flag): '\(item)' is not a valid number") }
            return value
        }
    }

    /// The codes in the narrowest integer type that holds the scheme's range.
    static func encode(_ x: Tensor<Float>, with quantizer: Quantizer) throws -> NPYArray {
        let scheme = quantizer.scheme
        switch (scheme.bits <= 8, scheme.isSigned) {
        case (true, true): return NPYArray(try quantizer.quantize(x, as: Int8.self))
        case (true, false): return NPYArray(try quantizer.quantize(x, as: UInt8.self))
        case (false, true): return NPYArray(try quantizer.quantize(x, as: Int16.self))
        case (false, false): return NPYArray(try quantizer.quantize(x, as: UInt16.self))
        }
    }
}
