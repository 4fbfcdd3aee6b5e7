/// One notebook run of the write-up: which executable, with which extra
/// flags, and the folder under `--output` it writes (its `NotebookInfo` name).
///
/// The plan runs every notebook in teaching order, each on MNIST and, where
/// the notebook has a Fashion-MNIST variant, on that too; all of them load
/// the same cached FP32 model per dataset, so only the first run trains.
struct NotebookRun: Sendable, Equatable {
    /// `mini1` … `mini4`: the executable is `notebook-<notebook>`.
    let notebook: String
    /// Flags beyond the shared ones, e.g. `--dataset fashion-mnist`.
    let arguments: [String]
    /// The folder under `--output`, e.g. `mini2-fashion-mnist`.
    let folder: String

    var executable: String { "notebook-\(notebook)" }

    /// What the progress line shows: `notebook-mini2 --dataset fashion-mnist`.
    var label: String { ([executable] + arguments).joined(separator: " ") }

    /// Whether the notebook reads a dataset (and so takes `--data`): all but mini1.
    var readsData: Bool { notebook != "mini1" }

    /// mini1; then mini2 and mini3 on MNIST and on Fashion-MNIST; then
    /// mini4, which covers both datasets in one run.
    static let plan: [NotebookRun] = [NotebookRun(notebook: "mini1", arguments: [], folder: "mini1")]
        + ["mini2", "mini3"].flatMap { notebook in
            [NotebookRun(notebook: notebook, arguments: [], folder: notebook),
             NotebookRun(notebook: notebook, arguments: ["--dataset", "fashion-mnist"], folder: "\(notebook)-fashion-mnist")]
        }
        + [NotebookRun(notebook: "mini4", arguments: [], folder: "mini4")]

    /// The runs of `plan` whose notebook is in `notebooks` (all when nil).
    static func plan(only notebooks: Set<String>?) -> [NotebookRun] {
        plan.filter { notebooks?.contains($0.notebook) ?? true }
    }

    /// The notebooks the plan knows, in order.
    static var notebooks: [String] {
        plan.reduce(into: []) { names, run in if !names.contains(run.notebook) { names.append(run.notebook) } }
    }
}
