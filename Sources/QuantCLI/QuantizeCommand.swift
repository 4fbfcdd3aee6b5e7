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
        PerChannelMinMaxObserver compute them (per group with --group-size), or from \
        --scale/--zero-point. Codes are written in the narrowest integer type that holds the \
        range (int8/uint8 up to 8 bits, int16/uint16 up to 16). Affine schemes default to the \
        unsigned range, symmetric ones to the signed range; symmetric unsigned puts the \
        zero-point at 2^(bits-1). --binary writes codes -1/+1 with scale mean|x| (XNOR-Net), \
        --ternary codes -1/0/+1 with TWN's scale; both are int8 with zero-point 0.
        """
    )

    @Argument(help: "The input: float32, C order, any rank.")
    var input: String

    @Option(name: .shortAndLong, help: "The output .npy file for the codes (the parameters go to the same path with .json).")
    var output: String

    @Option(parsing: .unconditional, help: ArgumentHelp("The bit width, 1…16 (implied by --binary and --ternary).", valueName: "B"))
    var bits: Int?

    @Flag(help: "Symmetric quantization (zero-point fixed) instead of affine.")
    var symmetric = false

    @Flag(exclusivity: .exclusive, help: "Binary (1 bit, codes -1/+1, scale mean|x|) or ternary (2 bits, codes -1/0/+1, TWN scale) instead of affine.")
    var format: FormatFlag?

    @Flag(help: "Drop the most negative code so the grid is symmetric (-127…127 at 8 bits); needs --symmetric.")
    var restrictedRange = false

    @Flag(exclusivity: .exclusive, help: "The integer range (default: unsigned for affine, signed for symmetric).")
    var range: RangeFlag?

    @Option(name: .customLong("per-channel"), parsing: .unconditional, help: ArgumentHelp("Quantize per channel along this axis (negative counts from the end: --per-channel -1).", valueName: "axis"))
    var axis: Int?

    @Option(name: .customLong("group-size"), parsing: .unconditional, help: ArgumentHelp("Quantize per group of N consecutive elements along the group axis (the last group of a line may be shorter).", valueName: "N"))
    var groupSize: Int?

    @Option(name: .customLong("group-axis"), parsing: .unconditional, help: ArgumentHelp("The axis the groups run along (default: the last; negative counts from the end).", valueName: "axis"))
    var groupAxis: Int?

    @Option(parsing: .unconditional, help: "Use these scales instead of observed ones: one, or one per channel or group, comma-separated.")
    var scale: String?

    @Option(name: .customLong("zero-point"), parsing: .unconditional, help: "Use these zero-points (with --scale): one, or one per channel or group, comma-separated.")
    var zeroPoint: String?

    enum RangeFlag: String, EnumerableFlag {
        case signed, unsigned
    }

    enum FormatFlag: String, EnumerableFlag {
        case binary, ternary
    }

    func validate() throws {
        let codes = URL(fileURLWithPath: output).standardizedFileURL
        let input = URL(fileURLWithPath: input).standardizedFileURL.path
        for written in [codes, codes.deletingPathExtension().appendingPathExtension("json")] where written.path == input {
            throw ValidationError("-o \(output) would overwrite the input \(self.input) (the codes go to OUT.npy, the parameters to OUT.json); choose another output")
        }
    }

    func run() throws {
        try reportingErrors {
            let array = try NPYArray(contentsOf: URL(fileURLWithPath: input))
            let x = try array.tensor(of: Float.self)
            guard symmetric || !restrictedRange else { throw CLIError("--restricted-range needs --symmetric") }
            if let format, symmetric { throw CLIError("--\(format.rawValue) and --symmetric exclude each other") }
            let scheme = try QuantScheme(
                bits: bitWidth(),
                signed: range.map { $0 == .signed },
                mapping: mapping,
                granularity: granularity(rank: x.rank)
            )
            let destination = try OutputPair(codes: URL(fileURLWithPath: output))
            let quantizer = try Quantizer(scheme: scheme, params: params(for: scheme, tensor: x))
            let codes = try Self.encode(x, with: quantizer).encoded()
            try destination.write(
                codes: codes,
                parameters: ParamsFile(scheme: scheme, params: quantizer.params, codesSHA256: SHA256.hexDigest(of: codes)).encoded()
            )
        }
    }

    /// `--bits`, or the width `--binary` (1) or `--ternary` (2) implies.
    func bitWidth() throws -> Int {
        switch (bits, format) {
        case (let bits?, _): return bits   // checked against the format by QuantScheme
        case (nil, .binary?): return 1
        case (nil, .ternary?): return 2
        case (nil, nil): throw CLIError("missing --bits (needed unless --binary or --ternary)")
        }
    }

    /// The mapping the flags ask for.
    var mapping: QuantScheme.Mapping {
        switch format {
        case .binary?: return .binary
        case .ternary?: return .ternary
        case nil: return symmetric ? .symmetric(restrictedRange: restrictedRange) : .affine
        }
    }

    /// Per-tensor, `--per-channel`, or `--group-size` along `--group-axis`
    /// (the last axis by default), with negative axes counted from the end.
    func granularity(rank: Int) throws -> QuantScheme.Granularity {
        func normalized(_ axis: Int) throws -> Int {
            let value = axis < 0 ? axis + rank : axis
            guard (0..<rank).contains(value) else { throw QuantError.axisOutOfBounds(axis: axis, rank: rank) }
            return value
        }
        switch (axis, groupSize) {
        case (nil, nil):
            guard groupAxis == nil else { throw CLIError("--group-axis needs --group-size") }
            return .perTensor
        case (let axis?, nil):
            return .perChannel(axis: try normalized(axis))
        case (nil, let size?):
            return .perGroup(axis: try normalized(groupAxis ?? -1), size: size)
        case (_?, _?):
            throw CLIError("--per-channel and --group-size exclude each other")
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
            let channels = try scheme.parameterCount(for: x.shape)
            let unit = scheme.groupSize != nil ? "group" : scheme.axis == nil ? "tensor" : "channel"
            guard scales.count == channels, zeroPoints.count == channels else {
                throw CLIError("--scale and --zero-point need \(channels) value(s) each (one per \(unit)), got \(scales.count) and \(zeroPoints.count)")
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
