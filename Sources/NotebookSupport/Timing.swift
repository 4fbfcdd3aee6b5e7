import Dispatch
import Quant

/// Wall-clock seconds of the fastest of `repeats` runs of `body` (at least
/// one), after one warm-up run: on a shared machine the minimum is the least
/// noisy estimate, and the warm-up keeps first-touch costs (page faults,
/// OpenBLAS's threads starting) out of it.
public func fastestSeconds(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var best = Double.infinity
    for _ in 0..<max(repeats, 1) {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

/// Images per second of the fastest of `repeats` passes of `body` over
/// `images` (after one warm-up pass), e.g. a model's predictions for them.
public func imagesPerSecond(_ images: ImageDataset, repeats: Int, _ body: () throws -> [Int32]) rethrows -> Double {
    let seconds = try fastestSeconds(repeats: repeats) { _ = try body() }
    return Double(images.count) / seconds
}
