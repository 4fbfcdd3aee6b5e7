import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Finds a dataset on disk, downloading it into the per-user cache when it
/// is nowhere to be found.
///
/// Folders are searched in this order, each for a `<kind>/` subfolder
/// (`mnist/`, `fashion-mnist/`) holding the four IDX files:
/// 1. the `--data DIR` flag (`dataDirectory`) — when given, it is the only
///    data folder searched and nothing is downloaded: a folder named on
///    purpose that lacks the dataset is an error, not a reason to quietly
///    read another copy (only the Debian system folder of step 4 still counts),
/// 2. the `QUANT_DATA` environment variable,
/// 3. the per-user cache, `$XDG_CACHE_HOME/quant` or `~/.cache/quant`,
/// 4. the system folder of a Debian package (Fashion-MNIST's
///    `/usr/share/datasets/fashion-mnist`).
///
/// Files found are checked (structure, gzip CRC and the SHA-256 of their
/// decoded contents). When MNIST is found nowhere, the four `.gz` files are
/// fetched from the public mirrors, verified the same way, and written
/// atomically into the cache; if that fails (offline), the error says which
/// files to put where.
///
/// ```swift
/// let store = DataStore(dataDirectory: options.data)   // nil when no --data
/// let mnist = try store.load(.mnist)
/// ```
public struct DataStore: Sendable {
    /// The data folders searched, in order (without the `<kind>/` part).
    public let searchFolders: [URL]
    /// The per-user cache folder: downloads and cached checkpoints go here.
    public let cacheFolder: URL
    /// The `--data` folder, when one was given: then the only one searched.
    public let explicitFolder: URL?
    /// Downloads one URL; replaceable so tests can run offline.
    public var fetch: @Sendable (URL) throws -> Data

    /// A store searching `dataDirectory`, then `environment["QUANT_DATA"]`, then the cache.
    public init(dataDirectory: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                fetch: @escaping @Sendable (URL) throws -> Data = DataStore.download) {
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        let cacheBase = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".cache")
        cacheFolder = cacheBase.appendingPathComponent("quant")
        explicitFolder = dataDirectory.flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
        if let explicitFolder {
            searchFolders = [explicitFolder]
        } else {
            searchFolders = (environment["QUANT_DATA"].flatMap { $0.isEmpty ? nil : [URL(fileURLWithPath: $0)] } ?? [])
                + [cacheFolder]
        }
        self.fetch = fetch
    }

    /// The folders that may hold `kind`, in search order.
    public func candidateFolders(for kind: DatasetKind) -> [URL] {
        searchFolders.map { $0.appendingPathComponent(kind.folderName) }
            + (kind.systemDirectory.map { [URL(fileURLWithPath: $0)] } ?? [])
    }

    /// The first folder holding all four files of `kind`, or `nil`.
    ///
    /// - Throws: ``DatasetError/incomplete(folder:missing:)`` when a folder
    ///   holds some of the files but not all (rather than silently skipping it).
    public func locate(_ kind: DatasetKind) throws(DatasetError) -> URL? {
        for folder in candidateFolders(for: kind) {
            let present = DatasetKind.fileNames.map {
                FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
            }
            if present.allSatisfy({ $0 }) { return folder }
            if present.contains(true) {
                let missing = zip(DatasetKind.fileNames, present).filter { !$0.1 }.map(\.0)
                throw .incomplete(folder: folder.path, missing: missing)
            }
        }
        return nil
    }

    /// Loads `kind`, downloading it first if needed (MNIST only).
    ///
    /// - Parameter log: told about a download in progress (one line per file).
    public func load(_ kind: DatasetKind, log: (String) -> Void = { _ in }) throws(DatasetError) -> ImageClassificationData {
        if let folder = try locate(kind) {
            return try ImageClassificationData(kind: kind, folder: folder)
        }
        if let explicitFolder {
            let holdsFilesItself = DatasetKind.fileNames.allSatisfy {
                FileManager.default.fileExists(atPath: explicitFolder.appendingPathComponent($0).path)
            }
            throw .notInDataFolder(kind, folder: explicitFolder.path,
                                   parent: holdsFilesItself ? explicitFolder.deletingLastPathComponent().path : nil)
        }
        let target = cacheFolder.appendingPathComponent(kind.folderName)
        var failures = [String]()
        if !kind.mirrors.isEmpty {
            do {
                return try download(kind, into: target, log: log)
            } catch let .notFound(_, _, _, reasons) {
                failures = reasons
            }
        }
        throw .notFound(kind, searched: candidateFolders(for: kind).map(\.path), cacheFolder: cacheFolder.path,
                        downloadFailures: failures)
    }

    /// Fetches the four files from the first mirror that serves each, checks
    /// them, and writes them atomically into `folder`.
    func download(_ kind: DatasetKind, into folder: URL, log: (String) -> Void) throws(DatasetError) -> ImageClassificationData {
        var arrays = [IDXArray](), files = [Data](), failures = [String]()
        for (index, name) in DatasetKind.fileNames.enumerated() {
            var fetched: (IDXArray, Data)?
            for mirror in kind.mirrors where fetched == nil {
                guard let url = URL(string: mirror + name) else { continue }
                log("downloading \(url.absoluteString)")
                do {
                    let data = try fetch(url)
                    let array = try IDXArray(bytes: [UInt8](data), source: url.absoluteString)
                    guard array.sha256 == kind.decodedSHA256[index] else {
                        failures.append("\(url.absoluteString): " + DatasetError.checksumMismatch(
                            path: url.absoluteString, expected: kind.decodedSHA256[index], found: array.sha256).description)
                        continue
                    }
                    fetched = (array, data)
                } catch {
                    failures.append("\(url.absoluteString): \(error)")
                }
            }
            guard let (array, data) = fetched else {
                throw .notFound(kind, searched: [], cacheFolder: cacheFolder.path, downloadFailures: failures)
            }
            arrays.append(array)
            files.append(data)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotStore(path: folder.path, reason: error.localizedDescription)
        }
        for (name, data) in zip(DatasetKind.fileNames, files) {
            let url = folder.appendingPathComponent(name)
            do { try data.write(to: url, options: .atomic) } catch {
                throw .cannotStore(path: url.path, reason: error.localizedDescription)
            }
        }
        return try ImageClassificationData(kind: kind, arrays: arrays, folder: folder)
    }

    /// Downloads `url` with a 60-second timeout; throws on any HTTP status but 200.
    public static let download: @Sendable (URL) throws -> Data = { url in
        let result = DownloadResult()
        let semaphore = DispatchSemaphore(value: 0)
        var request = URLRequest(url: url)
        request.timeoutInterval = 60
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                result.set(.failure(DownloadError(message: error.localizedDescription)))
            } else if let http = response as? HTTPURLResponse, http.statusCode != 200 {
                result.set(.failure(DownloadError(message: "HTTP status \(http.statusCode)")))
            } else {
                result.set(.success(data ?? Data()))
            }
            semaphore.signal()
        }.resume()
        semaphore.wait()
        return try result.get()
    }
}

/// A download's outcome, handed from URLSession's queue to the waiting caller.
private final class DownloadResult: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Data, any Error> = .failure(DownloadError(message: "no response"))

    func set(_ value: Result<Data, any Error>) { lock.withLock { result = value } }
    func get() throws -> Data { try lock.withLock { result }.get() }
}

/// A download that ended without an error from URLSession but without the file.
private struct DownloadError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
