/// The element-wise loops of training, written with SIMD lanes.
///
/// Layers take possibly-aliasing pointers (ReLU runs in place), so the
/// compiler cannot prove the plain loops safe to vectorise; these spell the
/// lanes out, and each lane reads before it writes, so in-place use is fine.
enum Elementwise {
    typealias Lanes = SIMD8<Float>

    /// `y[i] = max(x[i], 0)` for `i < count`; `y` may be `x`.
    static func relu(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + Lanes.scalarCount <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: Lanes.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: v.replacing(with: 0, where: v .< 0), as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < count { y[i] = max(x[i], 0); i += 1 }
    }

    /// `dx[i] = y[i] > 0 ? dy[i] : 0`; `dx` may be `dy`.
    static func reluGradient(output y: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                             into dx: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + Lanes.scalarCount <= count {
            let out = UnsafeRawPointer(y + i).loadUnaligned(as: Lanes.self)
            let g = UnsafeRawPointer(dy + i).loadUnaligned(as: Lanes.self)
            UnsafeMutableRawPointer(dx + i).storeBytes(of: g.replacing(with: 0, where: out .<= 0), as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < count { dx[i] = y[i] > 0 ? dy[i] : 0; i += 1 }
    }

    /// `sums[j] = Σ_r m[r·columns + j]`: the column sums of a `rows × columns` matrix.
    static func columnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
        sums.update(repeating: 0, count: columns)
        for r in 0..<rows {
            let row = m + r * columns
            var j = 0
            while j + Lanes.scalarCount <= columns {
                let s = UnsafeRawPointer(sums + j).loadUnaligned(as: Lanes.self) + UnsafeRawPointer(row + j).loadUnaligned(as: Lanes.self)
                UnsafeMutableRawPointer(sums + j).storeBytes(of: s, as: Lanes.self)
                j += Lanes.scalarCount
            }
            while j < columns { sums[j] += row[j]; j += 1 }
        }
    }
}
