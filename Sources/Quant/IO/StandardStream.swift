#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to standard output and standard error with `write(2)`, which
/// reports a closed or full stream as an error, where `FileHandle.write`
/// traps (`>/dev/full`, `>&-`: ENOSPC, EBADF → SIGILL and a backtrace).
/// What Swift's `print` buffered in C stdio is flushed first, so the order
/// of the two stays the order of the calls.
///
/// A reader that goes away (`… | head -1`) ends the process by SIGPIPE, as
/// it does every Unix tool; any other failed write to standard output ends
/// it at once with status 74 (`EX_IOERR`), printing nothing more: there is no
/// one left to tell, and carrying on would compute output nobody receives.
public enum StandardStream {
    /// `EX_IOERR` from sysexits.h: an error writing output.
    public static let writeFailureStatus: Int32 = 74

    /// Writes `text` to standard output and flushes it (so a long run shows
    /// each line as it is produced); ends the process when the write fails.
    public static func output(_ text: String) {
        if fflush(nil) != 0 || !write(text, to: STDOUT_FILENO) { exit(writeFailureStatus) }
    }

    /// Writes `text` to standard error. A failure is ignored: no stream is
    /// left to report it on, and the exit status already says what happened.
    public static func error(_ text: String) {
        fflush(nil)
        _ = write(text, to: STDERR_FILENO)
    }

    /// Flushes what `print` buffered; ends the process when that fails, so a
    /// command whose output was lost does not exit 0.
    public static func finishOutput() {
        if fflush(nil) != 0 { exit(writeFailureStatus) }
    }

    /// Writes all of `text` to `descriptor` (retrying short writes and
    /// interrupted calls); false when the stream refuses it.
    private static func write(_ text: String, to descriptor: Int32) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            bytes = bytes.dropFirst(written)
        }
        return true
    }
}
