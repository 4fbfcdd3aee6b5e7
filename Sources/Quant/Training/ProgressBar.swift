import Foundation

/// Training progress for people: on a terminal, one line redrawn in place
/// (epoch, batch, loss, images per second, time left); elsewhere (a log, a
/// pipe, CI) plain lines, one per finished epoch, so logs stay readable.
///
/// Output goes through `write`, so a notebook can route it anywhere.
/// Redraws are limited to ten per second, so the bar costs nothing measurable.
///
/// ```swift
/// var bar = ProgressBar()                               // stdout; bar if it is a terminal
/// let run = try Trainer(settings: .seedRecipe).train(on: data.train, test: data.test, progress: bar)
/// ```
public struct ProgressBar: Sendable {
    /// `true`: redraw one line with `\r`; `false`: print plain lines at epoch ends.
    public let isTerminal: Bool
    private let write: @Sendable (String) -> Void
    private var lastDraw = -Double.infinity

    /// A progress display writing to `write` (standard output by default);
    /// `isTerminal` defaults to whether standard output is a terminal.
    public init(isTerminal: Bool = isatty(STDOUT_FILENO) != 0,
                write: @escaping @Sendable (String) -> Void = { StandardStream.output($0) }) {
        self.isTerminal = isTerminal
        self.write = write
    }

    /// Reports that `batch` of `batches` in epoch `epoch` of `epochs` is done.
    /// `now` is a monotonic time in seconds; draws at most every 0.1 s (terminal only).
    public mutating func update(epoch: Int, of epochs: Int, batch: Int, of batches: Int,
                                loss: Double, imagesPerSecond: Double, secondsLeft: Double, now: Double) {
        guard isTerminal, now - lastDraw >= 0.1 || batch == batches else { return }
        lastDraw = now
        write("\r\u{1B}[2K" + Self.bar(epoch: epoch, of: epochs, batch: batch, of: batches, loss: loss,
                                        imagesPerSecond: imagesPerSecond, secondsLeft: secondsLeft))
    }

    /// Ends an epoch with a summary line (replacing the bar on a terminal).
    public mutating func finishEpoch(_ summary: String) {
        write((isTerminal ? "\r\u{1B}[2K" : "") + summary + "\n")
        lastDraw = -Double.infinity
    }

    /// The text of the bar, e.g.
    /// `epoch 2/12 [#######.............] 160/469 loss 0.1234 410k img/s ETA 0:05`.
    public static func bar(epoch: Int, of epochs: Int, batch: Int, of batches: Int, loss: Double,
                           imagesPerSecond: Double, secondsLeft: Double, width: Int = 20) -> String {
        let filled = batches > 0 ? min(width, width * batch / batches) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let rate = imagesPerSecond >= 10_000 ? "\(Int(imagesPerSecond / 1000))k" : "\(Int(imagesPerSecond))"
        return "epoch \(epoch)/\(epochs) [\(bar)] \(batch)/\(batches) loss \(String(format: "%.4f", loss)) \(rate) img/s ETA \(clock(secondsLeft))"
    }

    /// `m:ss` (or `h:mm:ss`) for a non-negative number of seconds.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(max(0, seconds).rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
