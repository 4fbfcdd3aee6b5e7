/// Why GPTQ could not quantize a weight matrix, or a GPTQ setting or grid
/// could not be built.
///
/// Each case says what was wrong and what to change; inside a model the
/// error arrives as ``ModelError/gptq(_:)`` located at its layer
/// (``ModelError/inLayer(_:_:)``).
public enum GPTQError: Error, Equatable, Sendable {
    /// Signed codes take 2…8 bits (int8 storage; 1 bit would be {−1, 0}).
    case bitsOutOfRange(Int, supported: ClosedRange<Int>)
    /// A group of inputs sharing a scale holds at least 1 weight.
    case groupSizeOutOfRange(Int)
    /// The MSE scale search needs `grid ≥ 1` candidates and a shrink
    /// fraction in (0, 1).
    case scaleSearch(grid: Int, maxShrink: Double)
    /// The relative dampening must be finite and ≥ 0.
    case dampening(Double)
    /// The lazy-update block holds at least 1 column.
    case blockSize(Int)
    /// A layer needs at least one output and one input.
    case emptyShape(outFeatures: Int, inFeatures: Int)
    /// The weight array does not hold `outFeatures × inFeatures` values.
    case weightCount(expected: Int, actual: Int)
    /// The Hessian is not `inFeatures × inFeatures`.
    case hessianSize(expected: Int, actual: Int)
    /// The matrix given as a Hessian does not hold `size × size` values.
    case hessianCount(size: Int, actual: Int)
    /// The weight at row-major `index` is NaN or ±infinity.
    case nonFiniteWeight(index: Int, value: Float)
    /// The Hessian entry at (`row`, `column`) is NaN or ±infinity.
    case nonFiniteHessian(row: Int, column: Int, value: Double)
    /// The Hessian entries at (`row`, `column`) and (`column`, `row`) differ.
    case notSymmetric(row: Int, column: Int)
    /// The dampened Hessian `H + λI` has no Cholesky factor: the pivot of
    /// input `column` is `pivot` ≤ 0 (a negative-definite or indefinite
    /// matrix, or a singular one with `dampening` 0).
    case notPositiveDefinite(column: Int, pivot: Double, dampening: Double)
}

extension GPTQError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .bitsOutOfRange(let bits, let supported):
            return "GPTQ weight bits = \(bits); use \(supported.lowerBound)…\(supported.upperBound) (or the ternary grid)"
        case .groupSizeOutOfRange(let size):
            return "group size \(size) is invalid: a group holds at least 1 input (nil: one scale per output row)"
        case .scaleSearch(let grid, let maxShrink):
            return "MSE scale search with grid \(grid) and max shrink \(maxShrink): use grid ≥ 1 and a shrink in (0, 1)"
        case .dampening(let value):
            return "dampening \(value) is invalid: use a finite fraction ≥ 0 of the mean Hessian diagonal (the paper: 0.01)"
        case .blockSize(let size):
            return "block size \(size) is invalid: a lazy-update block holds at least 1 column (the paper: 128)"
        case .emptyShape(let out, let inputs):
            return "a \(out) × \(inputs) weight has nothing to quantize: give at least one output and one input"
        case .weightCount(let expected, let actual):
            return "the weight holds \(actual) values; outFeatures × inFeatures is \(expected)"
        case .hessianSize(let expected, let actual):
            return "the Hessian is \(actual) × \(actual); the layer has \(expected) inputs, so it must be \(expected) × \(expected)"
        case .hessianCount(let size, let actual):
            return "a \(size) × \(size) Hessian needs \(size * size) values, not \(actual)"
        case .nonFiniteWeight(let index, let value):
            return "weight \(index) is \(value): GPTQ needs finite weights"
        case .nonFiniteHessian(let row, let column, let value):
            return "Hessian entry (\(row), \(column)) is \(value): the calibration inputs must be finite"
        case .notSymmetric(let row, let column):
            return "the Hessian is not symmetric at (\(row), \(column)): H = 2·XᵀX/n is symmetric"
        case .notPositiveDefinite(let column, let pivot, let dampening):
            return "the Hessian is not positive definite after dampening \(dampening): the pivot of input \(column) is \(pivot); "
                + "raise the dampening or calibrate on more (and more varied) examples"
        }
    }
}
