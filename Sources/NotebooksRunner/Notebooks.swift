import ArgumentParser
import Foundation
import Quant

/// `notebooks`: every notebook in teaching order, one after another, each
/// narrating on this terminal and writing its folder under `--output`.
///
/// ```sh
/// swift run -c release notebooks                 # all of them, MNIST and Fashion-MNIST
/// swift run -c release notebooks --list          # the topics of every notebook
/// swift run -c release notebooks --topic mini3:6 --step   # teach from mini3's topic 6
/// ```
@main
struct Notebooks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebooks",
        abstract: "Run every notebook in order (mini1 … on MNIST and Fashion-MNIST), sharing the cached FP32 models.",
        discussion: """
            Each notebook is run as its own executable (notebook-miniN, built beside this one) with \
            --output, --quick, --step and --data passed on; a failing notebook stops the run.
            """)

    @Flag(help: "Pause after each cell until Enter, through every notebook (for teaching).")
    var step = false

    @Flag(help: "Small sizes (seconds per notebook; what the tests run).")
    var quick = false

    @Option(help: ArgumentHelp("The folder every notebook writes under (<output>/<notebook>/).", valueName: "dir"))
    var output = "Figures"

    @Option(help: "A folder holding mnist/ (default: $QUANT_DATA, then the per-user cache).")
    var data: String?

    @Option(help: ArgumentHelp("Run only these notebooks, comma-separated (e.g. mini1,mini3).", valueName: "names"))
    var only: String?

    @Flag(help: "Print the topics of every notebook (from the runs under --output) and exit.")
    var list = false

    @Option(help: ArgumentHelp("Run one notebook, narrating from topic N on (e.g. mini3:6; see --list).", valueName: "notebook:N"))
    var topic: String?

    @Option(help: ArgumentHelp("Also rewrite the headline block of this README (between its headline markers) from the runs.", valueName: "file"))
    var readme: String?

    mutating func run() throws {
        do {
            try runPlan()
        } catch {
            StandardStream.error("notebooks: error: \(error)\n")
            throw ExitCode.failure
        }
    }

    private func runPlan() throws(RunnerError) {
        let runs = NotebookRun.plan(only: try selectedNotebooks())
        if list {
            for run in runs where run.folder == run.notebook {
                let folder = URL(fileURLWithPath: output).appendingPathComponent(run.folder)
                let listing = try TopicListing(notebook: run.notebook, folder: folder)
                print(listing.lines(notebook: run.notebook).joined(separator: "\n") + "\n")
            }
            return
        }
        if let topic {
            let (notebook, number) = try Self.parse(topic: topic)
            let run = NotebookRun(notebook: notebook, arguments: [], folder: notebook)
            try ChildProcess.run(run.executable, arguments(for: run) + ["--topic", String(number)])
            return
        }
        let start = Date()
        for (index, run) in runs.enumerated() {
            let header = "▶ [\(index + 1)/\(runs.count)] \(run.label) → \(output)/\(run.folder)/"
            print(header + "\n" + String(repeating: "━", count: min(header.count, 80)) + "\n")
            let runStart = Date()
            try ChildProcess.run(run.executable, run.arguments + arguments(for: run))
            print(String(format: "✓ %@ · %.1f s (%.1f s so far)\n", run.label,
                         Date().timeIntervalSince(runStart), Date().timeIntervalSince(start)))
        }
        let total = Date().timeIntervalSince(start)
        try writeReport(totalSeconds: total)
        print(String(format: "All %d runs done in %.1f s; outputs under %@/, the write-up in %@/REPORT.md and REPORT.html",
                     runs.count, total, output, output))
    }

    /// `REPORT.md`, `REPORT.html` and `TIMINGS.md` under `--output`, and the
    /// README's headline block with `--readme`, from every run found there.
    private func writeReport(totalSeconds: Double) throws(RunnerError) {
        let folder = URL(fileURLWithPath: output)
        let report = Report(output: folder, folders: NotebookRun.plan.map(\.folder))
        let document = report.document()
        let html = document.html { try? Data(contentsOf: folder.appendingPathComponent($0)) }
        try Self.write(document.markdown(), to: folder.appendingPathComponent("REPORT.md"))
        try Self.write(html, to: folder.appendingPathComponent("REPORT.html"))
        try Self.write(report.timings(totalSeconds: totalSeconds).markdown(), to: folder.appendingPathComponent("TIMINGS.md"))
        guard let readme else { return }
        let url = URL(fileURLWithPath: readme)
        guard let text = try? String(contentsOf: url, encoding: .utf8),
              let begin = text.range(of: Self.headlineBegin), let end = text.range(of: Self.headlineEnd), begin.upperBound <= end.lowerBound else {
            throw .readmeMarkers(readme, begin: Self.headlineBegin, end: Self.headlineEnd)
        }
        let relative = url.deletingLastPathComponent().standardizedFileURL.path
        let figures = folder.standardizedFileURL.path.hasPrefix(relative + "/")
            ? String(folder.standardizedFileURL.path.dropFirst(relative.count + 1)) : folder.standardizedFileURL.path
        let block = "\n" + report.readmeBlock(figuresPath: figures)
        try Self.write(text.replacingCharacters(in: begin.upperBound..<end.lowerBound, with: block), to: url)
    }

    static let headlineBegin = "<!-- headline:begin (written by `notebooks --readme README.md`) -->"
    static let headlineEnd = "<!-- headline:end -->"

    private static func write(_ text: String, to url: URL) throws(RunnerError) {
        do { try Data(text.utf8).write(to: url, options: .atomic) } catch { throw .writeFailed(url.path, "\(error.localizedDescription)") }
    }

    /// The flags passed on to `run`'s notebook.
    private func arguments(for run: NotebookRun) -> [String] {
        ["--output", output] + (quick ? ["--quick"] : []) + (step ? ["--step"] : [])
            + (run.readsData ? data.map { ["--data", $0] } ?? [] : [])
    }

    private func selectedNotebooks() throws(RunnerError) -> Set<String>? {
        guard let only else { return nil }
        let names = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for name in names where !NotebookRun.notebooks.contains(name) {
            throw .unknownNotebook(name, known: NotebookRun.notebooks)
        }
        return Set(names)
    }

    /// `mini3:6` → (`mini3`, 6).
    static func parse(topic: String) throws(RunnerError) -> (String, Int) {
        let parts = topic.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int(parts[1]), number >= 1 else { throw .badTopic(topic) }
        let notebook = String(parts[0])
        guard NotebookRun.notebooks.contains(notebook) else {
            throw .unknownNotebook(notebook, known: NotebookRun.notebooks)
        }
        return (notebook, number)
    }
}
