import ArgumentParser

/// The flags every notebook understands; a notebook command embeds them
/// with `@OptionGroup` and adds its own options beside them.
///
/// ```swift
/// @main struct Mini2: NotebookCommand {
///     @OptionGroup var options: NotebookOptions
///     @OptionGroup var modelOptions: ModelOptions   // NotebookSupport: --data, --dataset, --seed, --checkpoints
///     ...
/// }
/// ```
public struct NotebookOptions: ParsableArguments, Sendable {
    @Flag(help: "Pause after each cell until Enter is pressed (for teaching). Ignored when standard input is not a terminal.")
    public var step = false

    @Flag(help: "Use smaller sizes so that the run takes seconds (for tests).")
    public var quick = false

    @Option(help: ArgumentHelp("The folder for the run's files; they go to <output>/<notebook>/. Created when missing.", valueName: "dir"),
            completion: .directory)
    public var output = "Figures"

    @Flag(name: .customLong("no-figures"), help: "Do not draw or write figures (the .ipynb and .md are still written).")
    public var noFigures = false

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Narrate from topic N on (the N-th '## ' section; `notebooks --list` shows them). Earlier cells still run, silently, because later ones use their results.",
        valueName: "N"))
    public var topic: Int?

    public init() {}

    public func validate() throws {
        if let topic, topic < 1 {
            throw ValidationError("--topic must be 1 or more (topics are numbered from 1), not \(topic)")
        }
    }
}
