import Foundation

/// Reads a whole input file, first making sure it is one: a folder, a FIFO
/// or a device (`/dev/null`) named as an input gets a sentence saying so,
/// rather than Foundation's `NSCocoaErrorDomain error 256` — and a FIFO is
/// never opened, so a read cannot hang waiting for a writer.
public enum InputFile {
    /// Why `url` could not be read, in words for a message that names the file.
    public struct Unreadable: Error, Sendable {
        public let reason: String
    }

    /// The bytes of the regular file at `url`.
    public static func contents(of url: URL) throws(Unreadable) -> Data {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            throw Unreadable(reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Unreadable(reason: "it is a folder, not a file")
        default: throw Unreadable(reason: "it is not a regular file (a FIFO, socket or device such as /dev/null)")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw Unreadable(reason: NPYArray.reasonForDisplay(error))
        }
    }
}
