import Foundation

/// The SHA-256 digest (FIPS 180-4), used to check that data files are the
/// published originals and to key cached checkpoints by their data.
///
/// Self-contained so that verifying a download needs no crypto library.
/// The message is processed in 64-byte blocks; the last block is padded
/// with `0x80`, zeros and the message length in bits (big-endian), so a
/// message of `n` bytes costs ⌈(n + 9) / 64⌉ compressions.
///
/// ```swift
/// SHA256.hexDigest(of: Array("abc".utf8))
/// // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func digest(of bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var state: [UInt32] = [
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
            0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
        ]
        let fullBlocks = bytes.count / 64
        var schedule = [UInt32](repeating: 0, count: 64)
        state.withUnsafeMutableBufferPointer { h in
            schedule.withUnsafeMutableBufferPointer { w in
                for block in 0..<fullBlocks {
                    compress(UnsafeRawBufferPointer(start: bytes.baseAddress! + block * 64, count: 64), into: h, schedule: w)
                }
                // Padding: the tail, 0x80, zeros, then the bit length; one or two blocks.
                let tail = bytes.count - fullBlocks * 64
                var last = [UInt8](repeating: 0, count: tail < 56 ? 64 : 128)
                for i in 0..<tail { last[i] = bytes[fullBlocks * 64 + i] }
                last[tail] = 0x80
                let bitLength = UInt64(bytes.count) &* 8
                for i in 0..<8 { last[last.count - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i))) }
                last.withUnsafeBytes { padded in
                    for start in stride(from: 0, to: padded.count, by: 64) {
                        compress(UnsafeRawBufferPointer(rebasing: padded[start..<(start + 64)]), into: h, schedule: w)
                    }
                }
            }
        }
        var digest = [UInt8]()
        digest.reserveCapacity(32)
        for word in state { for shift in [24, 16, 8, 0] as [UInt32] { digest.append(UInt8(truncatingIfNeeded: word >> shift)) } }
        return digest
    }

    /// The 32-byte digest of `bytes`.
    public static func digest<Bytes: ContiguousBytes>(of bytes: Bytes) -> [UInt8] {
        bytes.withUnsafeBytes { digest(of: $0) }
    }

    /// The digest as 64 lowercase hexadecimal digits, as `sha256sum` prints it.
    public static func hexDigest<Bytes: ContiguousBytes>(of bytes: Bytes) -> String {
        digest(of: bytes).map { hexDigits[Int($0 >> 4)] + hexDigits[Int($0 & 15)] }.joined()
    }

    private static let hexDigits = (0..<16).map { String($0, radix: 16) }

    /// The round constants: the first 32 bits of the fractional parts of the
    /// cube roots of the first 64 primes.
    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// One compression of a 64-byte block into the eight-word state.
    ///
    /// Written with raw pointers and spelled-out rotations, whose accessors
    /// are inlined even in debug builds, where tests hash the MNIST files.
    private static func compress(_ block: UnsafeRawBufferPointer, into state: UnsafeMutableBufferPointer<UInt32>,
                                 schedule: UnsafeMutableBufferPointer<UInt32>) {
        let bytes = block.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let w = schedule.baseAddress!, h = state.baseAddress!
        var t = 0
        while t < 16 {
            w[t] = UInt32(bytes[4 &* t]) << 24 | UInt32(bytes[4 &* t &+ 1]) << 16
                | UInt32(bytes[4 &* t &+ 2]) << 8 | UInt32(bytes[4 &* t &+ 3])
            t &+= 1
        }
        while t < 64 {
            let x = w[t &- 15], y = w[t &- 2]
            let s0 = (x &>> 7 | x &<< 25) ^ (x &>> 18 | x &<< 14) ^ (x &>> 3)
            let s1 = (y &>> 17 | y &<< 15) ^ (y &>> 19 | y &<< 13) ^ (y &>> 10)
            w[t] = w[t &- 16] &+ s0 &+ w[t &- 7] &+ s1
            t &+= 1
        }
        var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
        k.withUnsafeBufferPointer { kBuffer in
            let k = kBuffer.baseAddress!
            var t = 0
            while t < 64 {
                let sum1 = (e &>> 6 | e &<< 26) ^ (e &>> 11 | e &<< 21) ^ (e &>> 25 | e &<< 7)
                let t1 = hh &+ sum1 &+ ((e & f) ^ (~e & g)) &+ k[t] &+ w[t]
                let sum0 = (a &>> 2 | a &<< 30) ^ (a &>> 13 | a &<< 19) ^ (a &>> 22 | a &<< 10)
                let t2 = sum0 &+ ((a & b) ^ (a & c) ^ (b & c))
                hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
                t &+= 1
            }
        }
        h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
    }
}
