import Foundation
import NotebookSupport

/// A child process of a benchmark: a peer's Python script under `Scripts/`
/// (NumPy, PyTorch, matplotlib, measured in the same run) or `quant-bench`
/// itself (whole-process timings).
///
/// ```swift
/// let numpy = try PeerProcess.script("bench_numpy.py", python: python, arguments: ["--count", "10000000"])
/// let object = try numpy.runJSON()          // the last JSON object the script printed
/// ```
struct PeerProcess {
    /// The executable and its arguments.
    let command: [String]

    /// `python Scripts/<name> arguments…`.
    static func script(_ name: String, python: String, arguments: [String]) -> PeerProcess {
        PeerProcess(command: [python, scriptsFolder.appendingPathComponent(name).path] + arguments)
    }

    /// `Scripts/` of this package, found from this source file, so that
    /// `quant-bench` finds the peers from any working directory.
    static let scriptsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts")

    /// Runs the command to completion and returns its standard output.
    ///
    /// - Throws: ``BenchmarkFailure`` when it cannot start or exits non-zero.
    @discardableResult
    func run() throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            throw BenchmarkFailure("cannot run \(command[0]): \(error.localizedDescription)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkFailure("\(command.joined(separator: " ")) exited with status \(process.terminationStatus)")
        }
        return output
    }

    /// Runs the command and returns every line of its output that is a JSON object, in order.
    ///
    /// - Throws: ``BenchmarkFailure`` when it cannot start or exits non-zero.
    func runJSONLines() throws -> [[String: Any]] {
        String(decoding: try run(), as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Runs the command and returns the `seconds` of the first JSON line whose
    /// `kind` is `kind`, or nil when it cannot run or prints no such line.
    func seconds(ofKind kind: String) -> Double? {
        (try? runJSONLines())?.first { $0["kind"] as? String == kind }?["seconds"] as? Double
    }

    /// Runs the command and returns the last line of its output that is a JSON object.
    func runJSON() throws -> [String: Any] {
        guard let last = try runJSONLines().last else {
            throw BenchmarkFailure("\(command.joined(separator: " ")) printed no JSON object")
        }
        return last
    }

    /// Wall-clock seconds of the fastest of 3 runs of the whole process.
    func fastestRun() throws -> Double {
        try fastestSeconds(repeats: 3) { try run() }
    }
}

/// A benchmark that could not measure what it claims.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
