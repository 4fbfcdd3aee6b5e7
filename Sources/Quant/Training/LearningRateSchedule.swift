import Foundation

/// How the learning rate changes over a run, as a factor of the optimiser's
/// base rate at step `t` of `T` (counted from 0).
///
/// - `constant`: 1 throughout.
/// - `cosine`: `½(1 + cos(π·t/T))`, from 1 down to almost 0 at the end
///   (Loshchilov & Hutter's SGDR without restarts). Small final steps let
///   the weights settle instead of jittering around the minimum, so the
///   last epoch's model is as good as the best and no test-set
///   epoch-picking is needed.
///
/// ```swift
/// LearningRateSchedule.cosine.factor(step: 50, of: 100)   // 0.5
/// ```
public enum LearningRateSchedule: String, Sendable, Hashable, Codable, CaseIterable {
    case constant
    case cosine

    /// The multiplier of the base learning rate at `step` (0-based) of `totalSteps`.
    public func factor(step: Int, of totalSteps: Int) -> Float {
        switch self {
        case .constant:
            return 1
        case .cosine:
            guard totalSteps > 0 else { return 1 }
            return Float(0.5 * (1 + cos(Double.pi * Double(step) / Double(totalSteps))))
        }
    }
}
