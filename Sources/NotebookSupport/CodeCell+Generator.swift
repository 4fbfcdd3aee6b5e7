import Notebook
import Quant

extension CodeCell {
    /// A generator for this cell's random numbers, seeded with the cell's own
    /// seed (``CodeCell/seed``: the notebook's seed and the cell's title), so
    /// that a new cell elsewhere in the notebook leaves these numbers alone.
    ///
    /// ```swift
    /// try nb.code("Noise on the weights") { cell in
    ///     var rng = try cell.generator()
    ///     let noise = Distribution.normal(mean: 0, standardDeviation: 0.01).samples(n, using: &rng)
    /// ```
    ///
    /// - Throws: `NotebookError.noSeed` when the notebook set no `nb.seed`.
    public func generator() throws -> SeededGenerator {
        SeededGenerator(seed: try seed)
    }
}
