import COpenBLAS
import Foundation

/// How the OpenBLAS under ``Linear`` is configured, for benchmark reports.
///
/// OpenBLAS picks its kernels for the CPU at load time (override with the
/// environment variable `OPENBLAS_CORETYPE`, e.g. `Haswell`, `SkylakeX`)
/// and its thread count from `OPENBLAS_NUM_THREADS` (default: all cores).
/// Small products run single-threaded whatever the setting.
///
/// ```swift
/// print(BLASConfiguration.current)   // "OpenBLAS 0.3.21 … core=Zen threads=2"
/// ```
public struct BLASConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The kernel family OpenBLAS chose (`Haswell`, `SkylakeX`, `Zen`, …).
    public let coreName: String
    /// The number of threads OpenBLAS may use.
    public let threads: Int
    /// OpenBLAS's build description.
    public let build: String
    /// The OpenBLAS-related environment variables that were set.
    public let environment: [String: String]

    /// The configuration of the loaded OpenBLAS.
    public static var current: BLASConfiguration {
        let env = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("OPENBLAS_") || $0.key == "OMP_NUM_THREADS" }
        return BLASConfiguration(coreName: String(cString: openblas_get_corename()),
                                 threads: Int(openblas_get_num_threads()),
                                 build: String(cString: openblas_get_config()).trimmingCharacters(in: .whitespaces),
                                 environment: env)
    }

    public var description: String {
        let env = environment.keys.sorted().map { " \($0)=\(environment[$0]!)" }.joined()
        return "\(build) core=\(coreName) threads=\(threads)\(env)"
    }
}
