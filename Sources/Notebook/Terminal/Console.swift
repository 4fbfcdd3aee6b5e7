import Foundation

/// Where the narration goes and where `--step` waits for Enter.
///
/// Styling (ANSI bold, dim, colour) is used only when standard output is a
/// terminal and `NO_COLOR` is unset, so that piped or logged output is
/// plain text. The wrap width is the terminal's (capped at 100 columns for
/// readable lines) or 80 when output is not a terminal, so that logs are
/// the same on every machine.
final class Console {
    /// Receives every piece of narration, already formatted.
    private let sink: (String) -> Void
    /// Reads one line of standard input; `nil` when it is closed.
    private let readLine: () -> String?
    /// Whether standard input is a terminal that a person can press Enter in.
    private let inputIsTerminal: Bool
    /// Whether to emit ANSI escape sequences.
    let styled: Bool
    /// Columns to wrap prose at.
    let width: Int

    init(sink: @escaping (String) -> Void, styled: Bool, width: Int,
         inputIsTerminal: Bool = false, readLine: @escaping () -> String? = { nil }) {
        self.sink = sink
        self.styled = styled
        self.width = width
        self.inputIsTerminal = inputIsTerminal
        self.readLine = readLine
    }

    /// The process's standard output and input. C stdio is flushed before
    /// each write, so text a cell prints with Swift's (buffered) `print`
    /// still comes before the narration that follows it. Narration is written
    /// with `write(2)`, which reports a closed or full stream as an error
    /// where `FileHandle.write` traps. A failed
    /// write ends the run at once with status 74 (`EX_IOERR`): no one is left
    /// to read the rest (a reader that went away ends it by SIGPIPE, as any
    /// Unix tool). Files already written stay whole: each is written atomically.
    static func standard() -> Console {
        let outputIsTerminal = isatty(STDOUT_FILENO) == 1
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        var width = 80
        if outputIsTerminal {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 {
                width = min(Int(size.ws_col), 100)
            }
        }
        return Console(
            sink: { text in
                var bytes = Array(text.utf8)[...]
                if fflush(nil) != 0 { exit(74) }
                while !bytes.isEmpty {
                    let written = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                    if written < 0, errno == EINTR { continue }
                    if written < 0 { exit(74) }
                    bytes = bytes.dropFirst(written)
                }
            },
            styled: outputIsTerminal && !noColor,
            width: width,
            inputIsTerminal: isatty(STDIN_FILENO) == 1,
            readLine: { Swift.readLine(strippingNewline: true) })
    }

    /// Whether narration is dropped (and `--step` does not pause): the cells
    /// before `--topic` run silently.
    var isMuted = false

    /// Writes `text` followed by a newline.
    func line(_ text: String = "") { write(text + "\n") }

    /// Writes `text` as is.
    func write(_ text: String) {
        if !isMuted { sink(text) }
    }

    /// `text` in the given ANSI style when styling is on, else unchanged.
    func style(_ text: String, _ style: Style) -> String {
        styled ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// ANSI select-graphic-rendition codes the narration uses.
    enum Style: String {
        case bold = "1", dim = "2", italic = "3", underline = "4"
        case boldCyan = "1;36", cyan = "36", red = "31", yellow = "33"
    }

    // MARK: Stepping

    private var stepping = false

    /// Starts `--step` mode. Returns a note to show when stepping is not
    /// possible (standard input is not a terminal), so the run never hangs.
    func startStepping() -> String? {
        guard inputIsTerminal else {
            return "--step: standard input is not a terminal, so the run does not pause."
        }
        stepping = true
        return nil
    }

    /// In `--step` mode, waits for Enter; stops pausing for good when
    /// standard input is closed (Ctrl-D), so the rest of the run goes on.
    func pause() {
        guard stepping, !isMuted else { return }
        write(style("⏎ Enter: next cell", .dim))
        if readLine() == nil {
            stepping = false
            line()
            line(style("(input closed: running the remaining cells without pausing)", .dim))
        }
    }
}
