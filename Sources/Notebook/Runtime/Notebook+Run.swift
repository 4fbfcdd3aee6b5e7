import Foundation

extension Notebook {
    /// Runs a notebook from start to end: checks the output folder (before
    /// any cell), runs `cells`, then writes `<name>.ipynb`, `<name>.md` and
    /// `results.json` beside the figures and publishes the folder whole
    /// (``OutputFolder``). When a cell fails the run is published as
    /// `<name>.failed/` instead — the saved notebook shows the error where it
    /// happened, `results.json` says `"completed": false` — and the last
    /// complete run stays; the error is then rethrown so the process exits non-zero.
    ///
    /// `NotebookCommand.run()` calls this with the process's terminal;
    /// tests call it with a console that collects the text.
    static func run(_ info: NotebookInfo, options: NotebookOptions, console: Console,
                    cells: (inout Notebook) throws -> Void) throws {
        let folder = OutputFolder(root: options.output, notebook: info.name)
        try folder.prepare()
        let start = DispatchTime.now().uptimeNanoseconds

        console.line(console.styled ? console.style(info.title, .bold)
                                    : info.title + "\n" + String(repeating: "═", count: info.title.count))
        console.line(console.style("notebook-\(info.name)\(options.quick ? " --quick" : "") · writing to \(folder.path)/", .dim))
        console.line()
        if options.step, let note = console.startStepping() {
            console.line(console.style(note, .yellow))
            console.line()
        }

        if let topic = options.topic {
            console.line(console.style("--topic \(topic): running the cells before it silently…", .dim))
            console.line()
            console.isMuted = true
        }
        var notebook = Notebook(info: info, options: options, console: console, folder: folder)
        var failure: Error?
        do {
            try cells(&notebook)
            if let topic = options.topic, topic > notebook.topicCount {
                throw NotebookError.unknownTopic(topic, count: notebook.topicCount)
            }
        } catch {
            failure = error
        }
        console.isMuted = false
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        let ipynb = IpynbExport.document(of: notebook).serialized(indent: 1) + "\n"
        let results = ResultsFile.document(of: notebook, totalSeconds: total, failure: failure).serialized(indent: 2) + "\n"
        do {
            try folder.write(Data(ipynb.utf8), to: info.name + ".ipynb")
            try folder.write(Data(MarkdownExport.document(of: notebook).utf8), to: info.name + ".md")
            try folder.write(Data(results.utf8), to: "results.json")
            try folder.publish(failed: failure != nil)
        } catch {
            folder.discard()
            throw error
        }

        let figures = notebook.figures.count
        let figureText = figures == 0 ? "" : ", \(figures) figure\(figures == 1 ? "" : "s") (PNG + SVG)"
        let saved = failure == nil ? folder.path : folder.failedURL.relativePath
        console.line(console.style(
            "Saved \(saved)/: \(info.name).ipynb, \(info.name).md, results.json\(figureText) · "
                + String(format: "%.2f s", total), .dim))
        if failure != nil {
            console.line(console.style("The run failed: \(folder.path)/ is left as the last complete run made it.", .dim))
        }
        if let failure { throw failure }
    }
}
