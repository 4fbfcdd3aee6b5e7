extension CodeCell {
    /// This cell's own seed, for the random numbers it draws: derived from
    /// the notebook's seed and the cell's title, not from its position, so
    /// adding, removing or moving a cell leaves every other cell's numbers
    /// as they were. (Two cells with the same title get the same seed.)
    ///
    /// The derivation is part of every notebook's reproducibility and is
    /// pinned by a test; a generator is built from it with
    /// `cell.generator()` (NotebookSupport).
    ///
    /// - Throws: ``NotebookError/noSeed(cell:title:)`` when the notebook set
    ///   no `nb.seed` before this cell.
    public var seed: UInt64 {
        get throws(NotebookError) {
            guard let notebookSeed else { throw .noSeed(cell: number, title: title) }
            return Self.seed(notebook: notebookSeed, title: title)
        }
    }

    /// SplitMix64's finaliser (a bijection with good avalanche) of the
    /// notebook seed, xor the 64-bit FNV-1a hash of the title's UTF-8, mixed
    /// again: fixed arithmetic, unlike `Hasher`, which is seeded per process.
    static func seed(notebook: UInt64, title: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in title.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return mix(mix(notebook) ^ hash)
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
