/// Why a cached checkpoint could not be used or stored.
public enum CheckpointError: Error, Equatable, Sendable {
    /// The file exists but cannot be read as a checkpoint of this model.
    case unreadable(path: String, reason: String)
    /// The file's stored key is not the one asked for (a hash collision or a hand-copied file).
    case keyMismatch(path: String, expected: String, found: String)
    /// The folder or file could not be written.
    case cannotStore(path: String, reason: String)
    /// Training failed before anything was cached.
    case training(ModelError)
}

extension CheckpointError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cached checkpoint \(path) cannot be used: \(reason). Delete it to retrain."
        case .keyMismatch(let path, let expected, let found):
            return "cached checkpoint \(path) was trained with \"\(found)\", not \"\(expected)\". Delete it to retrain."
        case .cannotStore(let path, let reason):
            return "cannot store the checkpoint at \(path): \(reason)"
        case .training(let error):
            return "training failed: \(error)"
        }
    }
}
