import Foundation
@testable import Quant

/// Seeded mutations of valid files, for fuzzing the readers.
///
/// Each call applies 1–4 edits of the kinds that break parsers: a flipped
/// bit, a byte set to a boundary value (0, 1, 0x7f, 0x80, 0xff), a 2-, 4- or
/// 8-byte field overwritten with a boundary integer (little- or big-endian:
/// length prefixes and IDX dimensions), a run of decimal digits replaced by
/// a huge or odd number (text headers: shapes, offsets), bytes inserted,
/// deleted, duplicated or cut off, and a splice with another corpus file.
/// The same seed gives the same inputs, so a crash found at input k
/// reproduces by rerunning with that seed.
///
/// ```swift
/// var mutator = ByteMutator(corpus: [validFile], seed: 1)
/// let input = mutator.next()
/// ```
struct ByteMutator {
    let corpus: [[UInt8]]
    private var rng: SeededGenerator

    init(corpus: [[UInt8]], seed: UInt64) {
        precondition(!corpus.isEmpty, "the corpus needs a file to mutate")
        self.corpus = corpus
        rng = SeededGenerator(seed: seed)
    }

    static let boundaryBytes: [UInt8] = [0, 1, 0x7f, 0x80, 0xff]
    static let boundaryIntegers: [UInt64] = [0, 1, 0x7f, 0xff, 0xffff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff,
                                             1 << 53, 0x7fff_ffff_ffff_ffff, .max]
    static let boundaryNumbers = ["0", "1", "-1", "255", "65536", "1073741824", "2147483648", "4294967296", "4503599627370495", "9007199254740993",
                                  "9223372036854775807", "9223372036854775808", "18446744073709551616",
                                  "4611686018427387904", "1e300", "1.5", "99999999999999999999999"]

    /// A corpus file with 1–4 mutations applied.
    mutating func next() -> [UInt8] {
        var bytes = corpus[Int.random(in: 0..<corpus.count, using: &rng)]
        for _ in 0..<Int.random(in: 1...4, using: &rng) { mutate(&bytes) }
        return bytes
    }

    /// `bytes` with 1–4 mutations applied, for a file's part (a header) that
    /// the caller reassembles.
    mutating func mutated(_ part: [UInt8]) -> [UInt8] {
        var bytes = part
        for _ in 0..<Int.random(in: 1...4, using: &rng) { mutate(&bytes) }
        return bytes
    }

    private mutating func position(in bytes: [UInt8]) -> Int {
        bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        switch Int.random(in: 0..<9, using: &rng) {
        case 0 where !bytes.isEmpty:
            bytes[position(in: bytes)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
        case 1 where !bytes.isEmpty:
            bytes[position(in: bytes)] = Self.boundaryBytes.randomElement(using: &rng)!
        case 2 where !bytes.isEmpty:
            let width = [2, 4, 8].randomElement(using: &rng)!
            let value = Self.boundaryIntegers.randomElement(using: &rng)!
            let at = position(in: bytes), bigEndian = Bool.random(using: &rng)
            for k in 0..<width where at + k < bytes.count {
                let shift = UInt64(8 * (bigEndian ? width - 1 - k : k))
                bytes[at + k] = UInt8(truncatingIfNeeded: value >> shift)
            }
        case 3:
            if Bool.random(using: &rng) { replaceDigits(&bytes) } else { replaceDigitsInList(&bytes) }
        case 4:
            let at = Int.random(in: 0...bytes.count, using: &rng)
            bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
        case 5 where !bytes.isEmpty:
            let at = position(in: bytes)
            bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &rng)))
        case 6 where !bytes.isEmpty:
            let at = position(in: bytes)
            let chunk = bytes[at..<min(bytes.count, at + Int.random(in: 1...64, using: &rng))]
            bytes.insert(contentsOf: chunk, at: Int.random(in: 0...bytes.count, using: &rng))
        case 7:
            bytes.removeLast(Int.random(in: 0...bytes.count, using: &rng))
        default:
            let other = corpus[Int.random(in: 0..<corpus.count, using: &rng)]
            let cut = Int.random(in: 0...bytes.count, using: &rng), from = Int.random(in: 0...other.count, using: &rng)
            bytes = Array(bytes[..<cut]) + other[from...]
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    /// Replaces a run of ASCII digits (chosen at random) with a boundary number.
    private mutating func replaceDigits(_ bytes: inout [UInt8]) {
        let starts = bytes.indices.filter { Self.isDigit(bytes[$0]) && ($0 == 0 || !Self.isDigit(bytes[$0 - 1])) }
        guard let start = starts.randomElement(using: &rng) else { return }
        var end = start
        while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
        bytes.replaceSubrange(start..<end, with: Array(Self.boundaryNumbers.randomElement(using: &rng)!.utf8))
    }

    /// Replaces every number of one bracketed list (`[1, 2]`, `(2, 3)`: a
    /// shape or an offset pair) with boundary numbers, so that products of
    /// dimensions reach the overflow edges that one number alone cannot.
    private mutating func replaceDigitsInList(_ bytes: inout [UInt8]) {
        let opens = bytes.indices.filter { bytes[$0] == UInt8(ascii: "[") || bytes[$0] == UInt8(ascii: "(") }
        guard let open = opens.randomElement(using: &rng),
              let close = bytes[open...].firstIndex(where: { $0 == UInt8(ascii: "]") || $0 == UInt8(ascii: ")") }) else { return }
        var list = [UInt8](), k = open + 1
        while k < close {
            if Self.isDigit(bytes[k]) {
                while k < close, Self.isDigit(bytes[k]) { k += 1 }
                list += Self.boundaryNumbers.randomElement(using: &rng)!.utf8
            } else {
                list.append(bytes[k])
                k += 1
            }
        }
        bytes.replaceSubrange((open + 1)..<close, with: list)
    }
}
