import ArgumentParser
import Foundation
import Quant

/// `quant`: quantize and dequantize NumPy `.npy` files from the shell, so
/// that Python users can check Quant against their own tools.
///
/// ```
/// $ quant quantize x.npy -o q.npy --bits 8            # uint8 affine, q.json beside q.npy
/// $ quant dequantize q.npy --params q.json -o xhat.npy
/// ```
///
/// Every failure — a bad flag, a malformed or truncated `.npy`, an
/// unsupported dtype, a bad parameter file, an unwritable output — is one
/// line on stderr and exit status 1, and leaves no output file behind.
@main
struct QuantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quant",
        abstract: "Quantize and dequantize NumPy .npy files (PyTorch's MinMaxObserver conventions).",
        subcommands: [QuantizeCommand.self, DequantizeCommand.self, PredictCommand.self, ExportCommand.self]
    )

    /// Parses and runs the command; usage errors too are one line on stderr
    /// (with a pointer to `--help`) rather than the full usage text.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            StandardStream.finishOutput()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            guard code != .success else {
                print(fullMessage(for: error))   // --help, --version
                Foundation.exit(0)
            }
            let line = message(for: error).replacingOccurrences(of: "\n", with: " ")
            StandardStream.error("quant: error: \(line) (see 'quant --help')\n")
            Foundation.exit(code.rawValue)
        }
    }
}

/// A failure of the `quant` tool, printed as one line.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension ParsableCommand {
    /// Runs `body`, turning any error into one line on stderr and exit status 1.
    func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            let line = "\(error)".replacingOccurrences(of: "\n", with: " ")
            StandardStream.error("quant: error: \(line)\n")
            throw ExitCode.failure
        }
    }
}
