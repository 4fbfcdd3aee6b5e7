extension QuantParams {
    /// The binary scales of `tensor`, one per slot of the scheme's
    /// granularity, and zero-points 0:
    ///
    ///     scale = max(Float(Σ|x| / n), ε)
    ///
    /// over the `n` elements of the slot, summed in Double in element order
    /// (`ε` is ``minimumScale``, which an all-zero slice gets). `mean|x|` is
    /// the scale that minimises `Σ(x − s·sign(x))²`.
    ///
    /// - Throws: ``QuantError/emptyTensor``, ``QuantError/axisOutOfBounds(axis:rank:)``,
    ///   ``QuantError/nonFiniteValue(index:value:)``.
    init(binaryObserving tensor: Tensor<Float>, scheme: QuantScheme) throws(QuantError) {
        let layout = try ChannelLayout(shape: tensor.shape, granularity: scheme.granularity)
        guard layout.count > 0 else { throw .emptyTensor }
        let all = Self.magnitudeSums(tensor.scalars, layout: layout, above: nil)
        guard all.sums.allSatisfy(\.isFinite) else { throw TensorRange.firstNonFinite(in: tensor.scalars) }
        let scales = zip(all.sums, all.counts).map { Swift.max(Float($0 / Double($1)), Self.minimumScale) }
        try self.init(scales: scales, zeroPoints: [Int32](repeating: 0, count: scales.count))
    }

    /// The ternary scales of `tensor` (TWN, Li et al. 2016), one per slot of
    /// the scheme's granularity, and zero-points 0. Over the elements of
    /// each slot, in Double:
    ///
    ///     Δ     = 0.7 · (Σ|x| / n)
    ///     scale = max(Float(Σ_{|x| > Δ} |x| / #{|x| > Δ}), ε)
    ///
    /// No element exceeds Δ only in an all-zero slice (otherwise
    /// `Δ < mean|x| ≤ max|x|`), whose scale is then ε (``minimumScale``) as
    /// for any all-zero tensor. Codes then follow by rounding to the nearest
    /// of {−s, 0, +s} (threshold s/2), not TWN's threshold Δ: for a given
    /// scale that is the assignment with the smallest error.
    ///
    /// - Throws: as ``init(binaryObserving:scheme:)``.
    init(ternaryObserving tensor: Tensor<Float>, scheme: QuantScheme) throws(QuantError) {
        let layout = try ChannelLayout(shape: tensor.shape, granularity: scheme.granularity)
        guard layout.count > 0 else { throw .emptyTensor }
        let all = Self.magnitudeSums(tensor.scalars, layout: layout, above: nil)
        guard all.sums.allSatisfy(\.isFinite) else { throw TensorRange.firstNonFinite(in: tensor.scalars) }
        let thresholds = zip(all.sums, all.counts).map { 0.7 * ($0 / Double($1)) }
        let large = Self.magnitudeSums(tensor.scalars, layout: layout, above: thresholds)
        let scales = zip(large.sums, large.counts).map { sum, count in
            Swift.max(Float(count > 0 ? sum / Double(count) : 0), Self.minimumScale)
        }
        try self.init(scales: scales, zeroPoints: [Int32](repeating: 0, count: scales.count))
    }

    /// For each slot of `layout`: the sum of `|x|` (in Double, in element
    /// order) and the number of elements summed — all of them, or with
    /// `thresholds`, those with `|x| > thresholds[slot]`. A NaN or infinity
    /// makes its slot's sum non-finite when `thresholds` is `nil`.
    private static func magnitudeSums(_ scalars: [Float], layout: ChannelLayout, above thresholds: [Double]?) -> (sums: [Double], counts: [Int]) {
        var sums = [Double](repeating: 0, count: layout.channels)
        var counts = [Int](repeating: 0, count: layout.channels)
        scalars.withUnsafeBufferPointer { x in
            func add(_ i: Int, to slot: Int) {
                let magnitude = Double(Swift.abs(x[i]))
                if let thresholds, !(magnitude > thresholds[slot]) { return }
                sums[slot] += magnitude
                counts[slot] += 1
            }
            layout.forEachRun(in: 0..<layout.count) { run in
                switch run {
                case .uniform(let elements, let slot):
                    for i in elements { add(i, to: slot) }
                case .row(let elements, let first):
                    for i in elements { add(i, to: first + i - elements.lowerBound) }
                }
            }
        }
        return (sums, counts)
    }
}
