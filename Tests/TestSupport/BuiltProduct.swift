import Foundation

/// An executable product that SwiftPM built next to the test bundle, run as a
/// user would run it: a separate process, with its exit status and output.
///
/// A test target that lists the executable target among its dependencies gets
/// it built before the tests run, in the same products folder as the test
/// bundle (`.build/<triple>/debug/`).
///
/// ```swift
/// let run = try BuiltProduct("quant").run(["quantize", "in.npy", "-o", "out.npy", "--bits", "8"])
/// #expect(run.status == 0)
/// ```
public struct BuiltProduct: Sendable {
    /// The executable's location.
    public let url: URL

    /// The product called `name`.
    ///
    /// - Throws: ``BuiltProductError/notFound(name:searched:)`` when it is not
    ///   next to the test bundle (add the target to the test target's dependencies).
    public init(_ name: String) throws {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.deletingLastPathComponent(), bundle,
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        guard let folder = candidates.first(where: {
            FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent(name).path)
        }) else {
            throw BuiltProductError.notFound(name: name, searched: candidates.map(\.path))
        }
        url = folder.appendingPathComponent(name)
    }

    /// The result of one run.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs the product with `arguments` in `directory` (the current one by
    /// default), stdin from /dev/null, and waits for it to exit.
    ///
    /// Output goes through temporary files rather than pipes, so a chatty
    /// process cannot block on a full pipe buffer.
    public func run(_ arguments: [String], in directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("built-product-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)

        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        let stdoutHandle = try FileHandle(forWritingTo: out), stderrHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        try process.run()
        process.waitUntilExit()
        try stdoutHandle.close()
        try stderrHandle.close()
        return Result(status: process.terminationStatus,
                      stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }
}

/// Why a built product could not be run.
public enum BuiltProductError: Error, CustomStringConvertible {
    case notFound(name: String, searched: [String])

    public var description: String {
        switch self {
        case .notFound(let name, let searched):
            return "executable '\(name)' not found in \(searched.joined(separator: ", ")); "
                + "list its target in the test target's dependencies so SwiftPM builds it"
        }
    }
}
