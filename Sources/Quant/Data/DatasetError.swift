/// Why a dataset could not be found, downloaded or loaded.
public enum DatasetError: Error, Equatable, Sendable {
    /// The dataset is in none of the searched folders and could not be downloaded.
    /// `searched` lists the folders looked in; `downloadFailures` says why each
    /// download attempt failed (empty when the dataset has no download mirrors).
    case notFound(DatasetKind, searched: [String], cacheFolder: String, downloadFailures: [String])
    /// `--data DIR` was given but `DIR/<kind>/` does not hold the dataset;
    /// `parent` is DIR's parent when DIR itself holds the four files (the
    /// usual slip: passing the `mnist/` folder instead of the one above it).
    case notInDataFolder(DatasetKind, folder: String, parent: String?)
    /// A folder holds some of the four files but not all.
    case incomplete(folder: String, missing: [String])
    /// A file's decoded contents are not the published dataset.
    case checksumMismatch(path: String, expected: String, found: String)
    /// A file is not a valid IDX file.
    case idx(IDXError)
    /// The files are valid IDX but do not fit together (counts, shapes, labels).
    case inconsistent(String)
    /// A downloaded file could not be stored in the cache.
    case cannotStore(path: String, reason: String)
}

extension DatasetError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notFound(let kind, let searched, let cache, let failures):
            var lines = ["\(kind) was not found. Looked in:"]
            lines += searched.map { "  \($0)" }
            if !failures.isEmpty {
                lines.append("and could not download it:")
                lines += failures.map { "  \($0)" }
            }
            lines.append("Put these four files in \(cache)/\(kind.folderName)/ (or in DIR/\(kind.folderName)/ and pass --data DIR or set QUANT_DATA=DIR):")
            lines += DatasetKind.fileNames.map { "  \($0)" }
            if !kind.mirrors.isEmpty { lines.append("They are served at \(kind.mirrors[0])<name>.") }
            if kind == .fashionMNIST { lines.append("On Debian, `apt-get install dataset-fashion-mnist` installs them in \(kind.systemDirectory ?? "")/.") }
            return lines.joined(separator: "\n")
        case .notInDataFolder(let kind, let folder, let parent):
            let looked = "\(folder)/\(kind.folderName)/"
            if let parent {
                return "--data \(folder): no \(kind) in \(looked), but \(folder) holds the four files itself; pass the folder above it: --data \(parent)"
            }
            return "--data \(folder): no \(kind) in \(looked) (it needs \(DatasetKind.fileNames.joined(separator: ", "))). "
                + "Give the folder that holds \(kind.folderName)/, or leave out --data to use $QUANT_DATA, the cache or a download."
        case .incomplete(let folder, let missing):
            return "\(folder) holds only part of the dataset; missing: \(missing.joined(separator: ", ")). Add them or remove the folder."
        case .checksumMismatch(let path, let expected, let found):
            return "\(path) is not the published file: SHA-256 of its decoded contents is \(found), expected \(expected). Replace it with the original."
        case .idx(let error):
            return error.description
        case .inconsistent(let detail):
            return "the dataset files do not fit together: \(detail)"
        case .cannotStore(let path, let reason):
            return "cannot store the downloaded file at \(path): \(reason)"
        }
    }
}
