import Foundation
import Quant

/// The FP32 model of an ``FP32Baseline``, with how this run got it.
public struct TrainedBaseline: Sendable {
    /// The model, its settings and its per-epoch history (with timings only
    /// when it was trained in this run: the cache keeps none).
    public let run: TrainingRun
    /// Whether it came from the checkpoint cache rather than training now.
    public let reused: Bool
    /// Its file in the checkpoint cache (a safetensors file PyTorch reads).
    public let checkpoint: URL

    /// The trained model.
    public var model: Sequential { run.model }
}
